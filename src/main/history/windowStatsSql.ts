/**
 * Window statistics in one query (one round trip) per window: per (TTL,
 * responder) counts, sums, extremes, the newest RTT and MPLS stack, jitter,
 * and p50/p95/p99, exact or as an RTT histogram the caller turns into
 * percentiles.
 *
 * Whole minutes come from minute_stats / minute_rtt_hist and the ragged
 * edges from the samples through the same SQL that fills the roll-up, so both
 * sides agree exactly. Jitter adds up across minutes by bridging each group's
 * first reply to the previous group's last one. Exact percentiles read every
 * reply of the window (they do not add up across minutes); each hop's own
 * come as extra rows (they do not pool from its responders').
 */
import { minuteAggregateSql, minuteHistogramSql, type ResultCodeLists } from './minuteStats';
import { parseMpls, type ResponderGroup } from './poolHops';
import { numberOrNull, textOrNull } from './columnValues';

const PERCENTILES = '[0.5, 0.95, 0.99]';

export interface WindowQueryParts {
  jitter: boolean;
  /**
   * How p50/p95/p99 are found: `exact` reads the RTT of every sample
   * matching its condition; `histogram` adds up the minute histograms.
   */
  percentiles: { exact: string } | 'histogram' | null;
}

/**
 * Statistics of a window: its whole minutes from the roll-up (`minutes`:
 * their condition, null when none or no usable roll-up) and the rest from the
 * samples (`samples`: their condition, null when the minutes cover it all).
 */
export function windowStatsSql(
  codes: ResultCodeLists,
  samples: string | null,
  minutes: string | null,
  parts: WindowQueryParts,
): string {
  const union = (fromSamples: string | null, table: string) =>
    [...(fromSamples ? [fromSamples] : []), ...(minutes ? [`SELECT * FROM ${table} WHERE ${minutes}`] : [])].join(
      ' UNION ALL ',
    );

  const { percentiles } = parts;
  const exact = percentiles !== null && percentiles !== 'histogram' ? percentiles.exact : null;
  const ctes = [
    `parts AS (${union(samples && minuteAggregateSql(codes, samples), 'minute_stats')})`,
    // Each group's first reply against the previous group's last one (groups do not overlap in rounds).
    ...(parts.jitter
      ? [
          `bridges AS (
            SELECT ttl, responder, sum(b) AS bridge_sum, count(b) AS bridge_n FROM (
              SELECT ttl, responder,
                abs(first_rtt_us - lag(last_rtt_us) OVER (PARTITION BY ttl, responder ORDER BY first_round)) AS b
              FROM parts WHERE n_rtt > 0)
            GROUP BY ttl, responder)`,
        ]
      : []),
    ...(percentiles === 'histogram'
      ? [
          `hist AS (
            SELECT ttl, responder, list(bucket ORDER BY bucket)::INTEGER[] AS h_bucket,
              list(n ORDER BY bucket)::INTEGER[] AS h_n
            FROM (
              SELECT ttl, responder, bucket, sum(n) AS n
              FROM (${union(samples && minuteHistogramSql(codes, samples), 'minute_rtt_hist')})
              GROUP BY ttl, responder, bucket)
            GROUP BY ttl, responder)`,
        ]
      : []),
    ...(exact !== null
      ? [
          `q AS (
            SELECT ttl, responder, GROUPING(responder) AS whole_hop, quantile_cont(rtt_us, ${PERCENTILES}) AS q_us
            FROM samples
            WHERE ${exact} AND result IN (${codes.success}) AND responder IS NOT NULL AND rtt_us IS NOT NULL
            GROUP BY GROUPING SETS ((ttl, responder), (ttl)))`,
        ]
      : []),
  ];
  const jitter = parts.jitter
    ? 'coalesce(sum(jitter_sum_us), 0)::DOUBLE AS jitter_sum_us, sum(jitter_n)::BIGINT AS jitter_n'
    : 'NULL::DOUBLE AS jitter_sum_us, 0::BIGINT AS jitter_n';
  const groups = `
    SELECT g.* EXCLUDE (jitter_sum_us, jitter_n), a.address, 0 AS whole_hop,
      ${
        parts.jitter
          ? `g.jitter_sum_us + coalesce(b.bridge_sum, 0) AS jitter_sum_us, g.jitter_n + coalesce(b.bridge_n, 0) AS jitter_n`
          : 'g.jitter_sum_us, g.jitter_n'
      },
      ${exact !== null ? 'q.q_us' : 'NULL::DOUBLE[]'} AS q_us,
      ${percentiles === 'histogram' ? 'h.h_bucket, h.h_n' : 'NULL::INTEGER[] AS h_bucket, NULL::INTEGER[] AS h_n'}
    FROM (
      SELECT ttl, responder,
        sum(sent)::BIGINT AS sent, sum(received)::BIGINT AS received, sum(n_rtt)::BIGINT AS n_rtt,
        sum(sum_us)::DOUBLE AS sum_us, sum(sumsq_us)::DOUBLE AS sumsq_us,
        min(min_us)::INTEGER AS best_us, max(max_us)::INTEGER AS worst_us,
        min(first_round)::BIGINT AS first_round, max(last_round)::BIGINT AS last_round,
        arg_max(last_rtt_us, last_rtt_round)::INTEGER AS last_rtt_us, max(last_rtt_round)::BIGINT AS last_rtt_round,
        arg_max(last_mpls, mpls_round) AS last_mpls,
        min(first_at)::DOUBLE AS first_at, max(last_at)::DOUBLE AS last_at, ${jitter}
      FROM parts GROUP BY ttl, responder
    ) g LEFT JOIN responders a ON a.id = g.responder
    ${parts.jitter ? 'LEFT JOIN bridges b ON b.ttl = g.ttl AND b.responder IS NOT DISTINCT FROM g.responder' : ''}
    ${percentiles === 'histogram' ? 'LEFT JOIN hist h ON h.ttl = g.ttl AND h.responder IS NOT DISTINCT FROM g.responder' : ''}
    ${exact !== null ? 'LEFT JOIN q ON q.whole_hop = 0 AND q.ttl = g.ttl AND q.responder IS NOT DISTINCT FROM g.responder' : ''}`;
  // A hop's own percentiles (they do not pool from its responders') as rows of their own.
  const hops = exact !== null ? `UNION ALL BY NAME SELECT ttl, 1 AS whole_hop, q_us FROM q WHERE whole_hop = 1` : '';
  return `WITH ${ctes.join(', ')} SELECT ttl::INTEGER AS ttl, * EXCLUDE (ttl) FROM (${groups} ${hops})`;
}

const msOf = (us: unknown): number | null => (us === null || us === undefined ? null : Number(us) / 1000);

/** A row of either query: a responder's group, or (whole_hop = 1) a hop's exact percentiles. */
export interface WindowRow {
  wholeHop: boolean;
  group: ResponderGroup;
}

export function readWindowRow(row: Record<string, unknown>): WindowRow {
  const jitterN = Number(row['jitter_n'] ?? 0);
  const buckets = row['h_bucket'] as number[] | null;
  const counts = row['h_n'] as number[] | null;
  return {
    wholeHop: Number(row['whole_hop']) === 1,
    group: {
      ttl: Number(row['ttl']),
      responder: numberOrNull(row['responder']),
      address: textOrNull(row['address'], 'address'),
      sent: Number(row['sent']),
      received: Number(row['received']),
      nRtt: Number(row['n_rtt']),
      sumUs: Number(row['sum_us'] ?? 0),
      sumSqUs: Number(row['sumsq_us'] ?? 0),
      bestMs: msOf(row['best_us']),
      worstMs: msOf(row['worst_us']),
      lastRttMs: msOf(row['last_rtt_us']),
      lastRttRound: numberOrNull(row['last_rtt_round']),
      mpls: parseMpls(row['last_mpls']),
      jitterMs: jitterN > 0 ? Number(row['jitter_sum_us']) / jitterN / 1000 : null,
      quantiles: ((row['q_us'] as (number | null)[] | null) ?? []).map(msOf),
      histogram: buckets && counts ? buckets.map((b, i): [number, number] => [b, counts[i] ?? 0]) : [],
      firstRound: Number(row['first_round']),
      lastRound: Number(row['last_round']),
      firstAt: Number(row['first_at']),
      lastAt: Number(row['last_at']),
    },
  };
}

/**
 * Per-minute roll-up of samples per (segment, TTL, responder): counts, sums
 * and extremes that add up exactly across minutes. The writer fills it for
 * each completed minute inside a flush's transaction (minuteRollup.ts); windows
 * and wide timelines read it instead of every sample. One SQL text serves
 * both, so the roll-up and a direct read of the samples cannot disagree.
 */
import { LOCAL_RESULT_KINDS, type ProbeResultKind } from '@shared/probe';

export const MINUTE_MS = 60_000;

/**
 * Added in format version 2 (at the end, so ALTER TABLE on a version-1 file
 * gives the same column order): the newest RTT and MPLS stack, and what the
 * jitter needs to add up across minutes (the sum and count of consecutive
 * differences inside the minute, and the first and last RTT to bridge the
 * minute before and after). A window then never reads every sample.
 */
export const MINUTE_STATS_V2_COLUMNS = [
  'last_rtt_us INTEGER',
  'last_mpls VARCHAR',
  'first_rtt_round BIGINT',
  'first_rtt_us INTEGER',
  'jitter_sum_us DOUBLE',
  'jitter_n INTEGER',
];

export const MINUTE_STATS_TABLE = `CREATE TABLE minute_stats (
  session UINTEGER NOT NULL, minute BIGINT NOT NULL, segment USMALLINT NOT NULL, ttl UTINYINT NOT NULL,
  responder UINTEGER, sent INTEGER NOT NULL, received INTEGER NOT NULL, n_rtt INTEGER NOT NULL,
  sum_us DOUBLE, sumsq_us DOUBLE, min_us INTEGER, max_us INTEGER,
  first_round BIGINT NOT NULL, last_round BIGINT NOT NULL, last_rtt_round BIGINT, mpls_round BIGINT,
  first_at BIGINT NOT NULL, last_at BIGINT NOT NULL, ${MINUTE_STATS_V2_COLUMNS.join(', ')})`;

/** The result codes that count as sent and as answered, as SQL lists. */
export interface ResultCodeLists {
  success: string;
  local: string;
}

export function resultCodeLists(codes: ReadonlyMap<ProbeResultKind, number>): ResultCodeLists {
  const list = (kinds: ProbeResultKind[]) =>
    kinds
      .map((k) => codes.get(k))
      .filter((c): c is number => c !== undefined)
      .join(', ') || '-1';
  return { success: list(['reply', 'ttl-expired']), local: list([...LOCAL_RESULT_KINDS]) };
}

/** The answered-probe condition and its RTT as a DOUBLE column `r` (NULL for anything else). */
export function rttColumnSql(codes: ResultCodeLists): { answered: string; r: string } {
  const answered = `result IN (${codes.success}) AND responder IS NOT NULL`;
  return { answered, r: `CASE WHEN ${answered} THEN rtt_us::DOUBLE END` };
}

/** Samples matching `where`, aggregated per minute; columns in minute_stats order. */
export function minuteAggregateSql(codes: ResultCodeLists, where: string): string {
  const { answered, r } = rttColumnSql(codes);
  // Jitter inside the minute: each reply's distance to the previous reply of the same group, by round
  // (partitioned by `r IS NULL` rather than lag IGNORE NULLS, which DuckDB computes far more slowly).
  return `
    SELECT session, minute, segment, ttl, responder,
      count(*) FILTER (WHERE result NOT IN (${codes.local}))::INTEGER AS sent,
      count(*) FILTER (WHERE ${answered})::INTEGER AS received,
      count(r)::INTEGER AS n_rtt, sum(r) AS sum_us, sum(r * r) AS sumsq_us,
      min(r)::INTEGER AS min_us, max(r)::INTEGER AS max_us,
      min(round)::BIGINT AS first_round, max(round)::BIGINT AS last_round,
      max(round) FILTER (WHERE r IS NOT NULL)::BIGINT AS last_rtt_round,
      max(round) FILTER (WHERE ${answered} AND mpls IS NOT NULL)::BIGINT AS mpls_round,
      min(sent_at) AS first_at, max(sent_at) AS last_at,
      arg_max(r, round)::INTEGER AS last_rtt_us,
      arg_max(mpls, round) FILTER (WHERE ${answered}) AS last_mpls,
      min(round) FILTER (WHERE r IS NOT NULL)::BIGINT AS first_rtt_round,
      arg_min(r, round)::INTEGER AS first_rtt_us,
      sum(jd) AS jitter_sum_us, count(jd)::INTEGER AS jitter_n
    FROM (
      SELECT *, abs(r - lag(r) OVER (
          PARTITION BY session, minute, segment, ttl, responder, r IS NULL ORDER BY round)) AS jd
      FROM (SELECT *, sent_at // ${MINUTE_MS} AS minute, ${r} AS r FROM samples WHERE ${where})
    ) GROUP BY session, minute, segment, ttl, responder`;
}

/**
 * RTTs per minute in logarithmic buckets 1/20 of a natural-log unit wide
 * (about 5 %, so within 2.5 % of the true value), so percentiles of long windows come from a few rows per
 * minute instead of every sample.
 */
export const RTT_BUCKETS_PER_LN = 20;

export const MINUTE_RTT_HIST_TABLE = `CREATE TABLE minute_rtt_hist (
  session UINTEGER NOT NULL, minute BIGINT NOT NULL, segment USMALLINT NOT NULL, ttl UTINYINT NOT NULL,
  responder UINTEGER NOT NULL, bucket SMALLINT NOT NULL, n INTEGER NOT NULL)`;

/** Replies matching `where`, counted per minute and RTT bucket; columns in minute_rtt_hist order. */
export function minuteHistogramSql(codes: ResultCodeLists, where: string): string {
  return `
    SELECT session, sent_at // ${MINUTE_MS} AS minute, segment, ttl, responder,
      CAST(round(ln(greatest(rtt_us, 1)) * ${RTT_BUCKETS_PER_LN}) AS SMALLINT) AS bucket, count(*)::INTEGER AS n
    FROM samples
    WHERE ${where} AND result IN (${codes.success}) AND responder IS NOT NULL AND rtt_us IS NOT NULL
    GROUP BY session, minute, segment, ttl, responder, bucket`;
}

/** The RTT (ms) a bucket stands for: its geometric middle. */
export function bucketMs(bucket: number): number {
  return Math.exp(bucket / RTT_BUCKETS_PER_LN) / 1000;
}

/**
 * p-quantiles (0..1) of a bucketed distribution, rank as quantile_cont
 * places it (p × (n − 1)), each answer the middle of the bucket holding it.
 */
export function bucketQuantiles(buckets: [bucket: number, n: number][], ps: number[]): (number | null)[] {
  const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((k, [, n]) => k + n, 0);
  if (total === 0) return ps.map(() => null);
  return ps.map((p) => {
    const rank = p * (total - 1);
    let seen = 0;
    for (const [bucket, n] of sorted) {
      seen += n;
      if (rank < seen) return bucketMs(bucket);
    }
    return bucketMs(sorted[sorted.length - 1]![0]);
  });
}

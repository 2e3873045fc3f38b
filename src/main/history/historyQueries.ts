/**
 * Reading a history file in SQL: per-hop and per-responder statistics for a
 * time window, a per-pixel timeline of one hop, the sessions list and raw
 * samples. Every answer's size depends on the hops, the caller's width or the
 * window asked for, never on how long the session ran.
 */
import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';
import type { TimelineBucketInfo } from '@shared/storedSessions';
import type { OpenDatabase } from './historyDatabase';
import type { SampleRow } from './historyWriter';
import { parseMpls, poolHops, type HopQuantiles, type HopWindowStats, type ResponderGroup } from './poolHops';
import { bucketQuantiles, MINUTE_MS, minuteAggregateSql, resultCodeLists, type ResultCodeLists } from './minuteStats';
import { rollupHorizonSql } from './minuteRollup';
import { readWindowRow, windowStatsSql, type WindowQueryParts } from './windowStatsSql';
import { textOrNull } from './columnValues';

/** Windows up to this long get exact percentiles (every sample is read); longer ones bucketed. */
export const EXACT_PERCENTILES_UP_TO_MS = 15 * 60 * 1000;

export type { HopWindowStats, ResponderWindowStats, RttFigures } from './poolHops';

/** A time window [from, to) in milliseconds since the Unix epoch; either end open when absent. */
export interface TimeWindow {
  from?: number;
  to?: number;
  /** Only this segment (default: every segment). */
  segment?: number;
}

export interface WindowStats {
  hops: HopWindowStats[];
  /** Rounds with a sample in the window (round numbers are consecutive). */
  rounds: number;
  firstAt: number | null;
  lastAt: number | null;
  /** Most recent samples per TTL in the window, oldest first (at most `samplesPerHop` rounds). */
  recent: Map<number, SampleRow[]>;
}

/** One slice of a hop's timeline; the shape crosses IPC as is. */
export type TimelineBucket = TimelineBucketInfo;

export interface WindowDetail {
  /** Newest rounds of raw samples to return per TTL (default 0). */
  samplesPerHop?: number;
  /** Also compute each responder's jitter (a window function over every sample: the slowest part). */
  jitter?: boolean;
  /**
   * p50/p95/p99 (default true: exact for windows up to an hour, from 5 %-wide
   * RTT buckets beyond); 'exact' reads every sample whatever the window; the
   * text reports do not print them.
   */
  percentiles?: boolean | 'exact';
}

const SAMPLE_COLUMNS = `segment::INTEGER AS segment, ttl::INTEGER AS ttl, round::BIGINT AS round,
  sent_at::DOUBLE AS at, result::INTEGER AS result, r.address AS address, rtt_us, mpls`;

/** Whole numbers we put into SQL text ourselves; anything else is a bug, not input. */
function int(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`expected a whole number, got ${value}`);
  return String(value);
}

/** Bucketed percentiles: each responder's from its histogram, each hop's from its responders' merged. */
function poolHistograms(responders: ResponderGroup[], hopQuantiles: HopQuantiles): void {
  const byTtl = new Map<number, [number, number][]>();
  for (const g of responders) {
    if (g.histogram.length === 0) continue;
    g.quantiles = bucketQuantiles(g.histogram, PERCENTILE_LEVELS);
    byTtl.set(g.ttl, [...(byTtl.get(g.ttl) ?? []), ...g.histogram]);
  }
  for (const [ttl, buckets] of byTtl) hopQuantiles.set(ttl, bucketQuantiles(buckets, PERCENTILE_LEVELS));
}

const PERCENTILE_LEVELS = [0.5, 0.95, 0.99];

const msOf = (us: unknown): number | null => (us === null || us === undefined ? null : Number(us) / 1000);

/** Window queries' numbers, bound as BIGINT parameters. */
type WindowParams = Record<string, bigint>;

/** A number for SQL text: a parameter reference when `params` collects them, else the literal. */
function param(params: WindowParams | undefined, name: string, value: number): string {
  if (!params) return int(value);
  params[name] = BigInt(int(value));
  return `$${name}`;
}

/** Window query shapes differ only by which parts they have: a few dozen at most. */
const MAX_PREPARED = 64;

export class HistoryQueries {
  private readonly codes: ResultCodeLists;
  private readonly statements = new Map<string, DuckDBPreparedStatement>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: OpenDatabase) {
    this.codes = resultCodeLists(db.resultCodes);
  }

  private get connection(): DuckDBConnection {
    return this.db.connection;
  }

  /**
   * The samples of a window as a condition. With `params`, its numbers are
   * parameters put there, so one prepared statement serves every window.
   */
  private where(session: number, window: TimeWindow, params?: WindowParams): string {
    const parts = [`session = ${param(params, 'session', session)}`];
    if (window.from !== undefined) parts.push(`sent_at >= ${param(params, 'from', Math.ceil(window.from))}`);
    if (window.to !== undefined) parts.push(`sent_at < ${param(params, 'to', Math.ceil(window.to))}`);
    if (window.segment !== undefined) parts.push(`segment = ${param(params, 'segment', window.segment)}`);
    return parts.join(' AND ');
  }

  /** Runs a prepared window query (prepared once per shape); calls queue, as a statement holds one binding. */
  private prepared(sql: string, params: WindowParams): Promise<Record<string, unknown>[]> {
    const run = async () => {
      let statement = this.statements.get(sql);
      if (!statement) {
        statement = await this.connection.prepare(sql);
        const [oldest] = this.statements;
        if (oldest && this.statements.size >= MAX_PREPARED) {
          oldest[1].destroySync();
          this.statements.delete(oldest[0]);
        }
        this.statements.set(sql, statement);
      }
      statement.bind(params);
      return (await statement.runAndReadAll()).getRowObjectsJS();
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Frees the prepared statements (before the connection closes). */
  close(): void {
    for (const statement of this.statements.values()) statement.destroySync();
    this.statements.clear();
  }

  private async rows(sql: string): Promise<Record<string, unknown>[]> {
    return (await this.connection.runAndReadAll(sql)).getRowObjectsJS();
  }

  /**
   * Where the window's whole minutes come from the roll-up, and its ragged
   * edges and newest minutes from the samples: conditions for each side
   * (null: side unused).
   */
  private split(
    session: number,
    window: TimeWindow,
    params: WindowParams,
  ): { samples: string; minutes: string | null } {
    const base = this.where(session, window, params);
    const first = window.from === undefined ? null : Math.ceil(Math.ceil(window.from) / MINUTE_MS);
    const end = window.to === undefined ? null : Math.floor(Math.ceil(window.to) / MINUTE_MS);
    if (first !== null && end !== null && first >= end) return { samples: base, minutes: null };
    const minutes = [`session = $session`];
    const covered: string[] = [];
    if (first !== null) {
      minutes.push(`minute >= ${param(params, 'first_minute', first)}`);
      covered.push(`sent_at >= ${param(params, 'first_ms', first * MINUTE_MS)}`);
    }
    if (end !== null) {
      minutes.push(`minute < ${param(params, 'end_minute', end)}`);
      covered.push(`sent_at < ${param(params, 'end_ms', end * MINUTE_MS)}`);
    }
    if (window.segment !== undefined) minutes.push(`segment = $segment`);
    // The newest minutes are not rolled up yet: they come from the samples too.
    const horizon = rollupHorizonSql('$session');
    minutes.push(`minute < ${horizon}`);
    covered.push(`sent_at < ${horizon} * ${MINUTE_MS}`);
    return { samples: `${base} AND NOT (${covered.join(' AND ')})`, minutes: minutes.join(' AND ') };
  }

  async windowStats(session: number, window: TimeWindow = {}, detail: WindowDetail = {}): Promise<WindowStats> {
    const params: WindowParams = {};
    const { samples, minutes } = this.db.minuteRollup
      ? this.split(session, window, params)
      : { samples: this.where(session, window, params), minutes: null };
    const span = window.from !== undefined && window.to !== undefined ? window.to - window.from : Infinity;
    const exact = detail.percentiles === 'exact' || span <= EXACT_PERCENTILES_UP_TO_MS || !minutes;
    const parts: WindowQueryParts = {
      jitter: detail.jitter ?? false,
      percentiles:
        detail.percentiles === false ? null : exact ? { exact: this.where(session, window, params) } : 'histogram',
    };
    const rows = (await this.prepared(windowStatsSql(this.codes, samples, minutes, parts), params)).map(readWindowRow);
    const responders = rows.filter((r) => !r.wholeHop).map((r) => r.group);
    const hopQuantiles: HopQuantiles = new Map();
    if (parts.percentiles !== null) {
      if (!exact) poolHistograms(responders, hopQuantiles);
      for (const { wholeHop, group } of rows) if (wholeHop) hopQuantiles.set(group.ttl, group.quantiles);
    }
    const hops = poolHops(responders, hopQuantiles);

    const samplesPerHop = detail.samplesPerHop ?? 0;
    const lastRound = Math.max(-1, ...responders.map((g) => g.lastRound));
    const firstRound = Math.min(Infinity, ...responders.map((g) => g.firstRound));
    const recent =
      samplesPerHop > 0 && lastRound >= 0
        ? await this.recentSamples(session, window, lastRound - samplesPerHop)
        : new Map<number, SampleRow[]>();
    return {
      hops,
      // Round numbers are consecutive (pauses and restarts do not skip any), so the span is the count.
      rounds: lastRound >= 0 ? lastRound - firstRound + 1 : 0,
      firstAt: responders.length > 0 ? Math.min(...responders.map((g) => g.firstAt)) : null,
      lastAt: responders.length > 0 ? Math.max(...responders.map((g) => g.lastAt)) : null,
      recent,
    };
  }

  private async recentSamples(
    session: number,
    window: TimeWindow,
    afterRound: number,
  ): Promise<Map<number, SampleRow[]>> {
    const rows = await this.rows(`
      SELECT ${SAMPLE_COLUMNS}
      FROM samples LEFT JOIN responders r ON r.id = samples.responder
      WHERE ${this.where(session, window)} AND round > ${int(Math.max(-1, afterRound))}
      ORDER BY ttl, round`);
    const byTtl = new Map<number, SampleRow[]>();
    for (const row of rows.map((r) => this.toSample(session, r))) {
      const list = byTtl.get(row.ttl) ?? [];
      list.push(row);
      byTtl.set(row.ttl, list);
    }
    return byTtl;
  }

  private toSample(session: number, r: Record<string, unknown>): SampleRow {
    return {
      session,
      segment: Number(r['segment']),
      ttl: Number(r['ttl']),
      round: Number(r['round']),
      at: Number(r['at']),
      result: this.db.resultKinds.get(Number(r['result'])) ?? 'unknown',
      address: textOrNull(r['address'], 'address'),
      rttMs: msOf(r['rtt_us']),
      mpls: r['mpls'] === null ? null : parseMpls(r['mpls']),
    };
  }

  /** One hop over [from, to) in `buckets` equal slices: the answer has exactly `buckets` entries. */
  async timeline(session: number, ttl: number, from: number, to: number, buckets: number): Promise<TimelineBucket[]> {
    if (!(to > from) || !Number.isInteger(buckets) || buckets < 1 || buckets > 100_000) {
      throw new RangeError('a timeline needs from < to and 1..100000 buckets');
    }
    const lo = Math.ceil(from);
    const span = Math.max(1, Math.ceil(to) - lo);
    // Buckets of a minute or more read the roll-up, each minute in the bucket its middle falls in;
    // narrower ones read the samples.
    const fromMinutes = span / buckets >= MINUTE_MS;
    const firstMinute = Math.floor((lo - MINUTE_MS / 2) / MINUTE_MS);
    const lastMinute = Math.ceil((lo + span) / MINUTE_MS);
    const horizon = rollupHorizonSql(session);
    // Minutes not rolled up yet are aggregated from their samples the same way.
    const source = fromMinutes
      ? `SELECT minute * ${MINUTE_MS} + ${MINUTE_MS / 2} AS t, sent, received, min_us, max_us, sum_us, n_rtt
         FROM (SELECT * FROM minute_stats WHERE session = ${int(session)} AND ttl = ${int(ttl)}
             AND minute >= ${int(firstMinute)} AND minute <= ${int(lastMinute)} AND minute < ${horizon}
           UNION ALL ${minuteAggregateSql(
             this.codes,
             `session = ${int(session)} AND ttl = ${int(ttl)} AND sent_at >= ${horizon} * ${MINUTE_MS}
               AND sent_at >= ${int(firstMinute * MINUTE_MS)} AND sent_at < ${int((lastMinute + 1) * MINUTE_MS)}`,
           )})`
      : `SELECT sent_at AS t, (result NOT IN (${this.codes.local}))::INTEGER AS sent,
           answered::INTEGER AS received, r AS min_us, r AS max_us, r AS sum_us,
           (r IS NOT NULL)::INTEGER AS n_rtt
         FROM (SELECT *, result IN (${this.codes.success}) AND responder IS NOT NULL AS answered,
             CASE WHEN result IN (${this.codes.success}) AND responder IS NOT NULL THEN rtt_us::DOUBLE END AS r
           FROM samples WHERE ${this.where(session, { from: lo, to: lo + span })} AND ttl = ${int(ttl)})`;
    const rows = await this.rows(`
      SELECT CAST(floor((t - ${int(lo)}) * ${int(buckets)} / ${int(span)}) AS INTEGER) AS b,
        sum(sent)::INTEGER AS sent, sum(received)::INTEGER AS received,
        min(min_us) AS min_us, sum(sum_us) / nullif(sum(n_rtt), 0) AS avg_us, max(max_us) AS max_us
      FROM (${source}) WHERE t >= ${int(lo)} AND t < ${int(lo + span)}
      GROUP BY b`);
    const out: TimelineBucket[] = Array.from({ length: buckets }, (_, i) => ({
      from: lo + (i * span) / buckets,
      sent: 0,
      received: 0,
      lossPct: null,
      minMs: null,
      avgMs: null,
      maxMs: null,
    }));
    for (const row of rows) {
      const bucket = out[Number(row['b'])];
      if (!bucket) continue;
      bucket.sent = Number(row['sent']);
      bucket.received = Number(row['received']);
      bucket.lossPct = bucket.sent === 0 ? null : (100 * Math.max(0, bucket.sent - bucket.received)) / bucket.sent;
      bucket.minMs = msOf(row['min_us']);
      bucket.avgMs = msOf(row['avg_us']);
      bucket.maxMs = msOf(row['max_us']);
    }
    return out;
  }

  /** Every stored sample of a session, by TTL then round (for export and tests; large for long sessions). */
  async samples(session: number, window: TimeWindow = {}): Promise<SampleRow[]> {
    const rows = await this.rows(`
      SELECT ${SAMPLE_COLUMNS}
      FROM samples LEFT JOIN responders r ON r.id = samples.responder
      WHERE ${this.where(session, window)} ORDER BY ttl, round`);
    return rows.map((r) => this.toSample(session, r));
  }
}

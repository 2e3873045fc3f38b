/**
 * Reading a history file in SQL: per-hop and per-responder statistics for a
 * time window, a per-pixel timeline of one hop, the sessions list and raw
 * samples. Every answer's size depends on the hops, the caller's width or the
 * window asked for, never on how long the session ran.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { LOCAL_RESULT_KINDS, type ProbeResultKind } from '@shared/probe';
import { parseMpls } from './poolHops';
import type { OpenDatabase } from './historyDatabase';
import type { SampleRow } from './historyWriter';
import { poolHops, type HopWindowStats, type LastValues, type ResponderGroup } from './poolHops';

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
  /** Distinct rounds with a sample in the window. */
  rounds: number;
  firstAt: number | null;
  lastAt: number | null;
  /** Most recent samples per TTL in the window, oldest first (at most `samplesPerHop` rounds). */
  recent: Map<number, SampleRow[]>;
}

export interface TimelineBucket {
  /** Start of the bucket (ms since the epoch). */
  from: number;
  sent: number;
  received: number;
  /** Null when nothing was sent in the bucket. */
  lossPct: number | null;
  minMs: number | null;
  avgMs: number | null;
  maxMs: number | null;
}

export interface WindowDetail {
  /** Newest rounds of raw samples to return per TTL (default 0). */
  samplesPerHop?: number;
  /** Also compute each responder's jitter (a window function over every sample: the slowest part). */
  jitter?: boolean;
  /** p50/p95/p99 (default true); the text reports do not print them. */
  percentiles?: boolean;
}

const SAMPLE_COLUMNS = `segment::INTEGER AS segment, ttl::INTEGER AS ttl, round::BIGINT AS round,
  sent_at::DOUBLE AS at, result::INTEGER AS result, r.address AS address, rtt_us, mpls`;

/** Whole numbers we put into SQL text ourselves; anything else is a bug, not input. */
function int(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`expected a whole number, got ${value}`);
  return String(value);
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const msOf = (us: unknown): number | null => (us === null || us === undefined ? null : Number(us) / 1000);

export class HistoryQueries {
  private readonly success: string;
  private readonly local: string;

  constructor(private readonly db: OpenDatabase) {
    const codes = (kinds: ProbeResultKind[]) =>
      kinds.map((k) => db.resultCodes.get(k)).filter((c): c is number => c !== undefined);
    this.success = codes(['reply', 'ttl-expired']).join(', ');
    this.local = codes([...LOCAL_RESULT_KINDS]).join(', ') || '-1';
  }

  private get connection(): DuckDBConnection {
    return this.db.connection;
  }

  private where(session: number, window: TimeWindow): string {
    const parts = [`session = ${int(session)}`];
    if (window.from !== undefined) parts.push(`sent_at >= ${int(Math.ceil(window.from))}`);
    if (window.to !== undefined) parts.push(`sent_at < ${int(Math.ceil(window.to))}`);
    if (window.segment !== undefined) parts.push(`segment = ${int(window.segment)}`);
    return parts.join(' AND ');
  }

  private async rows(sql: string): Promise<Record<string, unknown>[]> {
    return (await this.connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  }

  async windowStats(session: number, window: TimeWindow = {}, detail: WindowDetail = {}): Promise<WindowStats> {
    // Computed once per row, so the aggregates below need no FILTER clauses.
    const windowed = `SELECT ttl, responder, round, sent_at, mpls,
        result NOT IN (${this.local}) AS counted,
        result IN (${this.success}) AND responder IS NOT NULL AS answered,
        CASE WHEN result IN (${this.success}) AND responder IS NOT NULL THEN rtt_us END AS r
      FROM samples WHERE ${this.where(session, window)}`;
    const quantiles = 'quantile_cont(r, [0.5, 0.95, 0.99])';
    const groups = await this.rows(`
      SELECT g.*, a.address FROM (
        SELECT ttl::INTEGER AS ttl, responder,
          count(*) FILTER (WHERE counted)::INTEGER AS sent,
          count(*) FILTER (WHERE answered)::INTEGER AS received,
          avg(r) AS avg_us, min(r) AS best_us, max(r) AS worst_us, stddev_samp(r) AS stdev_us,
          ${detail.percentiles === false ? 'NULL' : quantiles} AS q_us,
          max(round) FILTER (WHERE r IS NOT NULL)::BIGINT AS last_rtt_round,
          max(round) FILTER (WHERE answered AND mpls IS NOT NULL)::BIGINT AS mpls_round,
          min(round)::BIGINT AS first_round, max(round)::BIGINT AS last_round,
          min(sent_at)::DOUBLE AS first_at, max(sent_at)::DOUBLE AS last_at
        FROM (${windowed}) GROUP BY ttl, responder
      ) g LEFT JOIN responders a ON a.id = g.responder`);
    const responders: ResponderGroup[] = groups.map((row) => ({
      ttl: Number(row['ttl']),
      responder: row['responder'] === null ? null : Number(row['responder']),
      address: row['address'] === null ? null : String(row['address']),
      sent: Number(row['sent']),
      received: Number(row['received']),
      avgMs: msOf(row['avg_us']),
      bestMs: msOf(row['best_us']),
      worstMs: msOf(row['worst_us']),
      stdevMs: Number(row['received']) === 1 ? 0 : msOf(row['stdev_us']),
      quantilesMs: ((row['q_us'] as (number | null)[] | null) ?? []).map(msOf),
      lastRttRound: num(row['last_rtt_round']),
      mplsRound: num(row['mpls_round']),
      firstRound: Number(row['first_round']),
      lastRound: Number(row['last_round']),
      firstAt: Number(row['first_at']),
      lastAt: Number(row['last_at']),
    }));
    const lookups = await this.lastValues(session, responders);
    const shared = responders.filter((g) => g.address !== null && g.received > 0);
    const multi = [...new Set(shared.map((g) => g.ttl))].filter(
      (ttl) => shared.filter((g) => g.ttl === ttl).length > 1,
    );
    const hopQuantiles =
      detail.percentiles === false || multi.length === 0
        ? new Map<number, (number | null)[]>()
        : new Map(
            (
              await this.rows(
                `SELECT ttl::INTEGER AS ttl, ${quantiles} AS q_us FROM (${windowed})
                 WHERE ttl IN (${multi.map(int).join(', ')}) GROUP BY ttl`,
              )
            ).map((row) => [Number(row['ttl']), ((row['q_us'] as (number | null)[] | null) ?? []).map(msOf)]),
          );
    const jitter = detail.jitter ? await this.jitter(session, window) : new Map<string, number>();
    const hops = poolHops(responders, lookups, hopQuantiles, jitter);

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

  /** The newest RTT and MPLS stack of each responder: a handful of rows found by round, not a scan-wide arg_max. */
  private async lastValues(session: number, groups: ResponderGroup[]): Promise<Map<string, LastValues>> {
    const wanted = new Set<string>();
    for (const g of groups) {
      if (g.responder === null) continue;
      if (g.lastRttRound !== null) wanted.add(`(${int(g.ttl)}, ${int(g.responder)}, ${int(g.lastRttRound)})`);
      if (g.mplsRound !== null) wanted.add(`(${int(g.ttl)}, ${int(g.responder)}, ${int(g.mplsRound)})`);
    }
    const out = new Map<string, LastValues>();
    if (wanted.size === 0) return out;
    const rounds = [...new Set(groups.flatMap((g) => [g.lastRttRound, g.mplsRound]).filter((r) => r !== null))];
    const rows = await this.rows(`
      SELECT s.ttl::INTEGER AS ttl, s.responder, s.round::BIGINT AS round, s.rtt_us, s.mpls
      FROM samples s JOIN (VALUES ${[...wanted].join(', ')}) v(ttl, responder, round)
        ON s.ttl = v.ttl AND s.responder = v.responder AND s.round = v.round
      WHERE s.session = ${int(session)} AND s.round IN (${rounds.map(int).join(', ')})`);
    for (const row of rows) {
      out.set(`${Number(row['ttl'])} ${Number(row['responder'])} ${Number(row['round'])}`, {
        rttMs: msOf(row['rtt_us']),
        mpls: parseMpls(row['mpls']),
      });
    }
    return out;
  }

  private async jitter(session: number, window: TimeWindow): Promise<Map<string, number>> {
    const rtt = `result IN (${this.success}) AND responder IS NOT NULL AND rtt_us IS NOT NULL`;
    const rows = await this.rows(`
      SELECT j.ttl::INTEGER AS ttl, r.address, j.jitter_us FROM (
        SELECT ttl, responder, avg(d) AS jitter_us FROM (
          SELECT ttl, responder, abs(rtt_us - lag(rtt_us) OVER (PARTITION BY ttl, responder ORDER BY round)) AS d
          FROM samples WHERE ${this.where(session, window)} AND ${rtt})
        WHERE d IS NOT NULL GROUP BY ttl, responder
      ) j JOIN responders r ON r.id = j.responder`);
    return new Map(rows.map((r) => [`${Number(r['ttl'])} ${String(r['address'])}`, Number(r['jitter_us']) / 1000]));
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
      address: r['address'] === null ? null : String(r['address']),
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
    const rows = await this.rows(`
      SELECT CAST(floor((sent_at - ${int(lo)}) * ${int(buckets)} / ${int(span)}) AS INTEGER) AS b,
        count(*) FILTER (WHERE result NOT IN (${this.local}))::INTEGER AS sent,
        count(*) FILTER (WHERE result IN (${this.success}) AND responder IS NOT NULL)::INTEGER AS received,
        min(rtt_us) AS min_us, avg(rtt_us) AS avg_us, max(rtt_us) AS max_us
      FROM samples WHERE ${this.where(session, { from: lo, to: lo + span })} AND ttl = ${int(ttl)}
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

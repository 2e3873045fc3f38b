/**
 * Reading a history file in SQL: per-hop and per-responder statistics for a
 * time window, a per-pixel timeline of one hop, the sessions list and raw
 * samples. Every answer's size depends on the hops, the caller's width or the
 * window asked for, never on how long the session ran.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { LOCAL_RESULT_KINDS, mplsLabelSchema, type MplsLabel, type ProbeResultKind } from '@shared/probe';
import type { OpenDatabase } from './historyDatabase';
import type { SampleRow } from './historyWriter';

/** A time window [from, to) in milliseconds since the Unix epoch; either end open when absent. */
export interface TimeWindow {
  from?: number;
  to?: number;
  /** Only this segment (default: every segment). */
  segment?: number;
}

export interface RttFigures {
  lastMs: number | null;
  avgMs: number | null;
  bestMs: number | null;
  worstMs: number | null;
  stdevMs: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export interface ResponderWindowStats extends RttFigures {
  address: string;
  received: number;
  /** Mean absolute difference of consecutive RTTs (by round). */
  jitterMs: number | null;
  mpls: MplsLabel[];
  firstRound: number;
}

export interface HopWindowStats extends RttFigures {
  ttl: number;
  /** Probes that say something about the path (local refusals and helper trouble excluded). */
  sent: number;
  received: number;
  lossPct: number;
  /** Responders, most replies first. */
  hosts: ResponderWindowStats[];
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

/** Whole numbers we put into SQL text ourselves; anything else is a bug, not input. */
function int(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`expected a whole number, got ${value}`);
  return String(value);
}

const msOf = (us: unknown): number | null => (us === null || us === undefined ? null : Number(us) / 1000);

function parseMpls(text: unknown): MplsLabel[] {
  if (typeof text !== 'string') return [];
  try {
    const parsed = mplsLabelSchema.array().safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

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

  async windowStats(session: number, window: TimeWindow = {}, samplesPerHop = 0): Promise<WindowStats> {
    const ok = `result IN (${this.success}) AND responder IS NOT NULL`;
    const rtt = `${ok} AND rtt_us IS NOT NULL`;
    // One scan for both levels: GROUPING SETS gives a row per (TTL, responder) and one per TTL.
    const groups = await this.rows(`
      SELECT ttl::INTEGER AS ttl, responder, GROUPING(responder) AS whole_hop,
        count(*) FILTER (WHERE result NOT IN (${this.local}))::INTEGER AS sent,
        count(*) FILTER (WHERE ${ok})::INTEGER AS received,
        arg_max(rtt_us, round) FILTER (WHERE ${rtt}) AS last_us,
        avg(rtt_us) FILTER (WHERE ${rtt}) AS avg_us,
        min(rtt_us) FILTER (WHERE ${rtt}) AS best_us,
        max(rtt_us) FILTER (WHERE ${rtt}) AS worst_us,
        stddev_samp(rtt_us) FILTER (WHERE ${rtt}) AS stdev_us,
        quantile_cont(rtt_us, [0.5, 0.95, 0.99]) FILTER (WHERE ${rtt}) AS q_us,
        arg_max(mpls, round) FILTER (WHERE ${ok} AND mpls IS NOT NULL) AS mpls,
        min(round)::BIGINT AS first_round, max(round)::BIGINT AS last_round,
        min(sent_at)::DOUBLE AS first_at, max(sent_at)::DOUBLE AS last_at,
        count(DISTINCT round)::INTEGER AS rounds
      FROM samples WHERE ${this.where(session, window)}
      GROUP BY GROUPING SETS ((ttl, responder), (ttl))`);
    const jitter = await this.jitter(session, window, rtt);

    const hops = new Map<number, HopWindowStats>();
    const hosts: { ttl: number; host: ResponderWindowStats }[] = [];
    let firstAt: number | null = null;
    let lastAt: number | null = null;
    let lastRound = -1;
    let rounds = 0;
    for (const row of groups) {
      const ttl = Number(row['ttl']);
      const q = (row['q_us'] as (number | null)[] | null) ?? [];
      const figures: RttFigures = {
        lastMs: msOf(row['last_us']),
        avgMs: msOf(row['avg_us']),
        bestMs: msOf(row['best_us']),
        worstMs: msOf(row['worst_us']),
        stdevMs: row['received'] === 1 ? 0 : msOf(row['stdev_us']),
        p50Ms: msOf(q[0]),
        p95Ms: msOf(q[1]),
        p99Ms: msOf(q[2]),
      };
      const received = Number(row['received']);
      if (Number(row['whole_hop']) === 1) {
        const sent = Number(row['sent']);
        hops.set(ttl, {
          ttl,
          sent,
          received,
          lossPct: sent === 0 ? 0 : (100 * Math.max(0, sent - received)) / sent,
          hosts: [],
          ...figures,
        });
        firstAt = Math.min(firstAt ?? Infinity, Number(row['first_at']));
        lastAt = Math.max(lastAt ?? -Infinity, Number(row['last_at']));
        lastRound = Math.max(lastRound, Number(row['last_round']));
        rounds = Math.max(rounds, Number(row['rounds']));
      } else if (row['responder'] !== null && received > 0) {
        const address = String(row['responder']);
        hosts.push({
          ttl,
          host: {
            address,
            received,
            jitterMs: jitter.get(`${ttl} ${address}`) ?? null,
            mpls: parseMpls(row['mpls']),
            firstRound: Number(row['first_round']),
            ...figures,
          },
        });
      }
    }
    for (const { ttl, host } of hosts) hops.get(ttl)?.hosts.push(host);
    for (const hop of hops.values()) hop.hosts.sort((a, b) => b.received - a.received || a.firstRound - b.firstRound);

    const recent =
      samplesPerHop > 0 && lastRound >= 0
        ? await this.recentSamples(session, window, lastRound - samplesPerHop)
        : new Map<number, SampleRow[]>();
    return { hops: [...hops.values()].sort((a, b) => a.ttl - b.ttl), rounds, firstAt, lastAt, recent };
  }

  private async jitter(session: number, window: TimeWindow, rtt: string): Promise<Map<string, number>> {
    const rows = await this.rows(`
      SELECT ttl::INTEGER AS ttl, responder, avg(d) AS jitter_us FROM (
        SELECT ttl, responder, abs(rtt_us - lag(rtt_us) OVER (PARTITION BY ttl, responder ORDER BY round)) AS d
        FROM samples WHERE ${this.where(session, window)} AND ${rtt})
      WHERE d IS NOT NULL GROUP BY ttl, responder`);
    return new Map(rows.map((r) => [`${Number(r['ttl'])} ${String(r['responder'])}`, Number(r['jitter_us']) / 1000]));
  }

  private async recentSamples(
    session: number,
    window: TimeWindow,
    afterRound: number,
  ): Promise<Map<number, SampleRow[]>> {
    const rows = await this.rows(`
      SELECT segment::INTEGER AS segment, ttl::INTEGER AS ttl, round::BIGINT AS round, sent_at::DOUBLE AS at,
        result::INTEGER AS result, responder, rtt_us, mpls
      FROM samples WHERE ${this.where(session, window)} AND round > ${int(Math.max(-1, afterRound))}
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
      address: r['responder'] === null ? null : String(r['responder']),
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
      SELECT segment::INTEGER AS segment, ttl::INTEGER AS ttl, round::BIGINT AS round, sent_at::DOUBLE AS at,
        result::INTEGER AS result, responder, rtt_us, mpls
      FROM samples WHERE ${this.where(session, window)} ORDER BY ttl, round`);
    return rows.map((r) => this.toSample(session, r));
  }
}

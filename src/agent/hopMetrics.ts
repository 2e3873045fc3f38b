/**
 * What the agent exports per hop, gathered from a session's event batches:
 * the engine's hop statistics plus what only the stream of samples shows
 * (a latency histogram, the most recent RTT, which responders were seen last,
 * and path changes).
 */
import type { HostStats } from '@shared/traceFile';
import type { HopStatsUpdate, SessionEventBatch } from '@shared/session';

/** Upper bounds of the latency histogram, in seconds (`le` labels); +Inf is implied. */
export const RTT_BUCKETS_SECONDS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5] as const;

/**
 * Responders exported per hop. A hop behind ECMP or a flapping route can show
 * many addresses; only the most recently seen ones get series, so a target's
 * series count stays bounded. The oldest is dropped when a new one appears.
 */
export const EXPORTED_RESPONDERS_PER_HOP = 4;

export interface RttSummary {
  lastMs: number | null;
  avgMs: number | null;
  bestMs: number | null;
  worstMs: number | null;
  stdevMs: number | null;
}

export interface RttHistogram {
  /** Replies per bucket (not cumulative), one more than RTT_BUCKETS_SECONDS for +Inf. */
  counts: number[];
  sumSeconds: number;
  count: number;
}

export interface ExportedResponder {
  address: string;
  received: number;
  /** Origin AS, once the agent knows it (not yet: the label is left out until then). */
  asn?: number;
}

export interface HopMetrics {
  ttl: number;
  sent: number;
  received: number;
  lossRatio: number;
  rtt: RttSummary;
  histogram: RttHistogram;
  responders: ExportedResponder[];
}

/** Where in RTT_BUCKETS_SECONDS an RTT falls (the +Inf bucket is the last index). */
export function bucketIndex(rttSeconds: number): number {
  const i = RTT_BUCKETS_SECONDS.findIndex((le) => rttSeconds <= le);
  return i === -1 ? RTT_BUCKETS_SECONDS.length : i;
}

/**
 * One RTT summary for a hop from its responders' statistics: replies weight
 * the mean, and the standard deviation is pooled (each responder's sample
 * variance plus its mean's spread), so one responder gives its own numbers.
 */
export function combineResponders(hosts: readonly HostStats[], lastMs: number | null): RttSummary {
  // One pass for the totals, one for the spread: a scrape asks this of every hop.
  let n = 0;
  let weighted = 0;
  let best = Infinity;
  let worst = -Infinity;
  let first: HostStats | undefined;
  for (const h of hosts) {
    if (h.received <= 0 || h.avgMs === null) continue;
    first ??= h;
    n += h.received;
    weighted += h.received * h.avgMs;
    best = Math.min(best, h.bestMs ?? h.avgMs);
    worst = Math.max(worst, h.worstMs ?? h.avgMs);
  }
  if (first === undefined) return { lastMs, avgMs: null, bestMs: null, worstMs: null, stdevMs: null };
  const mean = weighted / n;
  let squares = 0;
  for (const h of hosts) {
    if (h.received <= 0 || h.avgMs === null) continue;
    const sd = h.stdevMs ?? 0;
    squares += (h.received - 1) * sd * sd + h.received * (h.avgMs - mean) ** 2;
  }
  return {
    lastMs: lastMs ?? first.lastMs,
    avgMs: mean,
    bestMs: best,
    worstMs: worst,
    stdevMs: n > 1 ? Math.sqrt(Math.max(0, squares) / (n - 1)) : 0,
  };
}

interface TtlState {
  counts: number[];
  sumSeconds: number;
  count: number;
  lastMs: number | null;
  /** Addresses by recency: Map iteration order is insertion order, so the first is the oldest. */
  recent: Map<string, true>;
}

/** Accumulates one session's batches into what the metrics need beyond the hop snapshot. */
export class HopMetricsCollector {
  private readonly ttls = new Map<number, TtlState>();
  private readonly ttlsWithResponders = new Set<number>();
  private changes = 0;

  /** New responders at a TTL that already had one (an ECMP branch or a route change). */
  get pathChanges(): number {
    return this.changes;
  }

  private stateOf(ttl: number): TtlState {
    let state = this.ttls.get(ttl);
    if (!state) {
      state = {
        counts: new Array<number>(RTT_BUCKETS_SECONDS.length + 1).fill(0),
        sumSeconds: 0,
        count: 0,
        lastMs: null,
        recent: new Map(),
      };
      this.ttls.set(ttl, state);
    }
    return state;
  }

  add(batch: SessionEventBatch): void {
    for (const event of batch.events) {
      if (event.type === 'path-changed') {
        if (this.ttlsWithResponders.has(event.ttl)) this.changes++;
        this.ttlsWithResponders.add(event.ttl);
      } else if (event.type === 'hops') {
        for (const { ttl, samples } of event.samples) {
          const state = this.stateOf(ttl);
          for (const sample of samples) {
            if (sample.rttMs === null || sample.address === null) continue;
            const seconds = sample.rttMs / 1000;
            state.counts[bucketIndex(seconds)]!++;
            state.sumSeconds += seconds;
            state.count++;
            state.lastMs = sample.rttMs;
            state.recent.delete(sample.address);
            state.recent.set(sample.address, true);
            if (state.recent.size > EXPORTED_RESPONDERS_PER_HOP) state.recent.delete(state.recent.keys().next().value!);
          }
        }
      }
    }
  }

  /** The exported view of one hop, from the engine's statistics for it. */
  hop(stats: HopStatsUpdate): HopMetrics {
    const state = this.stateOf(stats.ttl);
    const responders = stats.hosts
      .filter((h) => state.recent.has(h.address))
      .map((h) => ({ address: h.address, received: h.received }));
    return {
      ttl: stats.ttl,
      sent: stats.sent,
      received: stats.received,
      lossRatio: stats.lossPct / 100,
      rtt: combineResponders(stats.hosts, state.lastMs),
      histogram: { counts: [...state.counts], sumSeconds: state.sumSeconds, count: state.count },
      responders,
    };
  }
}

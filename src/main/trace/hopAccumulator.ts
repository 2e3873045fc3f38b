/**
 * Everything known about one TTL of a running trace: loss accounting, per
 * responder statistics (several responders under ECMP) and a bounded ring of
 * recent samples. Memory stays flat for any session length: the ring buffer,
 * a capped pending map and capped per-responder aggregates.
 */
import { LOCAL_RESULT_KINDS, type MplsLabel, type ProbeResult, type ProbeResultKind } from '@shared/probe';
import type { HopStatsUpdate } from '@shared/session';
import type { Hop, HostStats, Sample } from '@shared/traceFile';
import { RingBuffer, RttStats } from './stats';

/** Responders tracked per TTL; ECMP fans out to a handful, never hundreds. */
export const MAX_RESPONDERS_PER_HOP = 64;
/** Distinct MPLS label entries remembered per responder. */
export const MAX_MPLS_LABELS_PER_RESPONDER = 32;
/** Lower bound for the pending map, so a tiny sample buffer still tolerates replies a few rounds late. */
export const MIN_TRACKED_PROBES = 256;

export interface HopAccumulatorOptions {
  /** Probes awaiting (or eligible for a late) reply; the oldest are finalised as lost beyond this. */
  maxTrackedProbes?: number;
}

export interface HopCounters {
  /** Probes that reached the network: local results (see LOCAL_RESULT_KINDS) are taken back out. */
  sent: number;
  received: number;
  /** Completed without a reply: errors, `no-reply`, presumed lost, or evicted while pending. */
  lost: number;
  /** Sent and neither resolved nor presumed lost. */
  pending: number;
  /** Results ignored because their probe id was unknown (never sent, already final, or evicted). */
  ignoredResults: number;
}

interface SampleRecord {
  round: number;
  at: number;
  result: ProbeResultKind;
  address: string | null;
  rttMs: number | null;
  /** Not yet resolved nor presumed lost: kept out of snapshots. */
  pending: boolean;
}

interface Tracked {
  sample: SampleRecord;
  /** Counted in `lost` already, but a late reply may still flip it. */
  presumedLost: boolean;
}

interface Responder {
  address: string;
  received: number;
  rtt: RttStats;
  mpls: MplsLabel[];
  mplsKeys: Set<string>;
  /** First-seen order, the tie-breaker when sorting by replies. */
  order: number;
}

export class HopAccumulator {
  readonly ttl: number;
  private readonly samples: RingBuffer<SampleRecord>;
  private readonly tracked = new Map<number, Tracked>();
  private readonly maxTracked: number;
  private readonly responders = new Map<string, Responder>();
  private sentCount = 0;
  private receivedCount = 0;
  private lostCount = 0;
  private pendingCount = 0;
  private ignoredCount = 0;
  /** Samples that became visible or changed since the last `takeChangedSamples()`, in order of change. */
  private changed = new Set<SampleRecord>();

  constructor(ttl: number, sampleBufferSize: number, options: HopAccumulatorOptions = {}) {
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > 255) throw new RangeError(`TTL must be 1..255, got ${ttl}`);
    this.ttl = ttl;
    this.samples = new RingBuffer<SampleRecord>(sampleBufferSize);
    this.maxTracked = Math.max(1, options.maxTrackedProbes ?? Math.max(MIN_TRACKED_PROBES, sampleBufferSize));
  }

  /** Records a probe just sent for this TTL. */
  sent(probeId: number, round: number, at: number): void {
    // A reused id means the earlier probe can no longer be matched: finalise it.
    const previous = this.tracked.get(probeId);
    if (previous) this.finaliseUnanswered(probeId, previous);

    const sample: SampleRecord = {
      round,
      at,
      result: 'no-reply',
      address: null,
      rttMs: null,
      pending: true,
    };
    const evicted = this.samples.push(sample);
    // A sample pushed out of the buffer is in no snapshot, so it is in no delta either.
    if (evicted) this.changed.delete(evicted);
    this.tracked.set(probeId, { sample, presumedLost: false });
    this.sentCount++;
    this.pendingCount++;

    while (this.tracked.size > this.maxTracked) {
      const oldest = this.tracked.entries().next().value;
      if (!oldest) break;
      this.finaliseUnanswered(oldest[0], oldest[1]);
    }
  }

  /**
   * Records the outcome of a probe. A success after `presumeLost` still
   * counts (loss drops again). A local result (LOCAL_RESULT_KINDS) says
   * nothing about the path: the probe is taken back out of `sent`, and out of
   * `lost` when it had been presumed lost. A router's ICMP unreachable
   * (`no-route` with its address) is an answer. Returns false when the id is
   * unknown.
   */
  resolve(probeId: number, result: ProbeResult): boolean {
    const entry = this.tracked.get(probeId);
    if (!entry) {
      this.ignoredCount++;
      return false;
    }
    const { sample } = entry;
    this.tracked.delete(probeId);
    const answered = result.success || (result.result === 'no-route' && result.responder !== null);

    if (answered) {
      if (entry.presumedLost) this.lostCount--;
      else this.pendingCount--;
      this.receivedCount++;
      const rtt = result.timeMs !== null && Number.isFinite(result.timeMs) && result.timeMs >= 0 ? result.timeMs : null;
      this.settle(sample, result.result, result.responder, rtt);
      if (result.responder !== null) this.recordResponder(result.responder, rtt, result.mpls);
      return true;
    }

    if (LOCAL_RESULT_KINDS.has(result.result)) {
      if (entry.presumedLost) this.lostCount--;
      else this.pendingCount--;
      this.sentCount--;
      this.settle(sample, result.result, null, null);
      return true;
    }

    // mtr-packet's own `no-reply` for a probe we already presumed lost changes
    // nothing; any other failure (a local no-route, ...) is final and counts as lost.
    if (entry.presumedLost && result.result === 'no-reply') return true;
    if (!entry.presumedLost) {
      this.pendingCount--;
      this.lostCount++;
    }
    this.settle(sample, result.result, result.responder, null);
    return true;
  }

  /**
   * Shows a pending probe as lost now (the adaptive wait gave up on it) while
   * still accepting a late reply. Returns false when not pending.
   */
  presumeLost(probeId: number): boolean {
    const entry = this.tracked.get(probeId);
    if (!entry || entry.presumedLost) return false;
    entry.presumedLost = true;
    this.settle(entry.sample, 'no-reply', null, null);
    this.pendingCount--;
    this.lostCount++;
    return true;
  }

  counters(): HopCounters {
    return {
      sent: this.sentCount,
      received: this.receivedCount,
      lost: this.lostCount,
      pending: this.pendingCount,
      ignoredResults: this.ignoredCount,
    };
  }

  /** lost / (sent - pending) in percent; 0 when nothing has completed. */
  get lossPct(): number {
    const completed = this.receivedCount + this.lostCount;
    return completed === 0 ? 0 : (100 * this.lostCount) / completed;
  }

  /**
   * The hop's statistics without its samples: what a live batch carries for
   * a changed hop. Costs the responders, never the sample buffer.
   */
  stats(hostnameOf?: (address: string) => string | null): HopStatsUpdate {
    const hosts: HostStats[] = [...this.responders.values()]
      .sort((a, b) => b.received - a.received || a.order - b.order)
      .map((r) => ({
        address: r.address,
        hostname: hostnameOf ? hostnameOf(r.address) : null,
        received: r.received,
        lastMs: r.rtt.last,
        avgMs: r.rtt.mean,
        bestMs: r.rtt.best,
        worstMs: r.rtt.worst,
        stdevMs: r.rtt.stdev,
        jitterMs: r.rtt.jitter,
        mpls: r.mpls.map((l) => ({ ...l })),
      }));
    return { ttl: this.ttl, sent: this.sentCount, received: this.receivedCount, lossPct: this.lossPct, hosts };
  }

  /**
   * The shared `Hop` shape. Samples are the ring buffer oldest first, minus
   * probes still pending; a probe presumed lost appears as `no-reply` until a
   * late reply turns it into `reply`/`ttl-expired`.
   */
  snapshot(hostnameOf?: (address: string) => string | null): Hop {
    const samples: Sample[] = [];
    for (const s of this.samples.toArray()) if (!s.pending) samples.push(publicSample(s));
    return { ...this.stats(hostnameOf), samples };
  }

  /**
   * Samples that appeared or changed since the last call, each once, as they
   * are now: a live batch's sample delta. (ttl, round) identifies a sample,
   * so a receiver replaces an earlier copy with the same round.
   */
  takeChangedSamples(): Sample[] {
    const out: Sample[] = [];
    for (const s of this.changed) out.push(publicSample(s));
    this.changed.clear();
    return out;
  }

  /** Whether any sample appeared or changed since the last `takeChangedSamples()`. */
  get hasChangedSamples(): boolean {
    return this.changed.size > 0;
  }

  private settle(sample: SampleRecord, result: ProbeResultKind, address: string | null, rttMs: number | null): void {
    sample.pending = false;
    sample.result = result;
    sample.address = address;
    sample.rttMs = rttMs;
    // Re-inserting keeps the set in order of last change.
    this.changed.delete(sample);
    this.changed.add(sample);
  }

  private finaliseUnanswered(probeId: number, entry: Tracked): void {
    this.tracked.delete(probeId);
    if (!entry.presumedLost) {
      this.pendingCount--;
      this.lostCount++;
      this.settle(entry.sample, 'no-reply', null, null);
    }
  }

  private recordResponder(address: string, rttMs: number | null, mpls: readonly MplsLabel[]): void {
    let r = this.responders.get(address);
    if (!r) {
      // Beyond the cap the reply still counts for the hop, just not per responder.
      if (this.responders.size >= MAX_RESPONDERS_PER_HOP) return;
      r = { address, received: 0, rtt: new RttStats(), mpls: [], mplsKeys: new Set(), order: this.responders.size };
      this.responders.set(address, r);
    }
    r.received++;
    if (rttMs !== null) r.rtt.add(rttMs);
    for (const label of mpls) {
      if (r.mpls.length >= MAX_MPLS_LABELS_PER_RESPONDER) break;
      const key = `${label.label}/${label.trafficClass}/${label.bottomOfStack ? 1 : 0}/${label.ttl}`;
      if (r.mplsKeys.has(key)) continue;
      r.mplsKeys.add(key);
      r.mpls.push({ ...label });
    }
  }
}

function publicSample(s: SampleRecord): Sample {
  return { round: s.round, at: s.at, result: s.result, address: s.address, rttMs: s.rttMs };
}

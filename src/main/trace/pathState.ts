/**
 * The per-TTL state of one trace: a HopAccumulator per TTL, the responders
 * seen at each, and where the path currently ends (the destination, or a
 * router answering unreachable). `apply` folds one probe outcome in and says
 * what changed; it sends nothing and starts no timer, so every rule about
 * which hops are on the path lives here and is decided once.
 *
 * One PathState holds one segment (one set of options): new options start
 * a new PathState, so statistics never mix across protocols or TTL ranges.
 *
 * No history is ever deleted: a TTL that has been on the path keeps its
 * samples when the end moves below it and is reported with `onPath: false`. Only overshoot is dropped: TTLs probed
 * past an end not yet known (round 0 probes every TTL) that were never on
 * the path; the live stream says so (`dropped`) so the live model follows.
 */
import type { ProbeResult } from '@shared/probe';
import type { HopStatsUpdate } from '@shared/session';
import type { Hop, Unreachable } from '@shared/traceFile';
import { HopAccumulator } from './hopAccumulator';

/** mtr's --max-unknown default: without a known end, probe at most this many TTLs past the last answer. */
export const MAX_UNKNOWN_HOPS = 5;

export interface PathEnd {
  ttl: number;
  kind: 'destination' | 'unreachable';
  address: string;
  /** Round whose answer set it: only later rounds may contradict it. */
  round: number;
}

export type ProbeOutcome =
  | { kind: 'result'; ttl: number; round: number; probeId: number; result: ProbeResult }
  | { kind: 'presumed-lost'; ttl: number; probeId: number };

export interface PathEffects {
  /** TTLs whose statistics, samples or on-path state changed. */
  dirty: number[];
  /** A responder seen at this TTL for the first time. */
  newResponder?: { ttl: number; address: string };
  /** Set when the end of the path moved, appeared or went away (then `end` is null). */
  endChanged?: { end: PathEnd | null };
  /** Overshoot TTLs forgotten because the end turned out to be below them. */
  dropped?: number[];
}

export class PathState {
  private readonly hops = new Map<number, HopAccumulator>();
  private readonly respondersByTtl = new Map<number, Set<string>>();
  private currentEnd: PathEnd | null = null;
  /**
   * TTLs up to here have been on the path: a router answered `ttl-expired`
   * there, or a round completed with the end there. Above it, a TTL past a
   * newly found end is overshoot.
   */
  private onPathUpTo = 0;

  constructor(
    private readonly firstTtl: number,
    private readonly maxTtl: number,
    private readonly sampleBufferSize: number,
    /** mtr's `-U`, when given: see {@link mtrUnknownLimit}. */
    private readonly maxUnknown?: number,
  ) {}

  get end(): PathEnd | null {
    return this.currentEnd;
  }

  get destinationTtl(): number | null {
    return this.currentEnd?.kind === 'destination' ? this.currentEnd.ttl : null;
  }

  get unreachable(): Unreachable | undefined {
    const end = this.currentEnd;
    return end?.kind === 'unreachable' ? { ttl: end.ttl, address: end.address } : undefined;
  }

  /** Highest TTL the next round probes. */
  probeLimit(): number {
    if (this.currentEnd !== null) return Math.min(this.currentEnd.ttl, this.maxTtl);
    if (this.maxUnknown !== undefined && this.hops.size > 0) return this.mtrUnknownLimit(this.maxUnknown);
    let highest = 0;
    for (const [ttl, responders] of this.respondersByTtl) if (responders.size > 0) highest = Math.max(highest, ttl);
    // Nothing has answered yet (first round, or a path that is silent so far): keep probing everything.
    if (highest === 0) return this.maxTtl;
    return Math.min(this.maxTtl, highest + MAX_UNKNOWN_HOPS);
  }

  /**
   * mtr's net_send_batch: a round goes TTL by TTL and stops after sending the TTL at which more than
   * `max` TTLs below it have no responder yet (never probed counts as none, as in mtr), so it probes
   * one past that point. Only once a round has probed (round 0 probes everything).
   */
  private mtrUnknownLimit(max: number): number {
    let unknown = 0;
    for (let ttl = this.firstTtl; ttl < this.maxTtl; ttl++) {
      if ((this.respondersByTtl.get(ttl)?.size ?? 0) === 0) unknown++;
      if (unknown > max) return ttl + 1;
    }
    return this.maxTtl;
  }

  sent(ttl: number, probeId: number, round: number, at: number): void {
    let hop = this.hops.get(ttl);
    if (!hop) {
      hop = new HopAccumulator(ttl, this.sampleBufferSize);
      this.hops.set(ttl, hop);
    }
    hop.sent(probeId, round, at);
  }

  apply(outcome: ProbeOutcome): PathEffects {
    const hop = this.hops.get(outcome.ttl);
    if (!hop) return { dirty: [] };
    if (outcome.kind === 'presumed-lost') return { dirty: hop.presumeLost(outcome.probeId) ? [outcome.ttl] : [] };

    const { ttl, round, result } = outcome;
    if (!hop.resolve(outcome.probeId, result)) return { dirty: [] };
    const effects: PathEffects = { dirty: [ttl] };
    const answered = result.success || (result.result === 'no-route' && result.responder !== null);
    if (!answered || result.responder === null) return effects;

    if (this.noteResponder(ttl, result.responder)) effects.newResponder = { ttl, address: result.responder };
    if (result.result === 'ttl-expired') this.onPathUpTo = Math.max(this.onPathUpTo, ttl);
    const next = this.nextEnd(ttl, round, result.result, result.responder);
    if (next !== undefined) {
      effects.dirty.push(...this.changingOnPath(() => (this.currentEnd = next)));
      effects.endChanged = { end: next };
      if (next !== null) {
        const dropped = this.dropOvershoot(next.ttl);
        if (dropped.length > 0) {
          effects.dropped = dropped;
          effects.dirty = effects.dirty.filter((t) => this.hops.has(t));
        }
      }
    }
    return effects;
  }

  /** A round completed: the path reaches at least the current end. */
  roundCompleted(): void {
    if (this.currentEnd !== null) this.onPathUpTo = Math.max(this.onPathUpTo, this.currentEnd.ttl);
  }

  private dropOvershoot(endTtl: number): number[] {
    const dropped: number[] = [];
    for (const ttl of this.hops.keys()) {
      if (ttl <= endTtl || ttl <= this.onPathUpTo) continue;
      this.hops.delete(ttl);
      this.respondersByTtl.delete(ttl);
      dropped.push(ttl);
    }
    return dropped;
  }

  /**
   * Where the path ends after this answer; undefined when unchanged. The end
   * moves down when an answer comes from closer, and goes away when a router
   * answers `ttl-expired` at its TTL in a later round (the path got longer):
   * the next rounds then probe past it again until the end answers.
   */
  private nextEnd(ttl: number, round: number, kind: string, address: string): PathEnd | null | undefined {
    if (ttl < this.firstTtl || ttl > this.maxTtl) return undefined;
    const end = this.currentEnd;
    const endKind = kind === 'reply' ? 'destination' : kind === 'no-route' ? 'unreachable' : null;
    if (endKind !== null) {
      const closer = end === null || ttl < end.ttl;
      const replacesAtSameTtl = end !== null && ttl === end.ttl && round > end.round && end.kind !== endKind;
      if (closer || replacesAtSameTtl) return { ttl, kind: endKind, address, round };
      return undefined;
    }
    if (kind === 'ttl-expired' && end !== null && ttl === end.ttl && round > end.round) return null;
    return undefined;
  }

  isOnPath(ttl: number): boolean {
    if (ttl < this.firstTtl || ttl > this.maxTtl) return false;
    return this.currentEnd === null || ttl <= this.currentEnd.ttl;
  }

  has(ttl: number): boolean {
    return this.hops.has(ttl);
  }

  /** TTLs where `address` answered. */
  ttlsOf(address: string): number[] {
    const ttls: number[] = [];
    for (const [ttl, responders] of this.respondersByTtl) if (responders.has(address)) ttls.push(ttl);
    return ttls;
  }

  /** Statistics of one TTL, without samples: a live batch's hop update. */
  hopStats(ttl: number, hostnameOf?: (address: string) => string | null): HopStatsUpdate | null {
    const hop = this.hops.get(ttl);
    return hop ? this.decorate(hop.stats(hostnameOf)) : null;
  }

  /** Samples of one TTL that appeared or changed since the last call. */
  takeChangedSamples(ttl: number) {
    return this.hops.get(ttl)?.takeChangedSamples() ?? [];
  }

  /** Every TTL ever probed, in order, with its samples: the file model. */
  snapshot(hostnameOf?: (address: string) => string | null): Hop[] {
    return [...this.hops.keys()]
      .sort((a, b) => a - b)
      .map((ttl) => this.decorate(this.hops.get(ttl)!.snapshot(hostnameOf)));
  }

  private decorate<T extends HopStatsUpdate>(hop: T): T {
    // Both fields are written only when they say something, so version-1 readers see the hop unchanged.
    const decorated: T = this.isOnPath(hop.ttl) ? hop : { ...hop, onPath: false };
    const end = this.currentEnd;
    return end?.kind === 'unreachable' && end.ttl === hop.ttl ? { ...decorated, unreachable: true } : decorated;
  }

  private noteResponder(ttl: number, address: string): boolean {
    let responders = this.respondersByTtl.get(ttl);
    if (!responders) {
      responders = new Set();
      this.respondersByTtl.set(ttl, responders);
    }
    if (responders.has(address)) return false;
    responders.add(address);
    return true;
  }

  /** Runs `change` and returns the TTLs whose on-path or unreachable state it changed. */
  private changingOnPath(change: () => void): number[] {
    const before = new Map([...this.hops.keys()].map((ttl) => [ttl, this.pathKey(ttl)]));
    change();
    return [...before].filter(([ttl, key]) => this.pathKey(ttl) !== key).map(([ttl]) => ttl);
  }

  private pathKey(ttl: number): string {
    const end = this.currentEnd;
    return `${this.isOnPath(ttl)}/${end?.kind === 'unreachable' && end.ttl === ttl}`;
  }
}

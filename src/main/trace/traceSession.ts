import type { ProbeOptions, ProbeResult } from '@shared/probe';
import type { Hop, Sample } from '@shared/traceFile';
import type { TraceOptions } from '@shared/traceOptions';
import type {
  HopStatsUpdate,
  SessionEvent,
  SessionEventBatch,
  SessionState,
  SessionSummary,
  UserFacingError,
} from '@shared/session';
import { HopAccumulator } from './hopAccumulator';
import { presumeLostAt } from './silentHopWait';
import type { ProbeTransport } from './probeTransport';
import { resolveTarget as systemResolveTarget, type ResolvedTarget } from '../net/resolveTarget';
import type { ReverseDnsCache } from '../net/reverseDns';
import { explainFailure } from './sessionErrors';

/**
 * mtr's --max-unknown default: once the destination has not been found,
 * later rounds probe at most this many TTLs past the last one that answered.
 */
export const MAX_UNKNOWN_HOPS = 5;

export interface TraceSessionDeps {
  transport: ProbeTransport;
  resolveTarget?: (target: string, ipVersion?: 4 | 6) => Promise<ResolvedTarget>;
  reverseDns?: ReverseDnsCache;
  mtrPacketVersion?: string | null;
  /** How long events are gathered before a batch goes out. */
  batchIntervalMs?: number;
  now?: () => number;
}

interface ProbeInFlight {
  probeId: number;
  ttl: number;
  round: number;
  sentAt: number;
  settled: boolean;
  presumed: boolean;
  silentTimer?: NodeJS.Timeout;
}

interface RoundInFlight {
  round: number;
  probes: Map<number, ProbeInFlight>;
  complete: boolean;
}

const TERMINAL: ReadonlySet<SessionState> = new Set(['finished', 'stopped', 'failed']);

/**
 * One trace of one target: discovery, rounds, statistics and batched events.
 * Round 0 probes every TTL at once; later rounds repeat every interval up to
 * the destination. Probes are never awaited in sequence, so a silent hop only
 * costs its adaptive wait (see silentHopWait.ts).
 */
export class TraceSession {
  readonly done: Promise<SessionSummary>;
  private resolveDone!: (summary: SessionSummary) => void;

  private options: TraceOptions;
  private state: SessionState = 'resolving';
  private target: ResolvedTarget | null = null;
  private error: UserFacingError | undefined;
  private readonly startedAt: number;
  private readonly restarts: { at: number; round: number }[] = [];

  private readonly hops = new Map<number, HopAccumulator>();
  private readonly respondersByTtl = new Map<number, Set<string>>();
  private destinationTtl: number | null = null;
  private readonly rounds = new Map<number, RoundInFlight>();
  private nextRound = 0;
  /** Round number at the last (re)start; `count` counts from here. */
  private roundBase = 0;
  private completedRounds = 0;
  private probeSeq = 0;
  private roundTimer: NodeJS.Timeout | undefined;
  private announcedErrors = new Set<string>();

  private readonly pendingEvents: SessionEvent[] = [];
  private readonly dirtyTtls = new Set<number>();
  private readonly newSamples = new Map<number, Sample[]>();
  private flushTimer: NodeJS.Timeout | undefined;
  private batchSeq = 0;
  private unsubscribeDns: (() => void) | undefined;

  private readonly now: () => number;
  private readonly batchIntervalMs: number;
  private readonly resolveTargetFn: (target: string, ipVersion?: 4 | 6) => Promise<ResolvedTarget>;

  constructor(
    readonly id: string,
    options: TraceOptions,
    private readonly deps: TraceSessionDeps,
    private readonly onBatch: (batch: SessionEventBatch) => void,
  ) {
    this.options = options;
    this.now = deps.now ?? Date.now;
    this.batchIntervalMs = deps.batchIntervalMs ?? 100;
    this.resolveTargetFn = deps.resolveTarget ?? systemResolveTarget;
    this.startedAt = this.now();
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  /** Resolves the target and begins probing. Failures end the session; they are not thrown. */
  async start(): Promise<void> {
    if (this.state !== 'resolving' || this.target) return;
    await this.resolveAndRun();
  }

  pause(): void {
    if (this.state !== 'running') return;
    clearTimeout(this.roundTimer);
    this.setState('paused');
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.setState('running');
    this.scheduleRound();
  }

  stop(): void {
    if (TERMINAL.has(this.state)) return;
    this.end('stopped');
  }

  /**
   * Apply new options as a restart that keeps the statistics gathered so far.
   * The restart is recorded so views and files can mark it.
   */
  async updateOptions(options: TraceOptions): Promise<void> {
    clearTimeout(this.roundTimer);
    for (const round of this.rounds.values()) this.abandonRound(round);
    this.rounds.clear();
    const targetChanged = options.target !== this.options.target || options.ipVersion !== this.options.ipVersion;
    this.options = options;
    this.restarts.push({ at: this.now(), round: this.nextRound });
    this.roundBase = this.nextRound;
    this.destinationTtl = null;
    this.error = undefined;
    if (targetChanged) {
      this.target = null;
      this.setState('resolving');
      await this.resolveAndRun();
    } else {
      this.listenForHostnames();
      this.setState('running');
      this.scheduleRound();
    }
  }

  /** Stop, and stop listening for names: the session is being forgotten. */
  dispose(): void {
    this.stop();
    this.unsubscribeDns?.();
    this.unsubscribeDns = undefined;
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
  }

  summary(): SessionSummary {
    return {
      id: this.id,
      options: this.options,
      state: this.state,
      targetAddress: this.target?.address ?? null,
      ipVersion: this.target?.ipVersion ?? null,
      destinationTtl: this.destinationTtl,
      rounds: this.completedRounds,
      startedAt: this.startedAt,
      mtrPacketVersion: this.deps.mtrPacketVersion ?? null,
      restarts: [...this.restarts],
      ...(this.error ? { error: this.error } : {}),
    };
  }

  /** Every hop up to the destination (or the last probed TTL), with samples. */
  snapshotHops(): Hop[] {
    return [...this.hops.keys()].sort((a, b) => a - b).map((ttl) => this.snapshotHop(ttl));
  }

  /** Names keep arriving after the last round (lookups are slower than a short trace), until dispose(). */
  private listenForHostnames(): void {
    this.unsubscribeDns ??= this.deps.reverseDns?.onResolved((address, hostname) => this.onHostname(address, hostname));
  }

  private async resolveAndRun(): Promise<void> {
    this.listenForHostnames();
    try {
      this.target = await this.resolveTargetFn(this.options.target, this.options.ipVersion);
    } catch (err) {
      this.fail(explainFailure(err));
      return;
    }
    if (TERMINAL.has(this.state)) return;
    this.warnAboutKnownLimitations();
    this.setState('running');
    this.scheduleRound();
  }

  /**
   * mtr-packet up to 0.95 hides the probe sequence in the UDP checksum for a
   * fixed flow, but lets the kernel overwrite it over IPv6: no reply can be
   * matched. Say so instead of showing a path of silent hops.
   */
  private warnAboutKnownLimitations(): void {
    const o = this.options;
    const version = Number.parseFloat(this.deps.mtrPacketVersion ?? '');
    if (
      this.target?.ipVersion === 6 &&
      o.protocol === 'udp' &&
      o.port !== undefined &&
      o.localPort !== undefined &&
      Number.isFinite(version) &&
      version <= 0.95
    ) {
      this.announceOnce('udp6-fixed-flow', {
        code: 'mtr-packet-limitation',
        title: 'Fixed-flow UDP over IPv6 does not work with this mtr-packet',
        detail: `mtr-packet ${this.deps.mtrPacketVersion} loses the probe id when both port and local port are set over IPv6, so every probe looks lost.`,
        fix: 'Leave the local port empty (the path may then vary across ECMP branches), use TCP, or upgrade mtr.',
      });
    }
  }

  private scheduleRound(): void {
    if (this.state !== 'running') return;
    const { count, intervalSec } = this.options;
    if (count !== null && this.nextRound - this.roundBase >= count) {
      this.finishIfIdle();
      return;
    }
    this.sendRound(this.nextRound++);
    this.roundTimer = setTimeout(() => this.scheduleRound(), intervalSec * 1000);
  }

  private effectiveMaxTtl(): number {
    const { maxTtl } = this.options;
    if (this.destinationTtl !== null) return Math.min(this.destinationTtl, maxTtl);
    let highest = 0;
    for (const [ttl, responders] of this.respondersByTtl) if (responders.size > 0) highest = Math.max(highest, ttl);
    // Nothing has answered yet (first round, or a path that is silent so far): keep probing everything.
    if (highest === 0) return maxTtl;
    return Math.min(maxTtl, highest + MAX_UNKNOWN_HOPS);
  }

  private sendRound(roundNumber: number): void {
    const round: RoundInFlight = { round: roundNumber, probes: new Map(), complete: false };
    this.rounds.set(roundNumber, round);
    const last = this.effectiveMaxTtl();
    for (let ttl = this.options.firstTtl; ttl <= last; ttl++) this.sendProbe(round, ttl);
  }

  private sendProbe(round: RoundInFlight, ttl: number): void {
    const target = this.target;
    if (!target) return;
    let hop = this.hops.get(ttl);
    if (!hop) {
      hop = new HopAccumulator(ttl, this.options.sampleBufferSize);
      this.hops.set(ttl, hop);
    }
    const probe: ProbeInFlight = {
      probeId: ++this.probeSeq,
      ttl,
      round: round.round,
      sentAt: this.now(),
      settled: false,
      presumed: false,
    };
    hop.sent(probe.probeId, probe.round, probe.sentAt);
    round.probes.set(ttl, probe);
    this.markDirty(ttl);
    this.deps.transport.probe(target.address, this.probeOptions(ttl, target)).then(
      (result) => this.onResult(round, probe, result),
      (err: unknown) => this.onTransportError(round, probe, err),
    );
  }

  private probeOptions(ttl: number, target: ResolvedTarget): ProbeOptions {
    const o = this.options;
    const options: ProbeOptions = {
      ttl,
      protocol: o.protocol,
      ipVersion: target.ipVersion,
      timeoutSec: o.timeoutSec,
    };
    if (o.port !== undefined) options.port = o.port;
    if (o.localIp !== undefined) options.localIp = o.localIp;
    if (o.localPort !== undefined) options.localPort = o.localPort;
    if (o.size !== undefined) options.size = o.size;
    if (o.bitPattern !== undefined) options.bitPattern = o.bitPattern;
    if (o.tos !== undefined) options.tos = o.tos;
    if (o.mark !== undefined) options.mark = o.mark;
    return options;
  }

  private onResult(round: RoundInFlight, probe: ProbeInFlight, result: ProbeResult): void {
    const wasPresumed = probe.presumed;
    probe.settled = true;
    clearTimeout(probe.silentTimer);
    if (this.destinationTtl !== null && probe.ttl > this.destinationTtl) {
      this.checkRoundComplete(round);
      return;
    }
    const hop = this.hops.get(probe.ttl);
    if (!hop) return;
    hop.resolve(probe.probeId, result);
    this.recordSample(probe, result);

    if (result.success && result.responder) {
      this.noteResponder(probe.ttl, result.responder);
      if (result.result === 'reply') this.onDestination(probe.ttl);
      if (!wasPresumed) this.shortenWaitsBelow(round, probe.ttl, result.timeMs ?? 0);
    } else {
      this.onProbeFailure(result);
    }
    this.checkRoundComplete(round);
  }

  /** A later hop answered: earlier hops still pending in this round get traceroute's "near" wait. */
  private shortenWaitsBelow(round: RoundInFlight, ttl: number, rttMs: number): void {
    const timeoutMs = this.options.timeoutSec * 1000;
    for (const other of round.probes.values()) {
      if (other.ttl >= ttl || other.settled || other.presumed) continue;
      const deadline = presumeLostAt(other.sentAt, rttMs, timeoutMs);
      clearTimeout(other.silentTimer);
      other.silentTimer = setTimeout(() => this.presume(round, other), Math.max(0, deadline - this.now()));
    }
  }

  private presume(round: RoundInFlight, probe: ProbeInFlight): void {
    if (probe.settled || probe.presumed) return;
    probe.presumed = true;
    const hop = this.hops.get(probe.ttl);
    if (hop) {
      hop.presumeLost(probe.probeId);
      this.addSample(probe.ttl, {
        round: probe.round,
        at: probe.sentAt,
        result: 'no-reply',
        address: null,
        rttMs: null,
      });
      this.markDirty(probe.ttl);
    }
    this.checkRoundComplete(round);
  }

  private onProbeFailure(result: ProbeResult): void {
    switch (result.result) {
      case 'permission-denied':
      case 'invalid-argument':
      case 'unknown':
        // mtr-packet refused the probe itself: every later probe would fail the same way.
        this.fail(explainFailure(result, this.options));
        return;
      case 'no-route':
      case 'network-down':
      case 'probes-exhausted':
        this.announceOnce(result.result, explainFailure(result, this.options));
        return;
      default:
        return;
    }
  }

  private onTransportError(round: RoundInFlight, probe: ProbeInFlight, err: unknown): void {
    probe.settled = true;
    clearTimeout(probe.silentTimer);
    if (TERMINAL.has(this.state)) return;
    this.fail(explainFailure(err));
    this.checkRoundComplete(round);
  }

  private onDestination(ttl: number): void {
    if (this.destinationTtl !== null && this.destinationTtl <= ttl) return;
    this.destinationTtl = ttl;
    for (const hopTtl of [...this.hops.keys()]) {
      if (hopTtl > ttl) {
        this.hops.delete(hopTtl);
        this.respondersByTtl.delete(hopTtl);
        this.dirtyTtls.delete(hopTtl);
        this.newSamples.delete(hopTtl);
      }
    }
    for (const round of this.rounds.values()) {
      for (const probe of round.probes.values()) {
        if (probe.ttl > ttl) {
          probe.settled = true;
          clearTimeout(probe.silentTimer);
        }
      }
    }
    this.queue({ type: 'destination-reached', ttl });
    this.queue({ type: 'state', summary: this.summary() });
  }

  private noteResponder(ttl: number, address: string): void {
    let responders = this.respondersByTtl.get(ttl);
    if (!responders) {
      responders = new Set();
      this.respondersByTtl.set(ttl, responders);
    }
    if (responders.has(address)) return;
    responders.add(address);
    this.queue({ type: 'path-changed', ttl, address });
    if (this.options.dns) this.deps.reverseDns?.get(address);
  }

  private onHostname(address: string, hostname: string | null): void {
    if (!this.options.dns) return;
    let known = false;
    for (const [ttl, responders] of this.respondersByTtl) {
      if (responders.has(address)) {
        known = true;
        this.markDirty(ttl);
      }
    }
    if (known) this.queue({ type: 'hostname', address, hostname });
  }

  private checkRoundComplete(round: RoundInFlight): void {
    if (round.complete) return;
    for (const probe of round.probes.values()) {
      if (!probe.settled && !probe.presumed) return;
    }
    round.complete = true;
    this.rounds.delete(round.round);
    this.completedRounds++;
    this.queue({ type: 'state', summary: this.summary() });
    this.finishIfIdle();
  }

  private finishIfIdle(): void {
    const { count } = this.options;
    if (this.state !== 'running' || count === null) return;
    if (this.nextRound - this.roundBase < count || this.rounds.size > 0) return;
    this.end('finished');
  }

  private abandonRound(round: RoundInFlight): void {
    for (const probe of round.probes.values()) clearTimeout(probe.silentTimer);
  }

  private fail(error: UserFacingError): void {
    if (TERMINAL.has(this.state)) return;
    this.error = error;
    this.queue({ type: 'error', error });
    this.end('failed');
  }

  private announceOnce(key: string, error: UserFacingError): void {
    if (this.announcedErrors.has(key)) return;
    this.announcedErrors.add(key);
    this.queue({ type: 'error', error });
  }

  private end(state: SessionState): void {
    clearTimeout(this.roundTimer);
    for (const round of this.rounds.values()) this.abandonRound(round);
    this.setState(state);
    this.flush();
    this.resolveDone(this.summary());
  }

  private setState(state: SessionState): void {
    this.state = state;
    this.queue({ type: 'state', summary: this.summary() });
  }

  // --- batching -------------------------------------------------------------

  private snapshotHop(ttl: number): Hop {
    const hostnameOf = this.options.dns ? (address: string) => this.deps.reverseDns?.get(address) ?? null : () => null;
    return this.hops.get(ttl)!.snapshot(hostnameOf);
  }

  private recordSample(probe: ProbeInFlight, result: ProbeResult): void {
    this.addSample(probe.ttl, {
      round: probe.round,
      at: probe.sentAt,
      result: result.result,
      address: result.responder,
      rttMs: result.success ? result.timeMs : null,
    });
    this.markDirty(probe.ttl);
  }

  private addSample(ttl: number, sample: Sample): void {
    let list = this.newSamples.get(ttl);
    if (!list) {
      list = [];
      this.newSamples.set(ttl, list);
    }
    list.push(sample);
    this.scheduleFlush();
  }

  private markDirty(ttl: number): void {
    this.dirtyTtls.add(ttl);
    this.scheduleFlush();
  }

  private queue(event: SessionEvent): void {
    this.pendingEvents.push(event);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => this.flush(), this.batchIntervalMs);
  }

  /** Send everything gathered since the last batch as one batch. */
  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const events = this.pendingEvents.splice(0);
    if (this.dirtyTtls.size > 0) {
      const hops: HopStatsUpdate[] = [];
      for (const ttl of [...this.dirtyTtls].sort((a, b) => a - b)) {
        if (!this.hops.has(ttl)) continue;
        const { samples: _samples, ...stats } = this.snapshotHop(ttl);
        hops.push(stats);
      }
      const samples = [...this.newSamples].map(([ttl, list]) => ({ ttl, samples: list }));
      this.dirtyTtls.clear();
      this.newSamples.clear();
      events.push({ type: 'hops', hops, samples });
    }
    if (events.length === 0) return;
    this.onBatch({ sessionId: this.id, seq: ++this.batchSeq, events });
  }
}

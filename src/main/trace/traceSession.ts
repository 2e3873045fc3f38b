import { resolutionIpVersion, type ProbeOptions, type ProbeResult } from '@shared/probe';
import type { Hop, Marker, MarkerKind } from '@shared/traceFile';
import type { TraceOptions } from '@shared/traceOptions';
import type { EarlierSegmentHops } from '@shared/traceDocument';
import type { SessionEvent, SessionEventBatch, SessionState, SessionSummary, UserFacingError } from '@shared/session';
import { EventBatcher } from './eventBatcher';
import type { PathEffects, PathState } from './pathState';
import { SessionSegments } from './sessionSegments';
import { RoundScheduler, type ProbeInFlight } from './roundScheduler';
import { knownLimitation, probeOptionsFor } from './probeSettings';
import {
  explainBriefly,
  plainProbeOptions,
  resolveLiteralOnly,
  type FailureExplainer,
  type ResolvedTarget,
  type TargetResolver,
  type TraceSessionDeps,
} from './sessionDeps';

export { MAX_UNKNOWN_HOPS } from './pathState';
export type { TraceSessionDeps } from './sessionDeps';

/** Markers kept per session; a helper flapping for days must not grow memory without bound. */
export const MAX_MARKERS = 1000;

const TERMINAL: ReadonlySet<SessionState> = new Set(['finished', 'stopped', 'failed']);

/**
 * One trace of one target: its lifecycle, wiring three parts with one job
 * each: RoundScheduler (when probes go out, presumed loss), PathState (the
 * per-TTL statistics and where the path ends) and EventBatcher (batches).
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
  private readonly markers: Marker[] = [];
  private readonly stalledRounds = new Set<number>();
  private readonly announcedErrors = new Set<string>();
  private unsubscribeDns: (() => void) | undefined;
  private endedAt: number | undefined;
  /** This session's probe options without the ttl, built once per options change and target. */
  private baseProbeOptions: ProbeOptions | null = null;

  private readonly segments: SessionSegments;
  private readonly scheduler: RoundScheduler;
  private readonly batcher: EventBatcher;
  private readonly now: () => number;
  private readonly explainFailure: FailureExplainer;
  private readonly resolveTarget: TargetResolver;

  constructor(
    readonly id: string,
    options: TraceOptions,
    private readonly deps: TraceSessionDeps,
    onBatch: (batch: SessionEventBatch) => void,
  ) {
    this.options = options;
    this.now = deps.now ?? Date.now;
    this.explainFailure = deps.explainFailure ?? explainBriefly;
    this.resolveTarget = deps.resolveTarget ?? resolveLiteralOnly;
    this.startedAt = this.now();
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    this.segments = new SessionSegments(options, this.startedAt);
    this.batcher = new EventBatcher(
      id,
      deps.batchIntervalMs ?? 100,
      {
        hopStats: (ttl) => this.path.hopStats(ttl, this.hostnameOf()),
        takeChangedSamples: (ttl) => this.path.takeChangedSamples(ttl),
        segmentIndex: () => this.segments.index,
      },
      onBatch,
    );
    this.scheduler = new RoundScheduler(options, {
      now: this.now,
      ttlRange: () => ({ first: this.options.firstTtl, last: this.path.probeLimit() }),
      destinationTtl: () => this.path.destinationTtl,
      heldBack: () => this.deps.transport.heldBack?.() ?? 0,
      onHoldChanged: () => this.queue({ type: 'state', summary: this.summary() }),
      send: (probe) => this.send(probe),
      onResult: (probe, result) => this.onResult(probe, result),
      onPresumedLost: (probe) => this.applyEffects(this.path.apply({ kind: 'presumed-lost', ...probe })),
      onTransportError: (_probe, err) => this.fail(this.explainFailure(err)),
      onRoundComplete: () => {
        this.path.roundCompleted();
        this.queue({ type: 'state', summary: this.summary() });
      },
      onAllRoundsDone: () => this.end('finished'),
    });
  }

  /** Resolves the target and begins probing. Failures end the session; they are not thrown. */
  async start(): Promise<void> {
    if (this.state !== 'resolving' || this.target) return;
    await this.resolveAndRun();
  }

  pause(): void {
    if (this.state !== 'running') return;
    this.scheduler.halt();
    this.setState('paused');
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.setState('running');
    this.scheduler.run();
  }

  stop(): void {
    if (TERMINAL.has(this.state)) return;
    this.end('stopped');
  }

  /**
   * Apply new options: the current segment closes and a new one begins with
   * fresh statistics (the earlier segment's stay as they were). A new target
   * is resolved first: when that fails the error is thrown and the running
   * trace is left exactly as it was.
   */
  async updateOptions(options: TraceOptions): Promise<void> {
    const targetChanged =
      options.target !== this.options.target || resolutionIpVersion(options) !== resolutionIpVersion(this.options);
    let target = this.target;
    if (targetChanged || target === null) {
      const endedBefore = this.endedAt !== undefined;
      target = await this.resolveTarget(options.target, resolutionIpVersion(options));
      const routeProblem = this.deps.checkRoute ? await this.deps.checkRoute(target, options) : null;
      if (routeProblem) throw new Error(`${routeProblem.title}: ${routeProblem.detail}`);
      // Stopped while the name was being looked up: the stop wins.
      if (!endedBefore && this.endedAt !== undefined) return;
    }
    this.scheduler.restart(options);
    this.beginSegment(options, target, 'options-changed');
    this.error = undefined;
    this.listenForHostnames();
    this.warnAboutKnownLimitations();
    this.setState('running');
    this.scheduler.run();
  }

  /**
   * mtr's `r`: counting starts again with the same options. The current
   * segment closes as it stands (its statistics stay, as after an options
   * change) and the next begins with fresh ones, marked `statistics-reset`.
   * A paused session stays paused.
   */
  resetStatistics(): void {
    if (this.state !== 'running' && this.state !== 'paused') return;
    this.scheduler.restart(this.options);
    this.beginSegment(this.options, this.target, 'statistics-reset');
    if (this.state === 'running') this.scheduler.run();
  }

  /** Closes the current segment and opens the next with `options` and `target`, marking why on the timeline. */
  private beginSegment(
    options: TraceOptions,
    target: ResolvedTarget | null,
    kind: 'options-changed' | 'statistics-reset',
  ): void {
    // The closing segment's last changes go out under its own index before the next one starts.
    this.batcher.flush();
    const at = this.now();
    const round = this.scheduler.upcomingRound;
    // A session that had ended (stopped, finished) runs again: its last segment ended then, not now.
    this.segments.next(
      options,
      { closedAt: this.endedAt ?? at, at, round },
      this.scheduler.completedRounds,
      this.target,
    );
    this.endedAt = undefined;
    // The marker's summary must already carry the new segment's options and target.
    this.options = options;
    this.baseProbeOptions = null;
    this.target = target;
    this.restarts.push({ at, round });
    this.addMarker({ kind, at, round });
  }

  /**
   * Marks the timeline, for what the session cannot see itself (the service
   * calls this when it restarts mtr-packet). Applies to the round about to be sent.
   */
  recordMarker(kind: MarkerKind, detail?: string): void {
    this.addMarker({ kind, at: this.now(), round: this.scheduler.upcomingRound, ...(detail ? { detail } : {}) });
  }

  /**
   * End the session with an error from outside (the service stops a target
   * that keeps crashing mtr-packet); what it collected stays.
   */
  abort(error: UserFacingError): void {
    this.fail(error);
  }

  /** Stop, and stop listening for names: the session is being forgotten. */
  dispose(): void {
    this.stop();
    this.unsubscribeDns?.();
    this.unsubscribeDns = undefined;
    this.batcher.cancel();
  }

  summary(): SessionSummary {
    const unreachable = this.path.unreachable;
    const heldBack = this.deps.transport.heldBack?.() ?? 0;
    return {
      id: this.id,
      options: this.options,
      state: this.state,
      targetAddress: this.target?.address ?? null,
      ipVersion: this.target?.ipVersion ?? null,
      destinationTtl: this.path.destinationTtl,
      rounds: this.scheduler.completedRounds,
      segment: this.segments.index,
      segments: this.segments.list(this.scheduler.completedRounds, this.target, this.endedAt),
      startedAt: this.startedAt,
      mtrPacketVersion: this.deps.mtrPacketVersion ?? null,
      ...(this.deps.host ? { host: this.deps.host } : {}),
      restarts: [...this.restarts],
      markers: [...this.markers],
      ...(unreachable ? { unreachable } : {}),
      ...(heldBack > 0 ? { heldBackProbes: heldBack } : {}),
      ...(this.error ? { error: this.error } : {}),
    };
  }

  /** Every TTL probed so far in the current segment, with samples; those off its path say `onPath: false`. */
  snapshotHops(): Hop[] {
    return this.path.snapshot(this.hostnameOf());
  }

  /** Hops of the earlier segments by index, for `buildTraceDocument`. */
  snapshotEarlierSegments(): EarlierSegmentHops {
    return this.segments.earlierHops(this.hostnameOf());
  }

  /** The current segment's per-TTL state. */
  private get path(): PathState {
    return this.segments.path;
  }

  /** Send everything gathered since the last batch as one batch. */
  flush(): void {
    this.batcher.flush();
  }

  /** Names keep arriving after the last round (lookups are slower than a short trace), until dispose(). */
  private listenForHostnames(): void {
    this.unsubscribeDns ??= this.deps.reverseDns?.onResolved((address, hostname) => this.onHostname(address, hostname));
  }

  private hostnameOf(): ((address: string) => string | null) | undefined {
    const dns = this.deps.reverseDns;
    if (!this.options.dns || !dns) return undefined;
    return (address) => dns.get(address) ?? null;
  }

  private async resolveAndRun(): Promise<void> {
    this.listenForHostnames();
    try {
      this.target = await this.resolveTarget(this.options.target, resolutionIpVersion(this.options));
      this.baseProbeOptions = null;
      const routeProblem = this.deps.checkRoute ? await this.deps.checkRoute(this.target, this.options) : null;
      if (routeProblem) {
        this.fail(routeProblem);
        return;
      }
    } catch (err) {
      this.fail(this.explainFailure(err, this.options));
      return;
    }
    if (TERMINAL.has(this.state)) return;
    this.warnAboutKnownLimitations();
    this.setState('running');
    this.scheduler.run();
  }

  private warnAboutKnownLimitations(): void {
    const limitation = knownLimitation(this.options, this.target, this.deps.mtrPacketVersion);
    if (limitation) this.announceOnce(limitation.key, limitation.error);
  }

  private send(probe: ProbeInFlight): Promise<ProbeResult> {
    const target = this.target!;
    this.path.sent(probe.ttl, probe.probeId, probe.round, probe.sentAt);
    this.batcher.markDirty([probe.ttl]);
    const builder = this.deps.probeOptions ?? plainProbeOptions;
    try {
      this.baseProbeOptions ??= builder.base(probeOptionsFor(this.options, target));
      return this.deps.transport.probe(target.address, builder.withTtl(this.baseProbeOptions, probe.ttl));
    } catch (err) {
      // Options the builder refuses end the session through the transport-error path, like a refused probe.
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private onResult(probe: ProbeInFlight, result: ProbeResult): void {
    this.applyEffects(this.path.apply({ kind: 'result', ...probe, result }));
    // A frozen helper is not the network: the round is marked stalled once, and its probes count as nothing.
    if (result.result === 'helper-stalled' && !this.stalledRounds.has(probe.round)) {
      if (this.stalledRounds.size >= MAX_MARKERS) this.stalledRounds.clear();
      this.stalledRounds.add(probe.round);
      this.addMarker({ kind: 'helper-stalled', at: this.now(), round: probe.round });
    }
    if (!result.success) this.onProbeFailure(result);
  }

  private applyEffects(effects: PathEffects): void {
    if (effects.dropped) this.batcher.drop(effects.dropped);
    this.batcher.markDirty(effects.dirty);
    if (effects.newResponder) {
      const { ttl, address } = effects.newResponder;
      this.queue({ type: 'path-changed', ttl, address });
      if (this.options.dns) this.deps.reverseDns?.get(address);
    }
    if (effects.endChanged) {
      const { end } = effects.endChanged;
      if (end !== null) this.scheduler.releaseBeyond(end.ttl);
      if (end?.kind === 'destination') this.queue({ type: 'destination-reached', ttl: end.ttl });
      this.queue({ type: 'state', summary: this.summary() });
    }
  }

  private onProbeFailure(result: ProbeResult): void {
    switch (result.result) {
      case 'permission-denied':
      case 'invalid-argument':
      case 'unknown':
        // mtr-packet refused the probe itself: every later probe would fail the same way.
        this.fail(this.explainFailure(result, this.options));
        return;
      case 'no-route':
        // With a router's address this is the path's answer (PathState ends the path there), not a local problem.
        if (result.responder === null) this.announceOnce(result.result, this.explainFailure(result, this.options));
        return;
      case 'network-down':
      case 'probes-exhausted':
        this.announceOnce(result.result, this.explainFailure(result, this.options));
        return;
      default:
        return;
    }
  }

  private onHostname(address: string, hostname: string | null): void {
    if (!this.options.dns) return;
    const ttls = this.path.ttlsOf(address);
    if (ttls.length === 0 && !this.segments.answeredEarlier(address)) return;
    this.batcher.markDirty(ttls);
    this.queue({ type: 'hostname', address, hostname });
  }

  private addMarker(marker: Marker): void {
    if (this.markers.length >= MAX_MARKERS) this.markers.shift();
    this.markers.push(marker);
    this.queue({ type: 'state', summary: this.summary() });
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
    this.endedAt ??= this.now();
    this.scheduler.end();
    this.setState(state);
    this.batcher.flush();
    this.resolveDone(this.summary());
  }

  private setState(state: SessionState): void {
    this.state = state;
    this.queue({ type: 'state', summary: this.summary() });
  }

  private queue(event: SessionEvent): void {
    this.batcher.queue(event);
  }
}

/**
 * What every trace session of one process shares: one mtr-packet under a
 * HelperSupervisor (respawned after an unexpected death), one ProbeScheduler
 * in front of it (fair, capped slots; each session gets `forSession(id)` as
 * its transport), the route pre-check and validated probe options. Used by
 * the TraceService, the CLI and the agent. On a helper restart every live
 * session records a `helper-restarted` marker and keeps running; a target that
 * keeps crashing the helper has its sessions stopped with an error naming it
 * (unless the owner keeps every target probing, as the agent does).
 */
import { HelperSupervisor, type HelperRestart, type HelperSupervisorOptions } from '../probing/helperSupervisor';
import { ProbeScheduler, type ProbeSchedulerOptions, type SessionProbeTransport } from '../probing/probeScheduler';
import type { MtrPacketClient, MtrPacketClientOptions } from '../mtr/client';
import { ProcessError } from '../mtr/errors';
import { validateProbeOptions, withProbeFields, type ValidProbeOptions } from '../mtr/probeOptions';
import { checkRoute, type RouteCheck as RouteVerdict } from '../net/checkRoute';
import { resolveTarget, type ForwardLookup } from '../net/resolveTarget';
import { TraceSession } from '../trace/traceSession';
import type { HostnameSource, ProbeOptionsBuilder, RouteCheck, TraceSessionDeps } from '../trace/sessionDeps';
import type { TraceOptions } from '@shared/traceOptions';
import type { SessionEventBatch } from '@shared/session';
import { CrashSuspects } from './crashSuspects';
import {
  explainCrashLoop,
  explainFailure,
  explainUnusableSource,
  explainGaveUp,
  explainUnroutable,
} from './sessionErrors';
import { hostname } from 'node:os';

export interface ProbeEngineOptions {
  /** Explicit mtr-packet path; otherwise MTR_PACKET, then PATH. */
  mtrPacketPath?: string;
  clientOptions?: MtrPacketClientOptions;
  /** Restart pacing and give-up limits (tests shorten them). */
  supervisorOptions?: Omit<HelperSupervisorOptions, 'client'>;
  schedulerOptions?: ProbeSchedulerOptions;
  /** Forward name lookups; the system resolver by default. */
  forwardLookup?: ForwardLookup;
  /** Asks the kernel for a route; checkRoute by default. Tests whose mtr-packet runs in a namespace ask there. */
  routeLookup?: RouteLookup;
  /**
   * Stop the sessions of a target in flight at two restarts in a row (default true). The agent turns
   * it off: it keeps every target probing, and its supervisor backs off instead of giving up.
   */
  stopCrashingTargets?: boolean;
  /** Makes the supervised mtr-packet; a HelperSupervisor by default, a scripted one in tests. */
  helper?: (options: HelperSupervisorOptions) => SupervisedHelper;
}

/** What the engine needs of its supervised mtr-packet (HelperSupervisor's surface). */
export type SupervisedHelper = Pick<
  HelperSupervisor,
  'open' | 'client' | 'gaveUpWith' | 'restartCount' | 'onRestart' | 'probe' | 'close'
>;

/** The kernel's answer for a route to `address`, sending from `localIp` when the trace sets one. */
export type RouteLookup = (address: string, localIp?: string) => Promise<RouteVerdict>;

/** Validate a session's options once; per probe only the ttl is checked. */
const validatedProbeOptions: ProbeOptionsBuilder = {
  base: (options) => validateProbeOptions(options),
  withTtl: (base, ttl) => withProbeFields(base as ValidProbeOptions, { ttl }),
};

/** Ask the kernel first: a target behind an `unreachable` route fails here and never reaches mtr-packet. */
function routeCheckWith(
  lookup: RouteLookup = (address, localIp) => checkRoute(address, undefined, localIp),
): RouteCheck {
  return async (target, options) => {
    const { localIp } = options;
    const route = await (localIp === undefined ? lookup(target.address) : lookup(target.address, localIp));
    // An odd failure of the check itself (timeout) is no proof of anything: the trace goes ahead.
    if (route.routable || route.code === 'other') return null;
    if (route.code === 'EADDRNOTAVAIL' || route.code === 'EINVAL') {
      return explainUnusableSource(localIp ?? '', target.address, route.code);
    }
    return explainUnroutable(target.address, route.code);
  };
}

interface Tracked {
  session: TraceSession;
  transport: SessionProbeTransport;
  supervisor: SupervisedHelper;
}

/** While mtr-packet restarts, how often the engine looks whether it is back or the supervisor gave up. */
const RECOVERY_POLL_MS = 100;

const isLive = (session: TraceSession): boolean => {
  const { state } = session.summary();
  return state !== 'finished' && state !== 'stopped' && state !== 'failed';
};

/** A restart marker's detail: what happened and which targets were being probed (a suspect shows there). */
const restartDetail = (restart: HelperRestart): string =>
  restart.inFlightAddresses.length
    ? `${restart.reason} (probing ${restart.inFlightAddresses.join(', ')})`
    : restart.reason;

export class ProbeEngine {
  private supervisor: SupervisedHelper | null = null;
  private scheduler: ProbeScheduler | null = null;
  private opening: Promise<void> | null = null;
  private readonly tracked = new Map<string, Tracked>();
  private readonly suspects = new CrashSuspects();
  private readonly routeCheck: RouteCheck;
  /** Restarts counted by supervisors this engine has replaced (after they gave up). */
  private retiredRestarts = 0;
  /** Kept across restarts: the client is null while mtr-packet restarts. */
  private lastVersion: string | null = null;

  constructor(private readonly options: ProbeEngineOptions = {}) {
    this.routeCheck = routeCheckWith(options.routeLookup);
  }

  /** Start mtr-packet if it is not running; after the supervisor gave up, a new one is tried. */
  async open(): Promise<void> {
    if (this.supervisor && !this.supervisor.gaveUpWith) return;
    this.opening ??= this.start().finally(() => (this.opening = null));
    return this.opening;
  }

  /** The running client (version, check-support); null before open() and while mtr-packet restarts. */
  get client(): MtrPacketClient | null {
    return this.supervisor?.client ?? null;
  }

  /** The running mtr-packet's version, or the last one seen while it restarts; null before it ever ran. */
  get mtrPacketVersion(): string | null {
    this.lastVersion = this.client?.version ?? this.lastVersion;
    return this.lastVersion;
  }

  /** How many times mtr-packet died and was started again, over the engine's life. */
  get restartCount(): number {
    return this.retiredRestarts + (this.supervisor?.restartCount ?? 0);
  }

  /** Probes sent to mtr-packet and not answered yet, over every session. */
  inFlight(): number {
    return this.scheduler?.inFlight() ?? 0;
  }

  /** Probes the scheduler holds back because mtr-packet or their session's share is full. */
  heldBack(): number {
    return this.scheduler?.heldBack() ?? 0;
  }

  /**
   * A session whose transport is this engine's; call open() first. `release(id)` when it is forgotten.
   * `pacing` tunes how often it batches events (the agent's are for metrics, not a live view).
   */
  createSession(
    id: string,
    options: TraceOptions,
    reverseDns: HostnameSource | undefined,
    onBatch: (batch: SessionEventBatch) => void,
    pacing: Pick<TraceSessionDeps, 'batchIntervalMs'> = {},
  ): TraceSession {
    const supervisor = this.supervisor;
    if (!this.scheduler || !supervisor) throw new Error('the probe engine is not open');
    const transport = this.scheduler.forSession(id);
    const session = new TraceSession(
      id,
      options,
      {
        transport,
        reverseDns,
        mtrPacketVersion: this.mtrPacketVersion,
        host: hostname(),
        resolveTarget: (target, ipVersion) => resolveTarget(target, ipVersion, this.options.forwardLookup),
        checkRoute: this.routeCheck,
        probeOptions: validatedProbeOptions,
        // Once the supervisor has given up, its error says why better than "mtr-packet ended".
        explainFailure: (cause, o) =>
          supervisor.gaveUpWith && cause instanceof ProcessError ? explainGaveUp(cause) : explainFailure(cause, o),
        ...pacing,
      },
      onBatch,
    );
    this.tracked.set(id, { session, transport, supervisor });
    return session;
  }

  /** The session is gone: its queued probes are dropped and it hears of no more restarts. */
  release(id: string): void {
    const entry = this.tracked.get(id);
    if (!entry) return;
    this.tracked.delete(id);
    entry.transport.close();
  }

  /** Close every session's transport and reap mtr-packet. */
  async close(): Promise<void> {
    for (const id of [...this.tracked.keys()]) this.release(id);
    this.scheduler?.close();
    this.scheduler = null;
    const supervisor = this.supervisor;
    this.supervisor = null;
    await supervisor?.close();
  }

  private async start(): Promise<void> {
    const previous = this.supervisor;
    const makeHelper = this.options.helper ?? ((options) => new HelperSupervisor(options));
    const supervisor = makeHelper({
      ...this.options.supervisorOptions,
      client: {
        ...this.options.clientOptions,
        ...(this.options.mtrPacketPath ? { path: this.options.mtrPacketPath } : {}),
      },
    });
    await supervisor.open();
    supervisor.onRestart((restart) => this.onRestart(supervisor, restart));
    // Sessions keep their transports: the new scheduler only serves sessions created from now on,
    // and the failed supervisor answers the old ones with its explanation.
    this.supervisor = supervisor;
    this.scheduler = new ProbeScheduler(supervisor, this.options.schedulerOptions);
    this.retiredRestarts += previous?.restartCount ?? 0;
    await previous?.close();
  }

  private onRestart(supervisor: SupervisedHelper, restart: HelperRestart): void {
    const blamed =
      this.options.stopCrashingTargets === false
        ? new Map<string, number>()
        : this.suspects.noteRestart(restart.at, restart.inFlightAddresses);
    this.watchRecovery(supervisor);
    for (const entry of this.tracked.values()) {
      const { session, transport } = entry;
      if (entry.supervisor !== supervisor || !isLive(session)) continue;
      const { targetAddress } = session.summary();
      session.recordMarker('helper-restarted', restartDetail(restart));
      const crashes = targetAddress === null ? undefined : blamed.get(targetAddress);
      if (crashes === undefined) continue;
      session.abort(explainCrashLoop(targetAddress!, crashes, restart.reason));
      // Its probes still waiting for a slot would crash the new helper too (and bring the give-up closer).
      transport.close();
    }
  }

  /**
   * Until mtr-packet is back: if the supervisor gives up, every live session of it fails now with
   * its reason, paused ones included (they would otherwise learn it only when resumed).
   */
  private watchRecovery(supervisor: SupervisedHelper): void {
    const timer = setInterval(() => {
      // Back again, or replaced or closed: nothing to do.
      if (supervisor.client || this.supervisor !== supervisor) {
        clearInterval(timer);
        return;
      }
      const reason = supervisor.gaveUpWith;
      if (!reason) return;
      clearInterval(timer);
      for (const entry of this.tracked.values()) {
        if (entry.supervisor === supervisor && isLive(entry.session)) entry.session.abort(explainGaveUp(reason));
      }
    }, RECOVERY_POLL_MS);
    timer.unref();
  }
}

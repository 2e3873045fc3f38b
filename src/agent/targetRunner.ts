import { randomUUID } from 'node:crypto';
import type { TraceSession } from '../main/trace/traceSession';
import type { ProbeEngine } from '../main/service/probeEngine';
import type { TraceOptions } from '@shared/traceOptions';
import type { HopStatsUpdate, SessionEventBatch, SessionSummary, UserFacingError } from '@shared/session';
import { HopMetricsCollector, type HopMetrics } from './hopMetrics';
import type { SessionRecorder } from './recorder';

/** `up`: probing and answering; `error`: failed (a retry is scheduled) or every probe fails; `resolving`: starting. */
export const TARGET_STATUSES = ['resolving', 'up', 'error'] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];

export interface TargetSnapshot {
  name: string;
  target: string;
  address: string | null;
  status: TargetStatus;
  error: UserFacingError | null;
  destinationTtl: number | null;
  rounds: number;
  /** Sessions started again after a failure. */
  retries: number;
  pathChanges: number;
  hops: HopMetrics[];
}

export interface RetryPolicy {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { initialMs: 2_000, maxMs: 5 * 60_000 };

/** Wait before retry number `failures` (1-based): doubling from initialMs, capped at maxMs. */
export function retryDelayMs(failures: number, policy: RetryPolicy): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  return Math.min(policy.maxMs, policy.initialMs * 2 ** exponent);
}

export interface TargetRunnerDeps {
  /**
   * The agent's engine, as the app's and the CLI's: its sessions probe through the shared mtr-packet (their
   * share of the scheduler), resolve names with the system resolver, check the route and are marked on a
   * restart. A session is released once it ended.
   */
  engine: Pick<ProbeEngine, 'createSession' | 'release'>;
  recorder: SessionRecorder;
  retry: RetryPolicy;
  log: (message: string) => void;
}

/** An error for the agent's log, with its fix (setcap, install mtr, …) when it has one, as the CLI prints it. */
const inWords = (error: UserFacingError): string =>
  `${error.title}: ${error.detail}${error.fix ? ` (fix: ${error.fix})` : ''}`;

/** Batches are for metrics and the recorder, not a live view: a slower cadence costs less with many targets. */
const BATCH_INTERVAL_MS = 500;

/**
 * One configured target, traced continuously: a session that is restarted
 * with backoff when it fails, and the statistics gathered from its events.
 */
export class TargetRunner {
  private session: TraceSession | null = null;
  private summary: SessionSummary | null = null;
  private collector = new HopMetricsCollector();
  /** Latest statistics per TTL, from the session's events (no samples copied). */
  private hopStats = new Map<number, HopStatsUpdate>();
  /** An error the running session announced (no route, network down) and no reply has cleared since. */
  private announced: UserFacingError | null = null;
  private consecutiveFailures = 0;
  private retries = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Settles once the current session's end has been handled (and handed to the recorder). */
  private ended: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    private options: TraceOptions,
    private readonly deps: TargetRunnerDeps,
  ) {}

  get currentOptions(): TraceOptions {
    return this.options;
  }

  /** The session running now (or the last one, failed and waiting for its retry), for the read-only view. */
  get currentSession(): TraceSession | null {
    return this.session;
  }

  start(): void {
    this.startSession();
  }

  /** New options for the same target and IP version: the session restarts keeping its statistics. */
  async update(options: TraceOptions): Promise<void> {
    this.options = options;
    if (this.stopped) return;
    // A session that failed (waiting for its retry) or is still resolving has nothing to keep: start afresh.
    const state = this.summary?.state;
    if (!this.session || state === 'failed' || state === 'resolving') {
      clearTimeout(this.retryTimer);
      this.session?.dispose();
      this.consecutiveFailures = 0;
      this.startSession();
      return;
    }
    await this.session.updateOptions(options);
  }

  /** Stops for good; resolves once the recorder has been told the session ended. */
  stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.session?.dispose();
    return this.ended;
  }

  snapshot(): TargetSnapshot {
    const summary = this.summary;
    const failed = summary?.state === 'failed';
    const status: TargetStatus =
      failed || this.announced
        ? 'error'
        : summary?.state === 'running' || summary?.state === 'paused'
          ? 'up'
          : 'resolving';
    const hops = [...this.hopStats.values()]
      .filter((h) => h.onPath !== false)
      .sort((a, b) => a.ttl - b.ttl)
      .map((h) => this.collector.hop(h));
    return {
      name: this.name,
      target: this.options.target,
      address: summary?.targetAddress ?? null,
      status,
      error: failed ? (summary?.error ?? null) : this.announced,
      destinationTtl: summary?.destinationTtl ?? null,
      rounds: summary?.rounds ?? 0,
      retries: this.retries,
      pathChanges: this.collector.pathChanges,
      hops,
    };
  }

  private startSession(): void {
    this.collector = new HopMetricsCollector();
    this.hopStats = new Map();
    this.announced = null;
    // Ids stay unique across retries, replaced runners and agent restarts (the history store keys on them).
    const id = `${this.name}#${randomUUID()}`;
    const session = this.deps.engine.createSession(
      id,
      this.options,
      undefined,
      (batch) => this.onBatch(session, batch),
      { batchIntervalMs: BATCH_INTERVAL_MS },
    );
    this.session = session;
    this.summary = session.summary();
    this.deps.recorder.sessionStarted(this.name, this.summary);
    this.ended = session.done.then((summary) => {
      this.deps.engine.release(id);
      this.onDone(session, summary);
    });
    void session.start();
  }

  private onBatch(session: TraceSession, batch: SessionEventBatch): void {
    if (session !== this.session) return;
    this.collector.add(batch);
    for (const event of batch.events) {
      switch (event.type) {
        case 'state':
          this.summary = event.summary;
          break;
        case 'hops':
          for (const hop of event.hops) this.hopStats.set(hop.ttl, hop);
          if (event.samples.some((s) => s.samples.some((sample) => sample.rttMs !== null))) {
            this.announced = null;
            this.consecutiveFailures = 0;
          }
          break;
        case 'destination-reached':
          for (const ttl of [...this.hopStats.keys()]) if (ttl > event.ttl) this.hopStats.delete(ttl);
          break;
        case 'error':
          if (this.announced?.code !== event.error.code) {
            this.deps.log(`target ${this.name}: ${inWords(event.error)}`);
          }
          this.announced = event.error;
          break;
        default:
          break;
      }
    }
    this.deps.recorder.record(this.name, batch);
  }

  private onDone(session: TraceSession, summary: SessionSummary): void {
    this.deps.recorder.sessionEnded(this.name, summary);
    // A session replaced by update() ends after its successor started: nothing more to do for it.
    if (session !== this.session) return;
    this.summary = summary;
    if (this.stopped || summary.state !== 'failed') return;
    this.consecutiveFailures++;
    const delay = retryDelayMs(this.consecutiveFailures, this.deps.retry);
    const why = summary.error ? inWords(summary.error) : 'the session failed';
    this.deps.log(`target ${this.name}: ${why}; retrying in ${Math.round(delay / 1000)} s`);
    this.retryTimer = setTimeout(() => {
      if (this.stopped) return;
      this.retries++;
      this.startSession();
    }, delay);
  }
}

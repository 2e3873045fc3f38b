import type { TraceOptions } from '@shared/traceOptions';
import type { AgentConfig } from './config';
import type { SessionRecorder } from './recorder';
import { NO_RECORDING } from './recorder';
import {
  DEFAULT_RETRY,
  TargetRunner,
  type RetryPolicy,
  type TargetRunnerDeps,
  type TargetSnapshot,
} from './targetRunner';
import type { TraceSession } from '../main/trace/traceSession';
import type { ProbeEngine } from '../main/service/probeEngine';

export interface AgentDeps {
  /**
   * The app's ProbeEngine, opened: one supervised mtr-packet (restarted after a death; every running session
   * gets a `helper-restarted` marker), one scheduler pacing every target. The agent closes it in stop().
   */
  engine: ProbeEngine;
  recorder?: SessionRecorder;
  retry?: RetryPolicy;
  log?: (message: string) => void;
}

export interface ApplyResult {
  added: string[];
  removed: string[];
  /** Same target, other options: restarted keeping its statistics. */
  updated: string[];
  /** New target address or IP version: its statistics start afresh. */
  replaced: string[];
  unchanged: string[];
}

/** The agent process itself, under the names Prometheus client libraries use. */
export interface ProcessStats {
  residentMemoryBytes: number;
  heapUsedBytes: number;
  cpuSeconds: number;
  startTimeSeconds: number;
}

export interface AgentSnapshot {
  targets: TargetSnapshot[];
  process: ProcessStats;
  probesInFlight: number;
  /** Probes the scheduler holds back because mtr-packet or their target's share is full. */
  probesHeldBack: number;
  mtrPacketVersion: string | null;
  mtrPacketRestarts: number;
  reloads: { succeeded: number; failed: number; lastSucceeded: boolean };
}

const PROCESS_START_SECONDS = Math.round(performance.timeOrigin / 1000);

/** Options compared by value; the schema output is plain data, so key-sorted JSON is a faithful key. */
function sameOptions(a: TraceOptions, b: TraceOptions): boolean {
  const key = (o: TraceOptions) => JSON.stringify(Object.entries(o).sort(([x], [y]) => x.localeCompare(y)));
  return key(a) === key(b);
}

/**
 * The headless agent: one runner per configured target, all probing through
 * one ProbeEngine (each session its own share of the scheduler). Applying a
 * new config touches only the targets it changes.
 */
export class Agent {
  private readonly runners = new Map<string, TargetRunner>();
  private readonly runnerDeps: TargetRunnerDeps;
  private readonly reloads = { succeeded: 0, failed: 0, lastSucceeded: true };

  constructor(private readonly deps: AgentDeps) {
    this.runnerDeps = {
      engine: deps.engine,
      recorder: deps.recorder ?? NO_RECORDING,
      retry: deps.retry ?? DEFAULT_RETRY,
      log: deps.log ?? (() => {}),
    };
  }

  /** Start, stop or update runners so they match `config`. The first call starts everything. */
  apply(config: AgentConfig): ApplyResult {
    const result: ApplyResult = { added: [], removed: [], updated: [], replaced: [], unchanged: [] };
    const wanted = new Map(config.targets.map((t) => [t.name, t.options]));
    for (const [name, runner] of this.runners) {
      if (!wanted.has(name)) {
        void runner.stop();
        this.runners.delete(name);
        result.removed.push(name);
      }
    }
    for (const [name, options] of wanted) {
      const runner = this.runners.get(name);
      if (!runner) {
        this.startRunner(name, options);
        result.added.push(name);
      } else if (sameOptions(runner.currentOptions, options)) {
        result.unchanged.push(name);
      } else if (
        runner.currentOptions.target !== options.target ||
        runner.currentOptions.ipVersion !== options.ipVersion
      ) {
        void runner.stop();
        this.startRunner(name, options);
        result.replaced.push(name);
      } else {
        void runner.update(options);
        result.updated.push(name);
      }
    }
    return result;
  }

  /** Each target's current session by target name, for the read-only view (src/agent/viewServer). */
  sessions(): { name: string; session: TraceSession }[] {
    return [...this.runners.values()].flatMap((r) =>
      r.currentSession ? [{ name: r.name, session: r.currentSession }] : [],
    );
  }

  /** Count a reload attempt for the agent's own metrics. */
  noteReload(succeeded: boolean): void {
    if (succeeded) this.reloads.succeeded++;
    else this.reloads.failed++;
    this.reloads.lastSucceeded = succeeded;
  }

  snapshot(): AgentSnapshot {
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage();
    return {
      targets: [...this.runners.values()].map((r) => r.snapshot()),
      process: {
        residentMemoryBytes: memory.rss,
        heapUsedBytes: memory.heapUsed,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        startTimeSeconds: PROCESS_START_SECONDS,
      },
      probesInFlight: this.deps.engine.inFlight(),
      probesHeldBack: this.deps.engine.heldBack(),
      mtrPacketVersion: this.deps.engine.mtrPacketVersion,
      mtrPacketRestarts: this.deps.engine.restartCount,
      reloads: { ...this.reloads },
    };
  }

  async stop(): Promise<void> {
    // Every session's end reaches the recorder before the caller closes it.
    await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
    this.runners.clear();
    await this.deps.engine.close();
  }

  private startRunner(name: string, options: TraceOptions): void {
    const runner = new TargetRunner(name, options, this.runnerDeps);
    this.runners.set(name, runner);
    runner.start();
  }
}

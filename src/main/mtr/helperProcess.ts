/**
 * The mtr-packet operating-system process: spawning, stdout lines, the stderr tail, write failures,
 * and an honest account of how it ended. The protocol lives in client.ts.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { ProcessError, type ProcessPhase } from './errors';
import { LineReader } from './lineReader';

const STDERR_TAIL_CHARS = 2000;
/** After 'exit', how long to wait for the pipes to close (a grandchild may hold them). */
const PIPE_CLOSE_WAIT_MS = 1000;
/** After a failed write, how long it may take to exit by itself before we stop it. */
const EXIT_AFTER_WRITE_ERROR_MS = 300;

export interface HelperProcessEvents {
  line(line: string): void;
  overlongLine(prefix: string): void;
  /** The process has ended (or could not be started: see `spawnError`). Called once. */
  gone(): void;
  /** spawn() failed asynchronously (ENOENT, EACCES …); `gone` follows. */
  spawnError(err: NodeJS.ErrnoException): void;
  log(kind: string, msg: string): void;
}

export class HelperProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private stderr = '';
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private stdinError: NodeJS.ErrnoException | null = null;
  /** We sent SIGKILL ourselves after a failed write, so that signal is not what went wrong. */
  private killedAfterWriteError = false;
  private ended = false;
  private stopping = false;
  private readonly endWaiters: (() => void)[] = [];

  /** Throws synchronously when spawn() itself throws. */
  constructor(
    readonly executable: string,
    env: NodeJS.ProcessEnv,
    private readonly events: HelperProcessEvents,
  ) {
    this.child = spawn(executable, [], { stdio: ['pipe', 'pipe', 'pipe'], env, windowsHide: true });
    this.attach();
  }

  get pid(): number | null {
    return this.child.pid ?? null;
  }

  get stderrTail(): string {
    return this.stderr;
  }

  get hasEnded(): boolean {
    return this.ended;
  }

  get spawned(): boolean {
    return this.child.pid !== undefined;
  }

  write(line: string): void {
    this.child.stdin.write(line);
  }

  /** Close its input (mtr-packet exits once its outstanding probes have finished). */
  endInput(): void {
    this.stopping = true;
    this.child.stdin.end();
  }

  /** Stop it now if it still runs. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.stopping = true;
    if (this.ended || this.child.exitCode !== null || this.child.signalCode !== null) return;
    if (signal === 'SIGKILL') this.child.stdin.destroy();
    this.child.kill(signal);
  }

  /** Resolves true once the process has ended, false after `ms`. */
  waitGone(ms: number): Promise<boolean> {
    if (this.ended) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.endWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** What the end of the process means, in words that match what happened. */
  exitError(phase: ProcessPhase): ProcessError {
    const when = phase === 'start-up' ? 'during start-up, before answering the version check' : 'unexpectedly';
    const details = { phase, executable: this.executable, stderrTail: this.stderr } as const;
    if (this.stdinError && this.killedAfterWriteError) {
      // It stopped reading while still running and we killed it: our SIGKILL is not the cause.
      const code = this.stdinError.code ?? this.stdinError.message;
      return new ProcessError(
        `${this.executable} stopped reading its input ${when} (writing to it failed: ${code}); Hopscope then stopped it`,
        { kind: 'io', ...details, cause: this.stdinError },
      );
    }
    const io = this.stdinError ? `; writing to it failed: ${this.stdinError.message}` : '';
    return new ProcessError(`${this.executable} exited ${when}${io}`, {
      kind: 'exited',
      ...details,
      exitCode: this.exitInfo?.code ?? null,
      signal: this.exitInfo?.signal ?? null,
    });
  }

  private attach(): void {
    const { child, events } = this;
    const reader = new LineReader(
      (line) => events.line(line),
      (prefix) => events.overlongLine(prefix),
    );
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => reader.push(chunk));
    child.stdout.on('end', () => reader.end());
    child.stdout.on('error', (err) => events.log('stdout-error', `mtr-packet stdout error: ${err.message}`));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_TAIL_CHARS);
      events.log('stderr', `mtr-packet stderr: ${chunk.trimEnd()}`);
    });
    child.stderr.on('error', (err) => events.log('stderr-error', `mtr-packet stderr error: ${err.message}`));
    child.stdin.on('error', (err) => this.onStdinError(err));
    child.on('error', (err) => {
      if (child.pid !== undefined && !this.ended) {
        // Spawned fine; this is a failed kill() or similar.
        events.log('process-error', `mtr-packet process error: ${err.message}`);
        return;
      }
      events.spawnError(err);
      this.onEnd();
    });
    child.on('exit', (code, signal) => {
      this.exitInfo ??= { code, signal };
      setTimeout(() => this.onEnd(), PIPE_CLOSE_WAIT_MS).unref();
    });
    child.on('close', (code, signal) => {
      this.exitInfo ??= { code, signal };
      this.onEnd();
    });
  }

  private onStdinError(err: NodeJS.ErrnoException): void {
    if (this.stdinError) return;
    this.stdinError = err;
    this.events.log('stdin-error', `writing to mtr-packet failed: ${err.message}`);
    // EPIPE normally means it is exiting and 'close' will follow. Give it a moment to do so (then its
    // own exit status is what happened); otherwise stop it so nothing waits forever.
    setTimeout(() => {
      const child = this.child;
      if (this.ended || child.exitCode !== null || child.signalCode !== null || this.stopping) return;
      this.killedAfterWriteError = true;
      child.kill('SIGKILL');
    }, EXIT_AFTER_WRITE_ERROR_MS).unref();
  }

  private onEnd(): void {
    if (this.ended) return;
    this.ended = true;
    for (const wake of this.endWaiters.splice(0)) wake();
    this.events.gone();
  }
}

import { FEATURES, isIpLiteral, type Feature, type ProbeOptions, type ProbeResult } from '@shared/probe';
import { MtrPacketError, ProcessError, StateError, ValidationError } from './errors';
import { resolveMtrPacketPath } from './executable';
import { HelperProcess } from './helperProcess';
import { PendingRequests, type RequestOutcome } from './pendingRequests';
import { validateProbeOptions, withProbeFields, type ValidProbeOptions } from './probeOptions';
import {
  encodeRequest,
  encodeSendProbe,
  isWellFormedReply,
  MAX_TOKEN,
  parseReplyLine,
  toProbeResult,
} from './protocol';
import { findSourceAddress } from './sourceAddress';
import { SourceAddressRetry } from './sourceAddressRetry';

export interface MtrPacketClientOptions {
  /** Executable to run; takes precedence over `$MTR_PACKET` and the PATH search. */
  path?: string;
  /** Environment for the executable search and the subprocess (default: process.env). */
  env?: NodeJS.ProcessEnv;
  log?: (msg: string) => void;
  /** Extra wait after a probe's own timeout before it resolves as no-reply (default 1000 ms). */
  timeoutGraceMs?: number;
  /** How long open() and checkSupport() wait for mtr-packet to answer (default 5000 ms). */
  commandTimeoutMs?: number;
  /** Source-address finder used for the mtr 0.93 invalid-argument retry (default: findSourceAddress). */
  findSourceAddress?: (destination: string) => Promise<string | null>;
  /** Called once when mtr-packet dies after a successful open() (not on close()). */
  onUnexpectedExit?: (error: ProcessError) => void;
}

export const DEFAULT_PROBE_TIMEOUT_SEC = 10;
const DEFAULT_GRACE_MS = 1000;
const DEFAULT_COMMAND_TIMEOUT_MS = 5000;
const LOG_LIMIT = 20;

type State = 'new' | 'opening' | 'open' | 'closing' | 'closed' | 'dead';

const failedProbe = (result: 'no-reply' | 'helper-stalled'): ProbeResult => ({
  success: false,
  result,
  timeMs: null,
  responder: null,
  mpls: [],
});

function describeLine(line: string): string {
  return JSON.stringify(line.length > 200 ? `${line.slice(0, 200)}…` : line);
}

/**
 * One mtr-packet subprocess. Probes go to IP literals (names are resolved in src/main/net) and are
 * matched to replies by token, so any number can be in flight. Failures of the subprocess reject
 * every pending and later call with a ProcessError; nothing hangs.
 */
export class MtrPacketClient implements AsyncDisposable {
  private state: State = 'new';
  private helper: HelperProcess | null = null;
  private executable: string | null = null;
  private versionString: string | null = null;
  private deathError: MtrPacketError | null = null;
  private closing: Promise<void> | null = null;

  private readonly pending = new PendingRequests(MAX_TOKEN);
  private malformed = 0;
  private late = 0;
  private readonly logCounts = new Map<string, number>();
  private readonly featureCache = new Map<Feature, Promise<string | boolean>>();

  private readonly log: (msg: string) => void;
  private readonly graceMs: number;
  private readonly commandTimeoutMs: number;
  private readonly sourceRetry: SourceAddressRetry;

  constructor(private readonly options: MtrPacketClientOptions = {}) {
    this.log = options.log ?? (() => {});
    this.graceMs = Math.max(0, options.timeoutGraceMs ?? DEFAULT_GRACE_MS);
    this.commandTimeoutMs = Math.max(1, options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
    this.sourceRetry = new SourceAddressRetry(options.findSourceAddress ?? ((d) => findSourceAddress(d)), this.log);
  }

  static async open(options?: MtrPacketClientOptions): Promise<MtrPacketClient> {
    const client = new MtrPacketClient(options);
    await client.open();
    return client;
  }

  /** mtr-packet's version string (e.g. `0.95`) once open, else null. */
  get version(): string | null {
    return this.versionString;
  }

  /** The executable that was started, once open() has found it. */
  get executablePath(): string | null {
    return this.executable;
  }

  /** Process id of the running subprocess, if any. */
  get pid(): number | null {
    return this.helper?.pid ?? null;
  }

  /** Requests (probes and check-support) awaiting a reply. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Stdout lines that could not be parsed, were not well-formed, or carried a token we never sent. */
  get malformedLines(): number {
    return this.malformed;
  }

  /** Replies that arrived after their probe had already timed out (ignored). */
  get lateReplies(): number {
    return this.late;
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /** Start mtr-packet and check that it speaks the protocol (its answer to `check-support feature version`). */
  async open(): Promise<void> {
    if (this.state !== 'new') {
      throw new StateError(
        this.state === 'open' || this.state === 'opening'
          ? 'mtr-packet client is already open'
          : 'mtr-packet client cannot be reopened',
      );
    }
    this.state = 'opening';
    try {
      this.executable = resolveMtrPacketPath({ path: this.options.path, env: this.options.env });
      this.helper = this.startHelper(this.executable);
    } catch (err) {
      const error =
        err instanceof MtrPacketError
          ? err
          : new ProcessError(`could not start ${this.executable}: ${(err as Error).message}`, {
              kind: 'spawn-failed',
              phase: 'start-up',
              executable: this.executable,
              cause: err,
            });
      this.state = 'dead';
      this.deathError = error;
      throw error;
    }
    let version: string;
    try {
      version = await this.checkSupport('version');
    } catch (err) {
      if (err instanceof ProcessError && this.state === 'opening') this.die(err);
      throw this.deathError ?? err;
    }
    // close() may have run while we waited.
    if (this.state !== 'opening') throw this.deathError ?? new StateError('mtr-packet client was closed');
    this.versionString = version;
    this.state = 'open';
    this.log(`started ${this.executable} (mtr-packet ${version})`);
  }

  /** Whether mtr-packet supports `feature` here; for `version`, the version string. Cached. */
  checkSupport(feature: 'version'): Promise<string>;
  checkSupport(feature: Exclude<Feature, 'version'>): Promise<boolean>;
  checkSupport(feature: Feature): Promise<string | boolean>;
  async checkSupport(feature: Feature): Promise<string | boolean> {
    if (!(FEATURES as readonly string[]).includes(feature)) {
      throw new ValidationError('feature', `must be one of ${FEATURES.join(', ')}`);
    }
    if (this.state !== 'opening') this.assertUsable();
    const cached = this.featureCache.get(feature);
    if (cached) return cached;
    const answer = this.querySupport(feature);
    this.featureCache.set(feature, answer);
    answer.catch(() => {
      if (this.featureCache.get(feature) === answer) this.featureCache.delete(feature);
    });
    return answer;
  }

  /**
   * Send one probe to an IP literal. Options are validated once per options object (see
   * validateProbeOptions). Resolves with the reply; with `no-reply` once the probe's timeout (default
   * 10 s) plus the grace period has passed; with `helper-stalled` when mtr-packet printed nothing at
   * all for longer than the probe's timeout meanwhile.
   */
  async probe(address: string, options?: ProbeOptions | ValidProbeOptions): Promise<ProbeResult> {
    let valid = validateProbeOptions(options);
    if (typeof address !== 'string' || !isIpLiteral(address)) {
      throw new ValidationError('host', 'must be an IPv4 or IPv6 address literal (names are resolved before probing)');
    }
    this.assertUsable();
    if (valid.timeoutSec === undefined) valid = withProbeFields(valid, { timeoutSec: DEFAULT_PROBE_TIMEOUT_SEC });
    return this.sourceRetry.send(address, valid, (a, o) => this.sendProbe(a, o));
  }

  /** Stop mtr-packet. Pending probes reject with StateError('closed'). Safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // ---- internals ----

  private assertUsable(): void {
    switch (this.state) {
      case 'open':
        return;
      case 'dead':
        throw this.deathError ?? new ProcessError('mtr-packet is not running', { kind: 'exited' });
      case 'new':
      case 'opening':
        throw new StateError('mtr-packet client is not open; call open() first');
      default:
        throw new StateError('mtr-packet client is closed');
    }
  }

  private async querySupport(feature: Feature): Promise<string | boolean> {
    const outcome = await this.request((t) => encodeRequest(t, 'check-support', { feature }), this.commandTimeoutMs);
    const starting = this.state === 'opening';
    const phase = starting ? 'start-up' : 'probing';
    const exe = this.executable ?? 'mtr-packet';
    if (outcome.kind === 'timed-out') {
      throw new ProcessError(
        starting
          ? `${exe} did not answer the mtr-packet version check within ${this.commandTimeoutMs} ms; is it mtr-packet?`
          : `mtr-packet did not answer check-support ${feature} within ${this.commandTimeoutMs} ms`,
        { kind: 'no-answer', phase, executable: this.executable, stderrTail: starting ? this.stderrTail() : '' },
      );
    }
    const support = outcome.line.command === 'feature-support' ? outcome.line.args.support : undefined;
    if (support === undefined) {
      throw new ProcessError(
        starting
          ? `${exe} is not mtr-packet: it answered ${describeLine(outcome.line.raw)} to the version check`
          : `unexpected answer to check-support ${feature}: ${describeLine(outcome.line.raw)}`,
        { kind: 'not-mtr-packet', phase, executable: this.executable, stderrTail: starting ? this.stderrTail() : '' },
      );
    }
    return feature === 'version' ? support : support === 'ok';
  }

  private async sendProbe(address: string, options: ValidProbeOptions): Promise<ProbeResult> {
    const timeoutSec = options.timeoutSec ?? DEFAULT_PROBE_TIMEOUT_SEC;
    const outcome = await this.request(
      (t) => encodeSendProbe(t, address, options),
      timeoutSec * 1000 + this.graceMs,
      timeoutSec * 1000,
    );
    if (outcome.kind === 'answered') return toProbeResult(outcome.line);
    return failedProbe(outcome.helperSilent ? 'helper-stalled' : 'no-reply');
  }

  /** Write one request and wait for the well-formed line with its token, or the timeout. */
  private request(
    encode: (token: number) => string,
    timeoutMs: number,
    silentAfterMs = timeoutMs,
  ): Promise<RequestOutcome> {
    // Not async on purpose: the line must be written in this tick, in call order.
    if (this.state !== 'opening') this.assertUsable();
    const helper = this.helper;
    if (!helper) return Promise.reject(new StateError('mtr-packet client is not open'));
    const token = this.pending.nextToken();
    let line: string;
    try {
      line = encode(token);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    const outcome = this.pending.track(token, timeoutMs, silentAfterMs);
    helper.write(line);
    return outcome;
  }

  private logLimited(kind: string, msg: string): void {
    const n = (this.logCounts.get(kind) ?? 0) + 1;
    this.logCounts.set(kind, n);
    if (n <= LOG_LIMIT) this.log(msg);
    else if (n === LOG_LIMIT + 1) this.log(`further ${kind} messages are not logged`);
  }

  private stderrTail(): string {
    return this.helper?.stderrTail ?? '';
  }

  private startHelper(executable: string): HelperProcess {
    return new HelperProcess(executable, this.options.env ?? process.env, {
      line: (line) => this.onLine(line),
      overlongLine: (prefix) => {
        this.pending.noteLine();
        this.malformed++;
        this.logLimited('malformed-line', `mtr-packet printed an over-long line starting ${describeLine(prefix)}`);
      },
      gone: () => {
        if (this.state === 'opening' || this.state === 'open') {
          this.die((this.helper as HelperProcess).exitError(this.state === 'opening' ? 'start-up' : 'probing'));
        }
      },
      spawnError: (err) =>
        this.die(
          new ProcessError(`could not start ${executable}: ${err.message}`, {
            kind: err.code === 'ENOENT' ? 'not-found' : 'spawn-failed',
            phase: 'start-up',
            executable,
            cause: err,
          }),
        ),
      log: (kind, msg) => this.logLimited(kind, msg),
    });
  }

  private onLine(line: string): void {
    this.pending.noteLine();
    const parsed = parseReplyLine(line);
    const wellFormed = parsed !== null && isWellFormedReply(parsed);
    const match = wellFormed ? this.pending.settle(parsed) : null;
    if (match === 'settled') return;
    if (this.state === 'opening') {
      // Real mtr-packet prints nothing before answering; anything else means a different program.
      this.die(
        new ProcessError(`${this.executable} is not mtr-packet: it printed ${describeLine(line)}`, {
          kind: 'not-mtr-packet',
          phase: 'start-up',
          executable: this.executable,
          stderrTail: this.stderrTail(),
        }),
      );
      return;
    }
    if (match === 'late') {
      this.late++;
      this.logLimited('late-reply', `ignored a reply that arrived after its probe timed out: ${describeLine(line)}`);
      return;
    }
    this.malformed++;
    this.logLimited(
      'malformed-line',
      match === 'unknown-token'
        ? `ignored an mtr-packet line with an unknown token: ${describeLine(line)}`
        : `ignored an unparseable mtr-packet line: ${describeLine(line)}`,
    );
  }

  /** Enter the dead state: reject everything pending and stop the process if it still runs. */
  private die(err: MtrPacketError): void {
    if (this.state === 'dead' || this.state === 'closing' || this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'dead';
    this.deathError = err;
    this.log(err.message);
    this.pending.failAll(err);
    this.helper?.kill('SIGKILL');
    if (wasOpen && err instanceof ProcessError) this.options.onUnexpectedExit?.(err);
  }

  private async shutdown(): Promise<void> {
    const previous = this.state;
    this.state = 'closing';
    // mtr-packet exits at end of input only after its in-flight probes time out,
    // so with probes outstanding there is nothing to wait for: terminate at once.
    const probesOutstanding = this.pending.size > 0;
    this.pending.failAll(new StateError('mtr-packet client was closed'));
    const helper = this.helper;
    if (helper && !helper.hasEnded && previous !== 'new') {
      helper.endInput();
      if (probesOutstanding || !(await helper.waitGone(500))) {
        helper.kill('SIGTERM');
        if (!(await helper.waitGone(2000))) {
          helper.kill('SIGKILL');
          await helper.waitGone(2000);
        }
      }
    }
    this.state = 'closed';
    this.pending.clearExpired();
  }
}

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { lookup as dnsLookup } from 'node:dns/promises';
import {
  FEATURES,
  ipVersionOf,
  isIpLiteral,
  probeOptionsSchema,
  targetSchema,
  type Feature,
  type ProbeOptions,
  type ProbeResult,
} from '@shared/probe';
import { HostResolveError, MtrPacketError, ProcessError, StateError, ValidationError } from './errors';
import { resolveMtrPacketPath } from './executable';
import { LineReader } from './lineReader';
import { encodeRequest, encodeSendProbe, MAX_TOKEN, parseReplyLine, toProbeResult, type ParsedLine } from './protocol';
import { findSourceAddress } from './sourceAddress';

export type LookupFunction = (host: string, family: 4 | 6 | 0) => Promise<{ address: string; family: 4 | 6 }[]>;

export interface MtrPacketClientOptions {
  /** Executable to run; takes precedence over `$MTR_PACKET` and the PATH search. */
  path?: string;
  /** Environment for the executable search and the subprocess (default: process.env). */
  env?: NodeJS.ProcessEnv;
  log?: (msg: string) => void;
  /** Host name resolver (default: node:dns/promises lookup with all:true). */
  lookup?: LookupFunction;
  /** Extra wait after a probe's own timeout before it resolves as no-reply (default 1000 ms). */
  timeoutGraceMs?: number;
  /** How long open() and checkSupport() wait for mtr-packet to answer (default 5000 ms). */
  commandTimeoutMs?: number;
  /** Source-address finder used for the mtr 0.93 invalid-argument retry (default: findSourceAddress). */
  findSourceAddress?: (destination: string) => Promise<string | null>;
}

export const DEFAULT_PROBE_TIMEOUT_SEC = 10;
const DEFAULT_GRACE_MS = 1000;
const DEFAULT_COMMAND_TIMEOUT_MS = 5000;
const STDERR_TAIL_CHARS = 2000;
const EXPIRED_TOKENS_KEPT = 65536;
const LOG_LIMIT = 20;
const SOURCE_CACHE_MS = 60_000;

type State = 'new' | 'opening' | 'open' | 'closing' | 'closed' | 'dead';

interface Pending {
  timer: NodeJS.Timeout;
  /** null when the client-side timeout fired first. */
  settle: (line: ParsedLine | null) => void;
  fail: (err: Error) => void;
}

const NO_REPLY = (): ProbeResult => ({ success: false, result: 'no-reply', timeMs: null, responder: null, mpls: [] });

async function defaultLookup(host: string, family: 4 | 6 | 0) {
  const rows = await dnsLookup(host, { all: true, family });
  return rows
    .filter((r) => r.family === 4 || r.family === 6)
    .map((r) => ({ address: r.address, family: r.family as 4 | 6 }));
}

function describeLine(line: string): string {
  return JSON.stringify(line.length > 200 ? `${line.slice(0, 200)}…` : line);
}

/**
 * One mtr-packet subprocess. Probes are matched to replies by token, so any number can be in flight.
 * Failures of the subprocess reject every pending and later call with a ProcessError; nothing hangs.
 */
export class MtrPacketClient implements AsyncDisposable {
  private state: State = 'new';
  private child: ChildProcessWithoutNullStreams | null = null;
  private executable: string | null = null;
  private versionString: string | null = null;
  private deathError: MtrPacketError | null = null;
  private stdinError: Error | null = null;
  private stderrTail = '';
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private gone = false;
  private goneWaiters: (() => void)[] = [];
  private closing: Promise<void> | null = null;

  private readonly pending = new Map<number, Pending>();
  private readonly expired = new Set<number>();
  private lastToken = 0;
  private malformed = 0;
  private late = 0;
  private readonly logCounts = new Map<string, number>();

  private readonly dnsCache = new Map<string, Promise<string>>();
  private readonly featureCache = new Map<Feature, Promise<string | boolean>>();
  private readonly sourceCache = new Map<string, { at: number; address: Promise<string | null> }>();
  /** Set once the mtr 0.93 retry has worked: later probes carry a source address up front. */
  private sendSourceAddress = false;

  private readonly log: (msg: string) => void;
  private readonly lookup: LookupFunction;
  private readonly graceMs: number;
  private readonly commandTimeoutMs: number;
  private readonly sourceFinder: (destination: string) => Promise<string | null>;

  constructor(private readonly options: MtrPacketClientOptions = {}) {
    this.log = options.log ?? (() => {});
    this.lookup = options.lookup ?? defaultLookup;
    this.graceMs = Math.max(0, options.timeoutGraceMs ?? DEFAULT_GRACE_MS);
    this.commandTimeoutMs = Math.max(1, options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
    this.sourceFinder = options.findSourceAddress ?? ((d) => findSourceAddress(d));
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
    return this.child?.pid ?? null;
  }

  /** Requests (probes and check-support) awaiting a reply. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Stdout lines that could not be parsed or carried a token we never sent. */
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

  /** Start mtr-packet and check that it speaks the protocol. */
  async open(): Promise<void> {
    if (this.state !== 'new') {
      throw new StateError(
        this.state === 'open' || this.state === 'opening'
          ? 'mtr-packet client is already open'
          : 'mtr-packet client cannot be reopened',
      );
    }
    this.state = 'opening';
    let executable: string;
    try {
      executable = resolveMtrPacketPath({ path: this.options.path, env: this.options.env });
    } catch (err) {
      this.state = 'dead';
      this.deathError = err as MtrPacketError;
      throw err;
    }
    this.executable = executable;
    try {
      this.child = spawn(executable, [], {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: this.options.env ?? process.env,
        windowsHide: true,
      });
    } catch (err) {
      const error = new ProcessError(`could not start ${executable}: ${(err as Error).message}`, {
        kind: 'spawn-failed',
        executable,
        cause: err,
      });
      this.state = 'dead';
      this.deathError = error;
      throw error;
    }
    this.attach(this.child);

    const reply = await this.request(
      (t) => encodeRequest(t, 'check-support', { feature: 'version' }),
      this.commandTimeoutMs,
    );
    if (reply === null) {
      const err = new ProcessError(
        `${executable} did not answer the mtr-packet version check within ${this.commandTimeoutMs} ms; is it mtr-packet?`,
        { kind: 'no-answer', executable, stderrTail: this.stderrTail },
      );
      this.die(err);
      throw err;
    }
    const support = reply.command === 'feature-support' ? reply.args.support : undefined;
    if (support === undefined) {
      const err = new ProcessError(
        `${executable} is not mtr-packet: it answered ${describeLine(reply.raw)} to the version check`,
        { kind: 'not-mtr-packet', executable, stderrTail: this.stderrTail },
      );
      this.die(err);
      throw err;
    }
    // close() may have run while we waited.
    if (this.state !== 'opening') throw this.deathError ?? new StateError('mtr-packet client was closed');
    this.versionString = support;
    this.featureCache.set('version', Promise.resolve(support));
    this.state = 'open';
    this.log(`started ${executable} (mtr-packet ${support})`);
  }

  /** Whether mtr-packet supports `feature` here; for `version`, the version string. Cached. */
  checkSupport(feature: 'version'): Promise<string>;
  checkSupport(feature: Exclude<Feature, 'version'>): Promise<boolean>;
  checkSupport(feature: Feature): Promise<string | boolean>;
  async checkSupport(feature: Feature): Promise<string | boolean> {
    if (!(FEATURES as readonly string[]).includes(feature)) {
      throw new ValidationError('feature', `must be one of ${FEATURES.join(', ')}`);
    }
    this.assertUsable();
    const cached = this.featureCache.get(feature);
    if (cached) return cached;
    const answer = (async () => {
      const reply = await this.request((t) => encodeRequest(t, 'check-support', { feature }), this.commandTimeoutMs);
      if (reply === null) {
        throw new ProcessError(
          `mtr-packet did not answer check-support ${feature} within ${this.commandTimeoutMs} ms`,
          {
            kind: 'no-answer',
            executable: this.executable,
          },
        );
      }
      const support = reply.command === 'feature-support' ? reply.args.support : undefined;
      if (support === undefined) {
        throw new ProcessError(`unexpected answer to check-support ${feature}: ${describeLine(reply.raw)}`, {
          kind: 'not-mtr-packet',
          executable: this.executable,
        });
      }
      return feature === 'version' ? support : support === 'ok';
    })();
    this.featureCache.set(feature, answer);
    answer.catch(() => {
      if (this.featureCache.get(feature) === answer) this.featureCache.delete(feature);
    });
    return answer;
  }

  /**
   * Send one probe. `host` is an IP literal or a host name (resolved through a cache, honouring
   * `ipVersion`, or the family of `localIp`). Resolves with the reply, or `no-reply` once the probe's
   * timeout (default 10 s) plus the grace period has passed.
   */
  async probe(host: string, options: ProbeOptions = {}): Promise<ProbeResult> {
    const parsed = probeOptionsSchema.safeParse(options ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field =
        issue?.code === 'unrecognized_keys'
          ? String(issue.keys[0] ?? 'options')
          : issue?.path.length
            ? issue.path.map(String).join('.')
            : 'options';
      throw new ValidationError(field, issue?.message ?? 'invalid probe options');
    }
    const target = targetSchema.safeParse(host);
    if (!target.success) {
      throw new ValidationError('host', target.error.issues[0]?.message ?? 'invalid host');
    }
    this.assertUsable();
    const opts: ProbeOptions = { ...parsed.data, timeoutSec: parsed.data.timeoutSec ?? DEFAULT_PROBE_TIMEOUT_SEC };
    const address = await this.resolve(target.data, opts);

    let sent = opts;
    if (this.sendSourceAddress && opts.localIp === undefined) {
      const source = await this.sourceFor(address);
      if (source !== null) sent = { ...opts, localIp: source };
    }
    const result = await this.sendProbe(address, sent);
    if (!this.shouldRetryWithSource(sent, result)) return result;

    // mtr 0.93 answers a bare invalid-argument on some systems unless it is told the source address.
    const source = await this.sourceFor(address);
    if (source === null) return result;
    this.log(
      `mtr-packet answered invalid-argument for a probe to ${address} without a source address (an mtr 0.93 bug); retrying from ${source}`,
    );
    const retried = await this.sendProbe(address, { ...opts, localIp: source });
    if (retried.result !== 'invalid-argument' && !this.sendSourceAddress) {
      this.sendSourceAddress = true;
      this.log('the retry worked: later probes will carry an explicit source address');
    }
    return retried;
  }

  clearDnsCache(): void {
    this.dnsCache.clear();
    this.sourceCache.clear();
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

  private shouldRetryWithSource(sent: ProbeOptions, result: ProbeResult): boolean {
    if (result.result !== 'invalid-argument' || result.reason !== undefined || sent.localIp !== undefined) return false;
    // mtr-packet itself rejects privileged local ports; a source address would not help.
    return sent.localPort === undefined || sent.localPort >= 1024;
  }

  private sourceFor(destination: string): Promise<string | null> {
    const now = Date.now();
    const hit = this.sourceCache.get(destination);
    if (hit && now - hit.at < SOURCE_CACHE_MS) return hit.address;
    if (this.sourceCache.size > 1024) this.sourceCache.clear();
    const address = this.sourceFinder(destination).then(
      (a) => (a !== null && ipVersionOf(a) === ipVersionOf(destination) ? a : null),
      () => null,
    );
    this.sourceCache.set(destination, { at: now, address });
    return address;
  }

  private async resolve(host: string, opts: ProbeOptions): Promise<string> {
    if (isIpLiteral(host)) return host;
    const family: 4 | 6 | 0 = opts.ipVersion ?? (opts.localIp !== undefined ? (ipVersionOf(opts.localIp) ?? 0) : 0);
    const key = `${family}/${host.toLowerCase()}`;
    let entry = this.dnsCache.get(key);
    if (!entry) {
      entry = this.lookupHost(host, family);
      this.dnsCache.set(key, entry);
      const stored = entry;
      entry.catch(() => {
        if (this.dnsCache.get(key) === stored) this.dnsCache.delete(key);
      });
    }
    return entry;
  }

  private async lookupHost(host: string, family: 4 | 6 | 0): Promise<string> {
    let rows: { address: string; family: 4 | 6 }[];
    try {
      rows = await this.lookup(host, family);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new HostResolveError(host, `could not resolve ${host}${code ? ` (${code})` : ''}`, { cause: err });
    }
    const found = (Array.isArray(rows) ? rows : []).find(
      (r) => typeof r?.address === 'string' && isIpLiteral(r.address, family === 0 ? undefined : family),
    );
    if (!found) {
      throw new HostResolveError(host, `${host} has no ${family === 0 ? 'IP' : `IPv${family}`} address`);
    }
    return found.address;
  }

  private async sendProbe(address: string, opts: ProbeOptions): Promise<ProbeResult> {
    const timeoutMs = (opts.timeoutSec ?? DEFAULT_PROBE_TIMEOUT_SEC) * 1000 + this.graceMs;
    const reply = await this.request((t) => encodeSendProbe(t, address, opts), timeoutMs);
    return reply === null ? NO_REPLY() : toProbeResult(reply);
  }

  private nextToken(): number {
    for (;;) {
      this.lastToken = this.lastToken >= MAX_TOKEN ? 1 : this.lastToken + 1;
      if (!this.pending.has(this.lastToken) && !this.expired.has(this.lastToken)) return this.lastToken;
    }
  }

  /** Write one request and wait for the line with its token; null on timeout. */
  private request(encode: (token: number) => string, timeoutMs: number): Promise<ParsedLine | null> {
    if (this.state !== 'opening') this.assertUsable();
    const child = this.child;
    if (!child) return Promise.reject(new StateError('mtr-packet client is not open'));
    const token = this.nextToken();
    let line: string;
    try {
      line = encode(token);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise<ParsedLine | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.pending.delete(token)) {
          this.rememberExpired(token);
          resolve(null);
        }
      }, timeoutMs);
      this.pending.set(token, { timer, settle: resolve, fail: reject });
      child.stdin.write(line);
    });
  }

  private rememberExpired(token: number): void {
    this.expired.add(token);
    if (this.expired.size > EXPIRED_TOKENS_KEPT) {
      const oldest = this.expired.values().next().value;
      if (oldest !== undefined) this.expired.delete(oldest);
    }
  }

  private logLimited(kind: string, msg: string): void {
    const n = (this.logCounts.get(kind) ?? 0) + 1;
    this.logCounts.set(kind, n);
    if (n <= LOG_LIMIT) this.log(msg);
    else if (n === LOG_LIMIT + 1) this.log(`further ${kind} messages are not logged`);
  }

  private attach(child: ChildProcessWithoutNullStreams): void {
    const reader = new LineReader(
      (line) => this.onLine(line),
      (prefix) => {
        this.malformed++;
        this.logLimited('malformed-line', `mtr-packet printed an over-long line starting ${describeLine(prefix)}`);
      },
    );
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => reader.push(chunk));
    child.stdout.on('end', () => reader.end());
    child.stdout.on('error', (err) => this.log(`mtr-packet stdout error: ${err.message}`));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
      this.logLimited('stderr', `mtr-packet stderr: ${chunk.trimEnd()}`);
    });
    child.stderr.on('error', (err) => this.log(`mtr-packet stderr error: ${err.message}`));
    child.stdin.on('error', (err) => this.onStdinError(err));
    child.on('error', (err) => this.onChildError(err));
    child.on('exit', (code, signal) => {
      this.exitInfo ??= { code, signal };
      // 'close' waits for the pipes; don't let a grandchild holding them keep probes pending.
      setTimeout(() => this.onGone(), 1000).unref();
    });
    child.on('close', (code, signal) => {
      this.exitInfo ??= { code, signal };
      this.onGone();
    });
  }

  private onLine(line: string): void {
    const parsed = parseReplyLine(line);
    const entry = parsed ? this.pending.get(parsed.token) : undefined;
    if (parsed && entry) {
      this.pending.delete(parsed.token);
      clearTimeout(entry.timer);
      entry.settle(parsed);
      return;
    }
    if (this.state === 'opening') {
      // Real mtr-packet prints nothing before answering; anything else means a different program.
      this.die(
        new ProcessError(`${this.executable} is not mtr-packet: it printed ${describeLine(line)}`, {
          kind: 'not-mtr-packet',
          executable: this.executable,
          stderrTail: this.stderrTail,
        }),
      );
      return;
    }
    if (parsed && this.expired.delete(parsed.token)) {
      this.late++;
      this.logLimited('late-reply', `ignored a reply that arrived after its probe timed out: ${describeLine(line)}`);
      return;
    }
    this.malformed++;
    this.logLimited(
      'malformed-line',
      parsed
        ? `ignored an mtr-packet line with an unknown token: ${describeLine(line)}`
        : `ignored an unparseable mtr-packet line: ${describeLine(line)}`,
    );
  }

  private onStdinError(err: Error): void {
    this.stdinError ??= err;
    this.logLimited('stdin-error', `writing to mtr-packet failed: ${err.message}`);
    // EPIPE normally means it has exited and 'close' will follow; otherwise stop it so nothing waits forever.
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null && this.state !== 'closing') {
      child.kill('SIGKILL');
    }
  }

  private onChildError(err: NodeJS.ErrnoException): void {
    if (this.child?.pid !== undefined && !this.gone) {
      // Spawned fine; this is a failed kill() or similar.
      this.log(`mtr-packet process error: ${err.message}`);
      return;
    }
    const executable = this.executable ?? 'mtr-packet';
    const error = new ProcessError(`could not start ${executable}: ${err.message}`, {
      kind: err.code === 'ENOENT' ? 'not-found' : 'spawn-failed',
      executable,
      cause: err,
    });
    this.die(error);
    this.onGone();
  }

  private onGone(): void {
    if (this.gone) return;
    this.gone = true;
    for (const wake of this.goneWaiters.splice(0)) wake();
    if (this.state !== 'opening' && this.state !== 'open') return;
    const code = this.exitInfo?.code ?? null;
    const signal = this.exitInfo?.signal ?? null;
    const what = this.state === 'opening' ? 'exited before answering the version check' : 'exited unexpectedly';
    const io = this.stdinError ? `; writing to it failed: ${this.stdinError.message}` : '';
    this.die(
      new ProcessError(`${this.executable ?? 'mtr-packet'} ${what}${io}`, {
        kind: 'exited',
        executable: this.executable,
        exitCode: code,
        signal,
        stderrTail: this.stderrTail,
      }),
    );
  }

  /** Enter the dead state: reject everything pending and stop the process if it still runs. */
  private die(err: MtrPacketError): void {
    if (this.state === 'dead' || this.state === 'closing' || this.state === 'closed') return;
    this.state = 'dead';
    this.deathError = err;
    this.log(err.message);
    this.failPending(err);
    const child = this.child;
    if (child && !this.gone && child.exitCode === null && child.signalCode === null) {
      child.stdin.destroy();
      child.kill('SIGKILL');
    }
  }

  private failPending(err: Error): void {
    const entries = [...this.pending.values()];
    this.pending.clear();
    for (const entry of entries) {
      clearTimeout(entry.timer);
      entry.fail(err);
    }
  }

  private waitGone(ms: number): Promise<boolean> {
    if (this.gone) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.goneWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private async shutdown(): Promise<void> {
    const previous = this.state;
    this.state = 'closing';
    // mtr-packet exits at end of input only after its in-flight probes time out,
    // so with probes outstanding there is nothing to wait for: terminate at once.
    const probesOutstanding = this.pending.size > 0;
    this.failPending(new StateError('mtr-packet client was closed'));
    const child = this.child;
    if (child && !this.gone && previous !== 'new') {
      child.stdin.end();
      if (probesOutstanding || !(await this.waitGone(500))) {
        child.kill('SIGTERM');
        if (!(await this.waitGone(2000))) {
          child.kill('SIGKILL');
          await this.waitGone(2000);
        }
      }
    }
    this.state = 'closed';
    this.expired.clear();
  }
}

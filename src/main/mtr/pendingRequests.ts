/**
 * The table of requests awaiting mtr-packet's answer: token allocation, per-request expiry, late
 * replies, and how long mtr-packet has been silent while requests were outstanding (a stalled helper).
 */
import type { ParsedLine } from './protocol';

/** What became of one request. */
export type RequestOutcome =
  | { kind: 'answered'; line: ParsedLine }
  /** No answer in time. `helperSilent`: mtr-packet printed nothing at all for longer than `silentAfterMs`. */
  | { kind: 'timed-out'; helperSilent: boolean };

/** What a line with a token meant to the table. */
export type LineMatch = 'settled' | 'late' | 'unknown-token';

interface Entry {
  timer: NodeJS.Timeout;
  resolve: (outcome: RequestOutcome) => void;
  reject: (err: Error) => void;
}

/** Tokens of timed-out requests remembered so their late replies are recognised (bounded). */
const EXPIRED_TOKENS_KEPT = 65536;

export class PendingRequests {
  private readonly entries = new Map<number, Entry>();
  private readonly expired = new Set<number>();
  private lastToken = 0;
  /** When mtr-packet last printed a line, or when requests became outstanding after an idle spell. */
  private lastSignOfLife = Date.now();

  constructor(
    private readonly maxToken: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** A token that is neither outstanding nor awaiting a late reply. */
  nextToken(): number {
    for (;;) {
      this.lastToken = this.lastToken >= this.maxToken ? 1 : this.lastToken + 1;
      if (!this.entries.has(this.lastToken) && !this.expired.has(this.lastToken)) return this.lastToken;
    }
  }

  /**
   * Wait for the answer to `token`. After `timeoutMs` the request times out; it counts as a silent
   * helper when nothing was printed for more than `silentAfterMs` by then.
   */
  track(token: number, timeoutMs: number, silentAfterMs: number): Promise<RequestOutcome> {
    if (this.entries.size === 0) this.lastSignOfLife = Math.max(this.lastSignOfLife, this.now());
    return new Promise<RequestOutcome>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!this.entries.delete(token)) return;
        this.rememberExpired(token);
        resolve({ kind: 'timed-out', helperSilent: this.now() - this.lastSignOfLife > silentAfterMs });
      }, timeoutMs);
      this.entries.set(token, { timer, resolve, reject });
    });
  }

  /** mtr-packet printed a line (of any kind): it is alive. */
  noteLine(): void {
    this.lastSignOfLife = this.now();
  }

  /** Settle the request a well-formed reply belongs to. */
  settle(line: ParsedLine): LineMatch {
    const entry = this.entries.get(line.token);
    if (entry) {
      this.entries.delete(line.token);
      clearTimeout(entry.timer);
      entry.resolve({ kind: 'answered', line });
      return 'settled';
    }
    return this.expired.delete(line.token) ? 'late' : 'unknown-token';
  }

  /** Reject every outstanding request (the process died or the client closed). */
  failAll(err: Error): void {
    const entries = [...this.entries.values()];
    this.entries.clear();
    for (const entry of entries) {
      clearTimeout(entry.timer);
      entry.reject(err);
    }
  }

  clearExpired(): void {
    this.expired.clear();
  }

  private rememberExpired(token: number): void {
    this.expired.add(token);
    if (this.expired.size > EXPIRED_TOKENS_KEPT) {
      const oldest = this.expired.values().next().value;
      if (oldest !== undefined) this.expired.delete(oldest);
    }
  }
}

/**
 * Which connection (a harness socket, an Electron page) each session belongs
 * to. When a connection goes away its sessions are orphaned: they keep
 * running for a grace period, so a reloading page can find them with
 * `listSessions` and take them back with `attachSession`; after that they
 * are abandoned and the service closes them, freeing their slots.
 */

/** An opaque identity per connection; compared by reference. */
export type SessionOwner = object;

export const DEFAULT_ORPHAN_GRACE_MS = 60_000;

export class SessionOwnership {
  private readonly owners = new Map<string, SessionOwner>();
  private readonly orphanTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly graceMs: number,
    private readonly onAbandoned: (sessionId: string) => void,
  ) {}

  /** The session now belongs to `owner` (a new session, or a page taking one back). */
  claim(sessionId: string, owner: SessionOwner): void {
    this.cancelOrphanTimer(sessionId);
    this.owners.set(sessionId, owner);
  }

  ownerOf(sessionId: string): SessionOwner | undefined {
    return this.owners.get(sessionId);
  }

  isOrphaned(sessionId: string): boolean {
    return this.orphanTimers.has(sessionId);
  }

  /** The connection is gone: every session it owns is orphaned and abandoned after the grace period. */
  release(owner: SessionOwner): void {
    for (const [sessionId, current] of this.owners) {
      if (current !== owner) continue;
      this.owners.delete(sessionId);
      const timer = setTimeout(() => {
        this.orphanTimers.delete(sessionId);
        this.onAbandoned(sessionId);
      }, this.graceMs);
      // A pending grace period alone must not keep a CLI or test process alive.
      timer.unref();
      this.orphanTimers.set(sessionId, timer);
    }
  }

  /** The session is gone (closed by a page, or the service is disposed). */
  forget(sessionId: string): void {
    this.cancelOrphanTimer(sessionId);
    this.owners.delete(sessionId);
  }

  clear(): void {
    for (const timer of this.orphanTimers.values()) clearTimeout(timer);
    this.orphanTimers.clear();
    this.owners.clear();
  }

  private cancelOrphanTimer(sessionId: string): void {
    const timer = this.orphanTimers.get(sessionId);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.orphanTimers.delete(sessionId);
  }
}

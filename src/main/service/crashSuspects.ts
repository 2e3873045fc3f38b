/**
 * Which targets keep crashing mtr-packet. Each helper restart names the
 * addresses that had probes in flight; an address in the lists of several
 * consecutive restarts (each soon after the one before) is a suspect, and
 * its sessions are stopped so the others keep running.
 */

/** Restarts further apart than this are not one crash loop. */
export const CRASH_LOOP_WINDOW_MS = 30_000;
/** Consecutive restarts an address must be in flight for before it is blamed. */
export const CRASHES_BEFORE_ISOLATION = 2;

export class CrashSuspects {
  /** Consecutive restarts each address was in flight for, up to the last restart. */
  private streaks = new Map<string, number>();
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly windowMs = CRASH_LOOP_WINDOW_MS,
    private readonly threshold = CRASHES_BEFORE_ISOLATION,
  ) {}

  /** Note a restart; returns the addresses to isolate now, with their streak. */
  noteRestart(at: number, inFlightAddresses: readonly string[]): Map<string, number> {
    const consecutive = at - this.lastAt <= this.windowMs;
    this.lastAt = at;
    const streaks = new Map<string, number>();
    for (const address of inFlightAddresses) {
      streaks.set(address, (consecutive ? (this.streaks.get(address) ?? 0) : 0) + 1);
    }
    this.streaks = streaks;
    const blamed = new Map<string, number>();
    for (const [address, count] of streaks) if (count >= this.threshold) blamed.set(address, count);
    // A blamed address starts afresh: a new trace to it gets the same chances.
    for (const address of blamed.keys()) this.streaks.delete(address);
    return blamed;
  }
}

/**
 * traceroute's "near" wait (`-w max,here,near`, near defaults to 10): once a
 * later hop of the same round has answered in `laterRttMs`, a probe still
 * pending at an earlier TTL is given `near` times that RTT before it is
 * presumed lost. A silent hop then costs milliseconds, not the full timeout.
 * The floor keeps sub-millisecond paths (namespaces, LANs) from declaring a
 * slow-but-alive router lost; a reply that still arrives is counted anyway.
 */
export const NEAR_FACTOR = 10;
export const MIN_SILENT_WAIT_MS = 50;

export function presumeLostAt(sentAt: number, laterRttMs: number, timeoutMs: number): number {
  const wait = Math.max(MIN_SILENT_WAIT_MS, NEAR_FACTOR * laterRttMs);
  return sentAt + Math.min(timeoutMs, wait);
}

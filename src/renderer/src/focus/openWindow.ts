/** How much of a large stored session opened, in words for its banner. Pure. */

/** "1.8 h", "25 min", "40 s". */
export function spanText(ms: number): string {
  if (ms >= 2 * 3600_000) return `${(ms / 3600_000).toFixed(1)} h`;
  if (ms >= 120_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.max(1, Math.round(ms / 1000))} s`;
}

/**
 * The words for probes that wait for a free mtr-packet slot
 * (`SessionSummary.heldBackProbes`), shared by the app's status bar and the
 * CLI's live view. Slots are capped per trace and shared by every trace of
 * the process, so the wait may come from this trace's own silent hops or
 * from another trace; either way it is not packet loss.
 */

/** Why the probes wait, in a few words. */
export const HELD_BACK_REASON = 'waiting for a free mtr-packet probe slot (slots are shared with other traces)';

/** What the wait means for the numbers, for a tooltip. */
export const HELD_BACK_EXPLANATION =
  'No new round starts until they are sent. Held-back probes are not counted as loss.';

/** One line for a text display: "probes held back: 7 — waiting for …". */
export function heldBackLine(count: number): string {
  return `probes held back: ${count} — ${HELD_BACK_REASON}`;
}

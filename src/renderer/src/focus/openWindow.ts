/**
 * Opening a stored session too large for one tab: the newest window that
 * fits (the tab's focus is set to it and a banner says so), while the
 * timeline and the "Whole session" statistics still read all of it. Pure.
 */
import { MAX_OPENED_SAMPLES, type FocusWindow, type StoredSessionInfo } from '@shared/storedSessions';

/** Share of the limit aimed at: samples are not spread evenly (more hops once the path is known). */
const TARGET_SHARE = 0.8;

/** The newest window of `session` expected to hold at most `limit` samples; null when all of it fits. */
export function fittingWindow(
  session: Pick<StoredSessionInfo, 'samples' | 'startedAt' | 'lastAt'>,
  limit = MAX_OPENED_SAMPLES,
): FocusWindow | null {
  if (session.samples <= limit) return null;
  const to = session.lastAt + 1;
  const span = Math.max(1000, Math.floor(((to - session.startedAt) * limit * TARGET_SHARE) / session.samples));
  return { from: Math.max(session.startedAt, to - span), to };
}

/** The same window's newer half, for a second try when the first still held too much. */
export function newerHalf(window: FocusWindow): FocusWindow {
  return { from: window.to - Math.max(1000, Math.floor((window.to - window.from) / 2)), to: window.to };
}

/** "1.8 h", "25 min", "40 s": how much of a session opened. */
export function spanText(ms: number): string {
  if (ms >= 2 * 3600_000) return `${(ms / 3600_000).toFixed(1)} h`;
  if (ms >= 120_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.max(1, Math.round(ms / 1000))} s`;
}

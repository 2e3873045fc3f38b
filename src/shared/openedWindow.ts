/**
 * Exporting a stored session too large for one file (every sample): its
 * newest window that fits MAX_OPENED_SAMPLES, found from the sessions list's
 * figures and, when samples are bunched towards the end (the path grew) or
 * an agent's answer is over its byte limit, by halving it. Pure apart from
 * the `open` call it is given, so the app and the tests against a real
 * history file run the same steps. (A tab opens any stored session bounded,
 * in one call: it needs none of this.)
 */
import { MAX_OPENED_SAMPLES } from './limits';
import type { FocusWindow, StoredSessionInfo } from './storedSessions';

/** Share of the limit aimed at: samples are not spread evenly (more hops once the path is known). */
const TARGET_SHARE = 0.8;
/** Shorter windows tried when the newest window still holds too many samples. */
const OPEN_RETRIES = 3;

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

/** The same window's newer half, for another try when it still held too much. */
export function newerHalf(window: FocusWindow): FocusWindow {
  return { from: window.to - Math.max(1000, Math.floor((window.to - window.from) / 2)), to: window.to };
}

type Outcome<T, E> = { ok: true; value: T } | { ok: false; error: E };

/** A refusal that a shorter window may avoid (the IPC error code `too-large`); any other failure is final. */
const tooLarge = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === 'too-large';

/**
 * Opens the whole session when it fits, else its newest fitting window
 * (halving a few times while the answer is too large). A whole session
 * refused as too large is halved the same way: an agent's answers are
 * bounded in bytes (16 MB), which fewer samples than MAX_OPENED_SAMPLES may
 * already exceed. `window` says what opened: null for everything.
 */
export async function openNewestFitting<T, E>(
  session: Pick<StoredSessionInfo, 'samples' | 'startedAt' | 'lastAt'> | undefined,
  open: (window: FocusWindow | null) => Promise<Outcome<T, E>>,
): Promise<{ result: Outcome<T, E>; window: FocusWindow | null }> {
  let window = session === undefined ? null : fittingWindow(session);
  let result = await open(window);
  for (let tries = 0; !result.ok && tooLarge(result.error) && session !== undefined && tries < OPEN_RETRIES; tries++) {
    window = newerHalf(window ?? { from: session.startedAt, to: session.lastAt + 1 });
    result = await open(window);
  }
  return { result, window };
}

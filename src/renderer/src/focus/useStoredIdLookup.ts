/**
 * Whether a live tab's session is not being recorded: the tab has no stored
 * id and the history (an agent's, for its session) says it is off or failed. The linking itself (the
 * sessions list pairs a live session's id with its stored id) is the
 * timeline's `useStoredSessionLink`, one mechanism for both.
 */
import type { TraceTab } from '../store/reducers';
import { isRemote, useStoredSession } from '../timeline/useStoredSession';

/** Returns the live session whose recording history said it does not keep (history off or failed), if any. */
export function useStoredIdLookup(tab: TraceTab): string | null {
  const { storedId, history } = useStoredSession(tab);
  const uid = tab.mode === 'live' ? tab.sessionId : null;
  if (uid === null || storedId !== undefined) return null;
  // An agent's session is recorded by its agent: not recorded when that agent keeps no history.
  if (isRemote(tab)) return tab.summary?.remote?.history === 'off' ? uid : null;
  if (history === null) return null;
  return history.state === 'recording' ? null : uid;
}

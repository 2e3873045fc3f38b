/**
 * Whether a live tab's session is not being recorded: the tab has no stored
 * id and the history says it is off or failed. The linking itself (the
 * sessions list pairs a live session's id with its stored id) is the
 * timeline's `useStoredSessionLink`, one mechanism for both.
 */
import type { TraceTab } from '../store/reducers';
import { isRemote, useStoredSession } from '../timeline/useStoredSession';

/** Returns the live session whose recording history said it does not keep (history off or failed), if any. */
export function useStoredIdLookup(tab: TraceTab): string | null {
  const { storedId, history } = useStoredSession(tab);
  const uid = tab.mode === 'live' ? tab.sessionId : null;
  if (uid === null || storedId !== undefined || history === null || isRemote(tab)) return null;
  return history.state === 'recording' ? null : uid;
}

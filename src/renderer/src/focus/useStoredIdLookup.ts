/**
 * Finds the stored session a live tab is being recorded as (the history
 * lists it by the live session's id once its first rounds are on disk) and
 * keeps it in the tab's UI state. Stops when found, when history is off, or
 * when the tab has no session.
 */
import { useEffect, useState } from 'react';
import type { HopscopeApi } from '@shared/ipc';
import type { StoredSessionList } from '@shared/storedSessions';
import type { TraceTab } from '../store/reducers';
import { useController } from '../app/context';
import { patchTabUi } from '../app/uiState';

/** How often to look again while the session is not listed yet. */
const LOOKUP_RETRY_MS = 1000;

/** The stored id of live session `uid`; null when history is not recording (no use asking again). */
export function storedIdOf(list: StoredSessionList, uid: string): number | null | undefined {
  const found = list.sessions.find((s) => s.uid === uid);
  if (found !== undefined) return found.id;
  return list.history.state === 'recording' ? undefined : null;
}

async function lookUp(api: HopscopeApi, uid: string): Promise<number | null | undefined> {
  const result = await api.listStoredSessions();
  return result.ok ? storedIdOf(result.value, uid) : null;
}

/** Returns the live session whose recording history said it does not keep (history off or failed), if any. */
export function useStoredIdLookup(tab: TraceTab, storedId: number | undefined): string | null {
  const controller = useController();
  const uid = tab.mode === 'live' ? tab.sessionId : null;
  const tabId = tab.id;
  const [unrecorded, setUnrecorded] = useState<string | null>(null);
  useEffect(() => {
    if (uid === null || storedId !== undefined) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const attempt = async () => {
      const id = await lookUp(controller.api, uid);
      if (stopped) return;
      if (typeof id === 'number') patchTabUi(controller.ui, tabId, { storedId: id });
      else if (id === undefined) timer = setTimeout(() => void attempt(), LOOKUP_RETRY_MS);
      else setUnrecorded(uid);
    };
    void attempt();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [controller, uid, storedId, tabId]);
  return unrecorded;
}

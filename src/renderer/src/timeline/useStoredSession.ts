/**
 * Which stored session a tab's timeline and focus read, and what the
 * history says about it. A live tab learns its stored id from the sessions
 * list (the recorder stores the session within a second of its first batch),
 * so useStoredSessionLink asks for the list until the id is known (or the
 * history, the app's or an agent's, says it records nothing), and once more
 * when the session ends (its last record is then final). An opened stored
 * session has its id from the start.
 */
import { useEffect } from 'react';
import { useStore } from 'zustand';
import type { HistoryStatus, StoredSessionInfo } from '@shared/storedSessions';
import { ACTIVE_STATES } from '../store/selectors';
import type { TraceTab } from '../store/reducers';
import { useController, useUi } from '../app/context';
import { tabUi } from '../app/uiState';
import { storedInfo } from '../app/historyCommands';

/** How often a live tab asks for the list while its stored id is unknown. */
const LINK_RETRY_MS = 1500;

export interface StoredSessionState {
  storedId: number | undefined;
  /** The list's entry for it, once the list was read. */
  info: StoredSessionInfo | undefined;
  /** What the history said last (null: not asked yet). */
  history: HistoryStatus | null;
  /** The tab runs a session now (its timeline follows "now"). */
  running: boolean;
}

export function useStoredSession(tab: TraceTab): StoredSessionState {
  const history = useController().history;
  const storedId = useUi((s) => tabUi(s, tab.id).storedId);
  const status = useStore(history.store, (s) => s.status);
  const info = useStore(history.store, (s) => (storedId === undefined ? undefined : storedInfo(s, storedId)));
  return { storedId, info, history: status, running: isRunning(tab) };
}

/** An agent's session, shown read-only: recorded (or not) by its agent, whatever the app's history. */
export const isRemote = (tab: TraceTab) => tab.summary?.remote !== undefined;

const isRunning = (tab: TraceTab) =>
  tab.mode === 'live' && tab.summary !== null && ACTIVE_STATES.has(tab.summary.state);

/**
 * Keeps the sessions list current for a tab: asks until a live tab's stored
 * id is known, when the id is known but not yet listed, and once more when
 * the session ends. Mounted once per shown tab (the trace panes), however
 * many parts read the result with useStoredSession.
 */
export function useStoredSessionLink(tab: TraceTab): void {
  const history = useController().history;
  const { storedId, info, history: status, running } = useStoredSession(tab);
  // The app's own history says nothing of an agent's session: its agent records it (the list carries both),
  // unless the agent said it keeps none; its connection asks again when it reconnects.
  const historyOff = isRemote(tab)
    ? tab.summary?.remote?.history === 'off'
    : status !== null && status.state !== 'recording';
  const liveUnlinked = tab.mode === 'live' && tab.sessionId !== null && storedId === undefined;

  // A live tab without its stored id yet: ask while it runs until the recorder has it (or the history is off).
  useEffect(() => {
    if (!liveUnlinked || historyOff) return;
    void history.refresh();
    if (!running) return;
    const timer = setInterval(() => void history.refresh(), LINK_RETRY_MS);
    return () => clearInterval(timer);
  }, [history, liveUnlinked, historyOff, running]);

  // The id is known but the list was not read since (or the session just ended): read it.
  const missing = storedId !== undefined && info === undefined;
  useEffect(() => {
    if (missing) void history.refresh();
  }, [history, missing]);
  useEffect(() => {
    if (!running && storedId !== undefined && tab.mode === 'live') void history.refresh();
  }, [history, running, storedId, tab.mode]);
}

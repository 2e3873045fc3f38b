/**
 * The calls an agent's view answers: reading its targets' sessions (and,
 * with `--history`, its stored sessions), nothing that changes them. Payloads are checked by the same contract as the app's
 * own calls; a call that would start, stop or change something is refused
 * with one clear message, and calls that make no sense on an agent (files,
 * name lookups, its mtr-packet) are refused as not served.
 */
import { validateInvokeRequest, type InvokeName, type IpcResult } from '@shared/ipc';
import { READ_ONLY_AGENT_VIEW } from '@shared/remoteAgent';
import { StoredSessionError, type StoredSessionCalls } from '../../main/service/sessionHistory';
import type { AgentViewFeed } from './viewFeed';
import type { ExportSessionFile } from './sessionFileTransfers';

const CHANGING_CALLS: ReadonlySet<InvokeName> = new Set<InvokeName>([
  'startSession',
  'stopSession',
  'pauseSession',
  'resumeSession',
  'updateSession',
  'closeSession',
  'deleteStoredSession',
  'saveTraceJson',
  'savePng',
  'openTraceFile',
  'importTraceText',
  'connectAgent',
  'disconnectAgent',
]);

function refused(code: 'forbidden' | 'not-found', message: string): IpcResult<never> {
  return { ok: false, error: { code, message } };
}

/**
 * The history's read calls and its Export session (to a file of the agent's
 * own, sessionFileTransfers.ts), or null when the agent runs without `--history`.
 */
export type ViewHistory =
  (Omit<StoredSessionCalls, 'deleteStoredSession'> & { exportSessionFile: ExportSessionFile }) | null;
const STORED_CALLS = new Set<InvokeName>([
  'listStoredSessions',
  'openStoredSession',
  'getTimeline',
  'getWindowStats',
  'getTimelineMarkers',
]);

export async function answerViewCall(
  feed: AgentViewFeed,
  history: ViewHistory,
  name: InvokeName,
  payload: unknown,
): Promise<IpcResult<unknown>> {
  const valid = validateInvokeRequest(name, payload);
  if (!valid.ok) return valid;
  if (CHANGING_CALLS.has(name)) return refused('forbidden', `${name}: ${READ_ONLY_AGENT_VIEW}`);
  if (STORED_CALLS.has(name)) {
    if (!history) return refused('not-found', 'this agent keeps no history (it runs without --history)');
    return answerStoredCall(feed, history, name, valid.value);
  }
  const request = valid.value as { sessionId?: string };
  switch (name) {
    case 'listSessions':
      return { ok: true, value: feed.summaries() };
    case 'rendererReady':
      return { ok: true, value: null };
    case 'attachSession': {
      const summary = feed.summary(request.sessionId ?? '');
      return summary ? { ok: true, value: summary } : refused('not-found', `no session ${request.sessionId}`);
    }
    case 'getSessionDocument': {
      const document = feed.document(request.sessionId ?? '');
      return document ? { ok: true, value: document } : refused('not-found', `no session ${request.sessionId}`);
    }
    default:
      return refused('forbidden', `${name} is not served by an agent view`);
  }
}

async function answerStoredCall(
  feed: AgentViewFeed,
  history: NonNullable<ViewHistory>,
  name: InvokeName,
  request: unknown,
): Promise<IpcResult<unknown>> {
  try {
    if (name === 'listStoredSessions') {
      const list = await history.listStoredSessions(undefined, {});
      // A target's current session is listed under its view id: the id the viewer's tab knows it by.
      const viewIds = feed.viewIdsByUid();
      return {
        ok: true,
        value: { ...list, sessions: list.sessions.map((s) => ({ ...s, uid: viewIds.get(s.uid) ?? s.uid })) },
      };
    }
    const call = history[name as Exclude<keyof StoredSessionCalls, 'listStoredSessions' | 'deleteStoredSession'>] as (
      request: unknown,
      context: object,
    ) => Promise<unknown>;
    return { ok: true, value: await call(request, {}) };
  } catch (err) {
    if (err instanceof StoredSessionError) return { ok: false, error: { code: err.code, message: err.message } };
    return { ok: false, error: { code: 'failed', message: `the agent's history could not answer ${name}` } };
  }
}

/**
 * The calls an agent's view answers: reading its targets' sessions, nothing
 * that changes them. Payloads are checked by the same contract as the app's
 * own calls; a call that would start, stop or change something is refused
 * with one clear message, and calls that make no sense on an agent (files,
 * name lookups, its mtr-packet) are refused as not served.
 */
import { validateInvokeRequest, type InvokeName, type IpcResult } from '@shared/ipc';
import { READ_ONLY_AGENT_VIEW } from '@shared/remoteAgent';
import type { AgentViewFeed } from './viewFeed';

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

export function answerViewCall(feed: AgentViewFeed, name: InvokeName, payload: unknown): IpcResult<unknown> {
  const valid = validateInvokeRequest(name, payload);
  if (!valid.ok) return valid;
  if (CHANGING_CALLS.has(name)) return refused('forbidden', `${name}: ${READ_ONLY_AGENT_VIEW}`);
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

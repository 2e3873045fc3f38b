/**
 * What the agent's read-only view serves: each target's current session
 * under an id of its own that stays the same across the target's retries and
 * agent restarts (so a viewer keeps one tab per target), its summary and
 * document on request, and its event batches as they happen. It sits beside
 * the history store as a SessionRecorder, so it sees every batch in order.
 */
import { createHash } from 'node:crypto';
import type { SessionEventBatch, SessionSummary } from '@shared/session';
import type { TraceDocument } from '@shared/traceFile';
import { buildTraceDocument } from '@shared/traceDocument';
import type { TraceSession } from '../../main/trace/traceSession';
import type { SessionRecorder } from '../recorder';

const viewIds = new Map<string, string>();

/** `t-` and 32 hex digits of the target name's SHA-256: fits the app's session id rules, whatever the name. */
export function viewSessionId(targetName: string): string {
  let id = viewIds.get(targetName);
  if (id === undefined) {
    id = `t-${createHash('sha256').update(targetName).digest('hex').slice(0, 32)}`;
    // Bounded like the config's targets; names removed from the config are rare.
    if (viewIds.size >= 4096) viewIds.clear();
    viewIds.set(targetName, id);
  }
  return id;
}

/** The agent's sessions as the view needs them (Agent.sessions()). */
export type SessionSource = () => { name: string; session: TraceSession }[];

export class AgentViewFeed implements SessionRecorder {
  private readonly listeners = new Set<(batch: SessionEventBatch) => void>();

  constructor(private readonly source: SessionSource) {}

  /** Every target's batches, under its view id. */
  onBatch(listener: (batch: SessionEventBatch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  summaries(): SessionSummary[] {
    return this.source().map(({ name, session }) => withViewId(session.summary(), name));
  }

  /** Each target's current session's own id (as its history records it) to its view id. */
  viewIdsByUid(): Map<string, string> {
    return new Map(this.source().map(({ name, session }) => [session.summary().id, viewSessionId(name)]));
  }

  summary(viewId: string): SessionSummary | null {
    const found = this.find(viewId);
    return found ? withViewId(found.session.summary(), found.name) : null;
  }

  document(viewId: string): TraceDocument | null {
    const found = this.find(viewId);
    if (!found) return null;
    const { session, name } = found;
    return buildTraceDocument(
      withViewId(session.summary(), name),
      session.snapshotHops(),
      new Date(),
      session.snapshotEarlierSegments(),
    );
  }

  sessionStarted(target: string, summary: SessionSummary): void {
    if (this.listeners.size === 0) return;
    this.send({
      sessionId: viewSessionId(target),
      seq: 0,
      events: [{ type: 'state', summary: withViewId(summary, target) }],
    });
  }

  record(target: string, batch: SessionEventBatch): void {
    // Nobody watching (the usual case): the agent pays nothing for its view.
    if (this.listeners.size === 0) return;
    const events = batch.events.map((e) => (e.type === 'state' ? { ...e, summary: withViewId(e.summary, target) } : e));
    this.send({ sessionId: viewSessionId(target), seq: batch.seq, events });
  }

  sessionEnded(target: string, summary: SessionSummary): void {
    if (this.listeners.size === 0) return;
    this.send({
      sessionId: viewSessionId(target),
      seq: 0,
      events: [{ type: 'state', summary: withViewId(summary, target) }],
    });
  }

  private find(viewId: string): { name: string; session: TraceSession } | undefined {
    return this.source().find(({ name }) => viewSessionId(name) === viewId);
  }

  private send(batch: SessionEventBatch): void {
    for (const listener of this.listeners) listener(batch);
  }
}

function withViewId(summary: SessionSummary, target: string): SessionSummary {
  return { ...summary, id: viewSessionId(target) };
}

/** Hands every call to each recorder in turn (the history store and the view). */
export function teeRecorders(...recorders: SessionRecorder[]): SessionRecorder {
  return {
    sessionStarted: (target, summary) => recorders.forEach((r) => r.sessionStarted(target, summary)),
    record: (target, batch) => recorders.forEach((r) => r.record(target, batch)),
    sessionEnded: (target, summary) => recorders.forEach((r) => r.sessionEnded(target, summary)),
  };
}

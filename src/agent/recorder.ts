import type { SessionEventBatch, SessionSummary } from '@shared/session';

/**
 * Where the agent's sessions are recorded. The history store (issue "Session
 * history") plugs in here: the agent calls these for every target, in order,
 * and never waits for them, so a slow store cannot stall probing. A target
 * starts a new session on each retry and on a change of its address.
 */
export interface SessionRecorder {
  /** A session of the target named `target` began. */
  sessionStarted(target: string, summary: SessionSummary): void;
  /** One event batch of that session (statistics, samples, path and state changes). */
  record(target: string, batch: SessionEventBatch): void;
  /** The session ended: stopped, failed (a retry follows), or replaced by a config change. */
  sessionEnded(target: string, summary: SessionSummary): void;
}

/** Until the history store lands, nothing is recorded. */
export const NO_RECORDING: SessionRecorder = {
  sessionStarted: () => undefined,
  record: () => undefined,
  sessionEnded: () => undefined,
};

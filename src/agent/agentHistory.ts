/**
 * `hopscope agent --history FILE`: every session of every target recorded in
 * one history file, through the same SessionRecorder `trace --record` uses.
 * Rows are flushed at least once a second, so a killed agent loses at most
 * the last second; a restarted agent appends new sessions to the same file.
 */
import { DEFAULT_RETENTION_DAYS, HistoryStore, SessionRecorder } from '../main/history';
import type { SessionEventBatch, SessionSummary } from '@shared/session';
import { SessionHistory, storedSessionHandlers, type StoredSessionCalls } from '../main/service/sessionHistory';
import type { SessionRecorder as AgentRecorder } from './recorder';
import type { ExportSessionFile } from './viewServer/sessionFileTransfers';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The SessionRecorder records helper restarts and stalls too (as events, from the summaries' markers). */
interface Recording {
  recorder: SessionRecorder;
}

export interface AgentHistoryOptions {
  /** Sessions last written more than this many days ago are deleted at start and once a day (default 30). */
  keepDays?: number;
  log: (message: string) => void;
  /** DuckDB's own limits: the agent is a small service beside other things. */
  memoryLimit?: string;
  threads?: number;
}

export class AgentHistory implements AgentRecorder {
  private readonly recordings = new Map<string, Recording>();
  /** finish() calls still writing: close() waits for them. */
  private readonly finishing = new Set<Promise<void>>();
  private retentionTimer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly path: string,
    private readonly store: HistoryStore,
    private readonly keepDays: number,
    private readonly log: (message: string) => void,
  ) {}

  /** Opens (or creates) the file and applies retention once. Throws HistoryFileError for a file it must not write. */
  static async open(path: string, options: AgentHistoryOptions): Promise<AgentHistory> {
    const keepDays = options.keepDays ?? DEFAULT_RETENTION_DAYS;
    if (!(keepDays > 0)) throw new RangeError('history retention must be more than 0 days');
    const store = await HistoryStore.open(path, {
      memoryLimit: options.memoryLimit ?? '256MB',
      threads: options.threads ?? 1,
      onFlushError: (err) => options.log(`writing the history failed (kept for the next attempt): ${String(err)}`),
    });
    const history = new AgentHistory(path, store, keepDays, options.log);
    try {
      await history.applyRetention();
    } catch (err) {
      await store.close();
      throw err;
    }
    history.retentionTimer = setInterval(() => {
      history.applyRetention().catch((err) => options.log(`history retention failed: ${String(err)}`));
    }, DAY_MS);
    history.retentionTimer.unref();
    return history;
  }

  /** Deletes sessions older than the retention; returns how many. */
  async applyRetention(): Promise<number> {
    const removed = await this.store.applyRetention(this.keepDays);
    if (removed > 0) this.log(`history: removed ${removed} session(s) older than ${this.keepDays} days`);
    return removed;
  }

  /**
   * The stored-session calls answered from this file, through the app's own
   * query code; the view serves them read-only (deleting is refused there).
   * Live means recorded by this agent now.
   */
  storedSessionCalls(): StoredSessionCalls & { exportSessionFile: ExportSessionFile } {
    const recording = (uid: string) => this.recordings.has(uid);
    const reader = new SessionHistory(undefined, { path: this.path, store: this.store, recording });
    return {
      ...storedSessionHandlers(
        () => reader,
        () => new Set(this.recordings.keys()),
      ),
      // Export session for a viewer: the app's own export, in turn with the writer's flushes.
      exportSessionFile: (id, target) => reader.exportFile(id, target),
    };
  }

  sessionStarted(target: string, summary: SessionSummary): void {
    if (this.closed) return;
    const recording = { recorder: new SessionRecorder(this.store) };
    this.recordings.set(summary.id, recording);
    // The store learns of the session now, not at its first batch: a session that fails at once is kept too.
    this.record(target, { sessionId: summary.id, seq: 0, events: [{ type: 'state', summary }] });
  }

  record(_target: string, batch: SessionEventBatch): void {
    if (this.closed) return;
    const recording = this.recordings.get(batch.sessionId);
    if (!recording) return;
    recording.recorder.onBatch(batch);
  }

  sessionEnded(target: string, summary: SessionSummary): void {
    const recording = this.recordings.get(summary.id);
    if (!recording || this.closed) return;
    this.recordings.delete(summary.id);
    const finished = recording.recorder
      .finish(summary)
      .catch((err) => this.log(`history: recording the end of ${target}'s session failed: ${String(err)}`))
      .finally(() => this.finishing.delete(finished));
    this.finishing.add(finished);
  }

  /** Call after the agent stopped its sessions (their ends are recorded), then writes everything and closes. */
  async close(): Promise<void> {
    if (this.closed) return;
    clearInterval(this.retentionTimer);
    await Promise.all([...this.finishing]);
    this.closed = true;
    this.recordings.clear();
    await this.store.close();
  }
}

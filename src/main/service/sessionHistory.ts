/**
 * The service's session history: opens the history file (retention applied
 * once at start-up), records every live session from the batches the front
 * ends get, and answers the stored-session calls. A file that cannot be
 * opened or written turns history off with a stated problem; tracing never
 * depends on it.
 *
 * One process at a time may write a DuckDB file (it is locked while open):
 * the app opens its own file once (it is a single instance); a second
 * harness or app on the same file gets "history off" with the lock named.
 */
import {
  buildStoredSessionDocument,
  HistoryStore,
  isOutOfMemory,
  SessionRecorder,
  type Continuation,
  type StoredSession,
  type StoredSessionRow,
} from '../history';
import type { HistoryStoreOptions } from '../history';
import type { ServiceHandlers } from './traceService';

export type StoredSessionCall =
  | 'listStoredSessions'
  | 'deleteStoredSession'
  | 'openStoredSession'
  | 'getTimeline'
  | 'getWindowStats'
  | 'getTimelineMarkers';

export type { Continuation } from '../history';
import type { SessionEventBatch, SessionSummary } from '@shared/session';
import type { TraceDocument } from '@shared/traceFile';
import {
  MAX_OPENED_SAMPLES,
  MAX_TIMELINE_MARKERS,
  windowRttFigures,
  type HistoryStatus,
  type StoredSessionInfo,
  type StoredSessionList,
  type TimelineBucketInfo,
  type TimelineMarkerList,
  type WindowStatsInfo,
} from '@shared/storedSessions';

export interface SessionHistoryOptions {
  /** The history file (created when missing). */
  path: string;
  /** Sessions whose newest record is older than this are deleted at start-up (default 30). */
  retentionDays?: number;
  store?: Pick<HistoryStoreOptions, 'memoryLimit' | 'threads' | 'flushIntervalMs'>;
  /** Where problems are logged (the banner gets them through listStoredSessions). */
  log?: (message: string) => void;
}

/** A stored-session call the caller got wrong (unknown id, still recording, too large). */
export class StoredSessionError extends Error {
  constructor(
    readonly code: 'not-found' | 'failed' | 'too-large',
    message: string,
  ) {
    super(message);
  }
}

const ACTIVE_STATES = new Set(['resolving', 'running', 'paused']);

/** A stored session as the sessions list shows it; one that is not live yet never ended reads as interrupted. */
export function storedSessionInfo(s: StoredSession, live: boolean): StoredSessionInfo {
  return {
    id: s.session,
    uid: s.uid,
    target: s.target,
    targetAddress: s.targetAddress,
    startedAt: s.startedAt,
    endedAt: s.endedAt,
    lastAt: s.lastAt,
    rounds: s.rounds,
    samples: s.samples,
    approxBytes: s.approxBytes,
    state: !live && ACTIVE_STATES.has(s.state) ? 'interrupted' : s.state,
    live,
  };
}

function problemOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A store another recorder writes into (the agent's history), read here: `recording` says which uids it records now. */
export interface SharedStore {
  path: string;
  store: HistoryStore;
  recording: (uid: string) => boolean;
}

export class SessionHistory {
  private store: HistoryStore | null = null;
  private status: HistoryStatus;
  private readonly opening: Promise<void>;
  private readonly recorders = new Map<string, SessionRecorder>();
  private readonly lastSummaries = new Map<string, SessionSummary>();
  /** Stored sessions a timeline call found (see findCharted). */
  private readonly charted = new Set<number>();
  /** Live sessions that record into a stored session, until their recorder exists. */
  private readonly continuations = new Map<string, Continuation>();

  /** Records itself with `options`; with `shared` only answers the stored-session calls from that store. */
  constructor(
    private readonly options: SessionHistoryOptions | undefined,
    private readonly shared?: SharedStore,
  ) {
    this.status = { state: options || shared ? 'recording' : 'off', path: options?.path ?? shared?.path ?? null };
    this.store = shared?.store ?? null;
    this.opening = options ? this.open(options) : Promise.resolve();
  }

  /** Resolves once the file is open (or failed to open); never rejects. */
  ready(): Promise<void> {
    return this.opening;
  }

  private async open(options: SessionHistoryOptions): Promise<void> {
    try {
      const store = await HistoryStore.open(options.path, {
        ...options.store,
        onFlushError: (err) => this.fail(`could not write the history file: ${problemOf(err)}`),
      });
      this.store = store;
      const removed = await store.applyRetention(options.retentionDays);
      if (removed > 0) options.log?.(`history: ${removed} session(s) older than the retention deleted`);
    } catch (err) {
      this.fail(`could not open the history file: ${problemOf(err)}`);
    }
  }

  /** History stops (the store is kept for reading if it opened); tracing goes on. */
  private fail(problem: string): void {
    if (this.status.state === 'failed') return;
    this.status = { state: 'failed', path: this.status.path, problem };
    this.recorders.clear();
    this.options?.log?.(`history: ${problem}`);
  }

  /** Feed every batch of every live session, in order. */
  onBatch(batch: SessionEventBatch): void {
    if (!this.store || this.shared || this.status.state !== 'recording') return;
    for (const event of batch.events)
      if (event.type === 'state') this.lastSummaries.set(batch.sessionId, event.summary);
    let recorder = this.recorders.get(batch.sessionId);
    if (!recorder) {
      recorder = new SessionRecorder(this.store, Date.now, this.continuations.get(batch.sessionId) ?? null);
      this.continuations.delete(batch.sessionId);
      this.recorders.set(batch.sessionId, recorder);
    }
    try {
      recorder.onBatch(batch);
    } catch (err) {
      this.fail(`could not record session ${batch.sessionId}: ${problemOf(err)}`);
    }
  }

  /**
   * Where a new live session continuing stored session `id` records: refused
   * when history is off, the id is unknown, or the session is being recorded.
   */
  async continuation(id: number, liveIds: ReadonlySet<string>): Promise<Continuation> {
    const { store, session } = await this.find(id);
    if (this.status.state !== 'recording') {
      throw new StoredSessionError('failed', this.status.problem ?? 'session history is not recording');
    }
    if (this.isLive(session, liveIds) || [...this.continuations.values()].some((c) => c.session === id)) {
      throw new StoredSessionError(
        'failed',
        `stored session ${id} is still being recorded; it cannot be continued twice`,
      );
    }
    const next = await store.continuationOf(session.session);
    return { session: session.session, firstSegment: next.segment, firstRound: next.round };
  }

  /** The live session `liveId` (not started yet) records into the stored session of `continuation`. */
  continueWith(liveId: string, continuation: Continuation): void {
    this.continuations.set(liveId, continuation);
  }

  private isLive(s: StoredSessionRow, liveIds: ReadonlySet<string>): boolean {
    return liveIds.has(s.uid) && (this.recorders.has(s.uid) || this.shared?.recording(s.uid) === true);
  }

  /** The live session is gone (closed, abandoned, app quitting): write its end. */
  async finish(sessionId: string, summary?: SessionSummary): Promise<void> {
    const recorder = this.recorders.get(sessionId);
    const last = summary ?? this.lastSummaries.get(sessionId);
    this.recorders.delete(sessionId);
    this.lastSummaries.delete(sessionId);
    this.continuations.delete(sessionId);
    if (!recorder || !last || this.status.state !== 'recording') return;
    await recorder.finish(last).catch((err: unknown) => this.fail(`could not finish a session: ${problemOf(err)}`));
  }

  /** Finish every recording and close the file. */
  async close(summaries: Map<string, SessionSummary>): Promise<void> {
    await this.opening;
    for (const id of [...this.recorders.keys()]) await this.finish(id, summaries.get(id));
    const store = this.store;
    this.store = null;
    // A shared store is closed by its owner.
    if (!this.shared)
      await store?.close().catch((err: unknown) => this.options?.log?.(`history: close failed: ${problemOf(err)}`));
  }

  // --- the contract's stored-session calls -----------------------------------

  async list(liveIds: ReadonlySet<string>): Promise<StoredSessionList> {
    await this.opening;
    if (!this.store) return { history: this.status, sessions: [] };
    // What the list shows is on disk: sizes and counts include the last second.
    await this.store.flush().catch(() => undefined);
    const sessions = await this.store.sessions();
    return { history: this.status, sessions: sessions.reverse().map((s) => this.info(s, liveIds)) };
  }

  private info(s: StoredSession, liveIds: ReadonlySet<string>): StoredSessionInfo {
    return storedSessionInfo(s, this.isLive(s, liveIds));
  }

  async delete(id: number, liveIds: ReadonlySet<string>): Promise<void> {
    const { store, session } = await this.find(id);
    if (this.isLive(session, liveIds)) {
      throw new StoredSessionError('failed', `session ${id} is still being recorded; close its tab first`);
    }
    this.charted.delete(session.session);
    await store.deleteSession(session.session);
  }

  /**
   * A window of stored session `id` as a document: every sample (refused as
   * too large past MAX_OPENED_SAMPLES), or each hop's newest `samplesPerHop`
   * rounds, which any length of session fits.
   */
  async document(id: number, window: { from?: number; to?: number }, samplesPerHop?: number): Promise<TraceDocument> {
    const { store, session } = await this.find(id);
    await store.flush();
    if (samplesPerHop !== undefined) return buildStoredSessionDocument(store, session, window, samplesPerHop);
    try {
      const counted = await store.windowStats(session.session, window, { percentiles: false });
      const samples = counted.hops.reduce((n, hop) => n + hop.sent, 0);
      if (samples > MAX_OPENED_SAMPLES) {
        throw new StoredSessionError(
          'too-large',
          `that window holds ${samples} samples, more than the ${MAX_OPENED_SAMPLES} one document carries; pick a shorter window`,
        );
      }
      return await buildStoredSessionDocument(store, session, window);
    } catch (err) {
      // Near the sample cap, reading the window can need more than the history's memory limit.
      if (isOutOfMemory(err)) {
        throw new StoredSessionError(
          'too-large',
          `that window needs more memory than the history may use; pick a shorter window (${(err as Error).message})`,
        );
      }
      throw err;
    }
  }

  /** Export session: every sample of stored session `id` so far, to a history file of its own at `target`. */
  async exportFile(id: number, target: string): Promise<{ samples: number }> {
    const { store, session } = await this.find(id);
    return store.exportSession(session.session, target);
  }

  async timeline(id: number, ttl: number, from: number, to: number, buckets: number): Promise<TimelineBucketInfo[]> {
    const store = await this.findCharted(id);
    await store.flush();
    return store.timeline(id, ttl, from, to, buckets);
  }

  async timelineMarkers(id: number, from: number, to: number): Promise<TimelineMarkerList> {
    const store = await this.findCharted(id);
    await store.flush();
    return store.timelineMarkers(id, from, to, MAX_TIMELINE_MARKERS);
  }

  /**
   * The store, once `id` is known to be in it. A timeline asks several times
   * a view, and finding a session by listing them counts every sample (13 ms
   * for a day of 30 hops): a session found once is remembered until deleted.
   */
  private async findCharted(id: number): Promise<HistoryStore> {
    if (this.store && this.charted.has(id)) return this.store;
    const { store } = await this.find(id);
    this.charted.add(id);
    return store;
  }

  async windowStats(id: number, window: { from?: number; to?: number }): Promise<WindowStatsInfo> {
    const { store, session } = await this.find(id);
    await store.flush();
    const stats = await store.windowStats(session.session, window, { jitter: true });
    return {
      hops: stats.hops.map((hop) => ({
        ttl: hop.ttl,
        sent: hop.sent,
        received: hop.received,
        lossPct: hop.lossPct,
        ...windowRttFigures(hop),
        hosts: hop.hosts.map((h) => ({
          address: h.address,
          received: h.received,
          jitterMs: h.jitterMs,
          ...windowRttFigures(h),
        })),
      })),
      rounds: stats.rounds,
      firstAt: stats.firstAt,
      lastAt: stats.lastAt,
    };
  }

  private async find(id: number): Promise<{ store: HistoryStore; session: StoredSessionRow }> {
    await this.opening;
    const store = this.store;
    if (!store) {
      throw new StoredSessionError('failed', this.status.problem ?? 'session history is off (no history file)');
    }
    // One row, not the list: the live focus window asks for statistics every second.
    const session = await store.session(id);
    if (!session) throw new StoredSessionError('not-found', `no stored session ${id}`);
    return { store, session };
  }
}

/**
 * The contract's stored-session calls, answered by the service's history
 * (read when called: the service builds its handlers before its history);
 * `liveIds` are the sessions still running.
 */
export type StoredSessionCalls = Pick<ServiceHandlers, StoredSessionCall>;

export function storedSessionHandlers(
  history: () => SessionHistory,
  liveIds: () => ReadonlySet<string>,
): StoredSessionCalls {
  return {
    listStoredSessions: async () => history().list(liveIds()),
    deleteStoredSession: async ({ id }) => {
      await history().delete(id, liveIds());
      return null;
    },
    openStoredSession: async ({ id, from, to, samplesPerHop }) => history().document(id, { from, to }, samplesPerHop),
    getTimeline: async ({ id, ttl, from, to, buckets }) => history().timeline(id, ttl, from, to, buckets),
    getWindowStats: async ({ id, from, to }) => history().windowStats(id, { from, to }),
    getTimelineMarkers: async ({ id, from, to }) => history().timelineMarkers(id, from, to),
  };
}

import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { TraceSession } from '../trace/traceSession';
import { ProbeEngine } from './probeEngine';
import { explainFailure } from './sessionErrors';
import { mtrPacketStatus } from './mtrPacketStatus';
import { SessionHistory, StoredSessionError, storedSessionHandlers, type Continuation } from './sessionHistory';
import { DEFAULT_ORPHAN_GRACE_MS, SessionOwnership, type SessionOwner } from './sessionOwnership';
import { importTraceFile, TraceFileReadError } from './traceFileImport';
import { importTraceText } from '@shared/formats/importTrace';
import { ReverseDnsCache } from '../net/reverseDns';
import { listLocalAddresses } from '../net/localAddresses';
import { resolveAllAddresses } from '../net/resolveTarget';
import { memorySettingsStore, SessionOwners } from './sessionOwners';
import { RemoteAgentError, RemoteAgents } from '../remote/remoteAgents';
import { withRemoteSessions } from '../remote/remoteHandlers';
import { buildTraceDocument, traceFileText } from '@shared/traceDocument';
import type { TraceDocument } from '@shared/traceFile';
import { storedExportDocument } from './storedSessionExport';
import { SessionFiles } from './sessionFiles';
import { exportSessionTo, isSessionFilePath, openDroppedSessionFile, withSessionFiles } from './sessionFileHandlers';
import type { TraceOptions } from '@shared/traceOptions';
import type { SessionEventBatch, SessionSummary } from '@shared/session';
import {
  validateInvokeRequest,
  type InvokeName,
  type InvokeResponses,
  type ImportResult,
  type IpcResult,
  type SaveResult,
  type ValidInvokeRequest,
} from '@shared/ipc';
import type { FileDialogs, LastTraceOptionsStore, SaveKind, TraceServiceOptions } from './traceServiceOptions';

export type { FileDialogs, LastTraceOptionsStore, SaveKind, TraceServiceOptions } from './traceServiceOptions';

/** Who is calling: the connection (socket, page) that sessions it starts or attaches belong to. */
export interface CallContext {
  owner?: SessionOwner;
}

/** One handler per contract call; the ones that never wait answer directly (dispatch awaits either). */
export type ServiceHandlers = {
  [K in InvokeName]: (
    request: ValidInvokeRequest<K>,
    context: CallContext,
  ) => InvokeResponses[K] | Promise<InvokeResponses[K]>;
};

/** A failure the caller should see as a typed IPC error rather than a crash. */
export class ServiceError extends Error {
  constructor(
    readonly code: 'not-found' | 'failed' | 'forbidden',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The engine as a service: every invoke channel of the IPC contract as a
 * method, and session events as a stream. It knows nothing of Electron or
 * WebSockets; thin adapters bind it to ipcMain or to the harness socket.
 */
export class TraceService {
  private readonly engine: ProbeEngine;
  private readonly sessions = new Map<string, TraceSession>();
  private readonly listeners = new Set<(batch: SessionEventBatch) => void>();
  private readonly reverseDns: ReverseDnsCache;
  private readonly maxSessions: number;
  /** Slots taken by startSession calls still opening mtr-packet: the cap counts them synchronously. */
  private startingSessions = 0;
  private readonly ownership: SessionOwnership;
  private readonly lastOptions: LastTraceOptionsStore;
  private readonly owners: SessionOwners;
  private readonly history: SessionHistory;
  private readonly sessionFiles = new SessionFiles(() => this.options.history?.path ?? null);
  /** Agents' read-only sessions: their batches go to the listeners, never to the local history. */
  private readonly remote = new RemoteAgents((batch) => this.listeners.forEach((listener) => listener(batch)));

  constructor(private readonly options: TraceServiceOptions = {}) {
    this.maxSessions = options.maxSessions ?? 32;
    this.engine = new ProbeEngine({
      ...(options.mtrPacketPath ? { mtrPacketPath: options.mtrPacketPath } : {}),
      ...(options.clientOptions ? { clientOptions: options.clientOptions } : {}),
      ...(options.supervisorOptions ? { supervisorOptions: options.supervisorOptions } : {}),
      ...(options.schedulerOptions ? { schedulerOptions: options.schedulerOptions } : {}),
      ...(options.resolvers?.forward ? { forwardLookup: options.resolvers.forward } : {}),
      ...(options.routeLookup ? { routeLookup: options.routeLookup } : {}),
    });
    this.ownership = new SessionOwnership(options.orphanGraceMs ?? DEFAULT_ORPHAN_GRACE_MS, (id) =>
      this.closeAbandoned(id),
    );
    this.reverseDns = new ReverseDnsCache(options.resolvers?.reverse);
    this.owners = new SessionOwners(
      options.enrichment,
      options.enrichmentSettings ?? memorySettingsStore(options.enrichment),
    );
    this.history = new SessionHistory(options.history);
    if (options.agentSessionFileChunkBytes)
      this.remote.stored.sessionFileChunkBytes = options.agentSessionFileChunkBytes;
    let remembered: TraceOptions | null = null;
    this.lastOptions = options.lastTraceOptions ?? {
      get: () => remembered,
      set: (o) => (remembered = o),
    };
  }

  /** Subscribe to every session's event batches. */
  onEvents(listener: (batch: SessionEventBatch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Validate an untrusted payload, run the call, and never throw. Sessions
   * started or attached with an `owner` belong to it (see `release`).
   */
  async dispatch<K extends InvokeName>(
    name: K,
    payload: unknown,
    context: CallContext = {},
  ): Promise<IpcResult<InvokeResponses[K]>> {
    const valid = validateInvokeRequest(name, payload);
    if (!valid.ok) return valid;
    const handler = this.handlers[name] as (
      request: ValidInvokeRequest<K>,
      context: CallContext,
    ) => InvokeResponses[K] | Promise<InvokeResponses[K]>;
    return this.settle(() => handler(valid.value, context));
  }

  /** A call's answer, or its failure as a typed IPC error. */
  private async settle<T>(run: () => T | Promise<T>): Promise<IpcResult<T>> {
    try {
      return { ok: true, value: await run() };
    } catch (err) {
      if (err instanceof ServiceError || err instanceof StoredSessionError || err instanceof RemoteAgentError)
        return { ok: false, error: { code: err.code, message: err.message } };
      const userError = explainFailure(err);
      return { ok: false, error: { code: 'failed', message: `${userError.title}: ${userError.detail}`, userError } };
    }
  }

  /**
   * The document Export JSON of a stored session writes, for a front end
   * that writes it itself (the browser harness's download); never throws.
   */
  async storedSessionExport(payload: unknown, context: CallContext = {}): Promise<IpcResult<TraceDocument>> {
    const valid = validateInvokeRequest('exportStoredSession', payload);
    if (!valid.ok) return valid;
    return this.settle(() => storedExportDocument(this.handlers.openStoredSession, valid.value, context));
  }

  /** Export session to `target` (the browser harness's download); never throws. */
  async sessionFileExport(payload: unknown, target: string): Promise<IpcResult<{ samples: number }>> {
    const valid = validateInvokeRequest('exportSessionFile', payload);
    if (!valid.ok) return valid;
    return this.settle(() =>
      exportSessionTo(this.sessionFiles, this.history, this.remote.stored, valid.value.id, target),
    );
  }

  /**
   * A session file the browser harness received for the page connection
   * `owner` (a copy, removed when its tab or that connection closes); never throws.
   */
  openUploadedSessionFile(path: string, fileName: string, owner: SessionOwner): Promise<ImportResult> {
    return this.sessionFiles.open(path, { fileName, owner });
  }

  /**
   * The connection `owner` is gone. Its sessions keep running for the grace
   * period; a page that attaches them in time keeps them, the rest are closed.
   */
  release(owner: SessionOwner): void {
    this.ownership.release(owner);
    // Its tabs are gone: so are the session files it sent (nothing can attach them again).
    void this.sessionFiles.closeOwnedBy(owner);
  }

  readonly handlers: ServiceHandlers = withRemoteSessions(
    this.remote,
    withSessionFiles(this.sessionFiles, {
      startSession: async ({ continueStoredId, ...options }, { owner }) => {
        // Reserve the slot before the first await, so parallel calls cannot all pass the check.
        if (this.sessions.size + this.startingSessions >= this.maxSessions) {
          throw new ServiceError('failed', `at most ${this.maxSessions} traces can be open; close one first`);
        }
        this.startingSessions++;
        let continued: Continuation | null = null;
        try {
          // The recorder must see the session's first batch: wait for the history file (never fails).
          await this.history.ready();
          // An unknown or still-recording stored session is refused before anything starts.
          if (continueStoredId !== undefined)
            continued = await this.history.continuation(continueStoredId, this.liveIds());
          await this.engine.open();
        } finally {
          this.startingSessions--;
        }
        const id = randomUUID();
        if (continued) this.history.continueWith(id, continued);
        const send = this.owners.streamFor(id, (batch) => this.emit(batch));
        const session = this.engine.createSession(id, options, this.reverseDns, send);
        this.sessions.set(id, session);
        if (owner) this.ownership.claim(id, owner);
        this.lastOptions.set(options);
        void session.start();
        return session.summary();
      },
      stopSession: ({ sessionId }) => this.withSession(sessionId, (s) => s.stop()),
      pauseSession: ({ sessionId }) => this.withSession(sessionId, (s) => s.pause()),
      resumeSession: ({ sessionId }) => this.withSession(sessionId, (s) => s.resume()),
      updateSession: async ({ sessionId, options }) => {
        const session = this.session(sessionId);
        await this.engine.open();
        // Resolves a new target before anything stops: a name that does not resolve rejects here
        // (a 'resolve-failed' userError) and the running trace goes on untouched.
        await session.updateOptions(options);
        return session.summary();
      },
      closeSession: ({ sessionId }) => {
        this.session(sessionId).dispose();
        this.forgetSession(sessionId);
        return null;
      },
      listSessions: () => [...this.sessions.values()].map((s) => s.summary()),
      attachSession: ({ sessionId }, { owner }) => {
        const session = this.session(sessionId);
        if (owner) this.ownership.claim(sessionId, owner);
        // A caller without a connection keeps the session for good: nothing will release it.
        else this.ownership.forget(sessionId);
        return session.summary();
      },
      getSessionDocument: ({ sessionId }) => {
        const session = this.session(sessionId);
        const document = buildTraceDocument(
          session.summary(),
          session.snapshotHops(),
          new Date(),
          session.snapshotEarlierSegments(),
        );
        return this.owners.document(document);
      },
      checkMtrPacket: async () => mtrPacketStatus(this.engine),
      listLocalAddresses: () => listLocalAddresses(),
      resolveTarget: async ({ target, ipVersion }) => ({
        target,
        ...(await resolveAllAddresses(target, ipVersion, this.options.resolvers?.forward)),
      }),
      importTraceText: ({ fileName, text }) => importTraceText(fileName, text),
      openTraceFile: async () => {
        const dialogs = this.requireDialogs();
        const path = await dialogs.chooseOpenPath();
        if (!path) return null;
        if (isSessionFilePath(path)) return this.sessionFiles.open(path);
        return importTraceFile(path, this.options.traceFileWorker).catch((err: unknown) => {
          throw err instanceof TraceFileReadError ? new ServiceError('failed', err.message) : err;
        });
      },
      saveTraceJson: async ({ suggestedName, document }) =>
        this.saveWithDialog(suggestedName, 'json', traceFileText(document)),
      exportStoredSession: async (request, context) => {
        const document = await storedExportDocument(this.handlers.openStoredSession, request, context);
        return this.saveWithDialog(request.suggestedName, 'json', traceFileText(document));
      },
      exportSessionFile: async ({ id, suggestedName }) => {
        const path = await this.requireDialogs().chooseSavePath(suggestedName, 'duckdb');
        if (!path) return { saved: false, reason: 'cancelled' };
        await exportSessionTo(this.sessionFiles, this.history, this.remote.stored, id, path);
        return { saved: true, path };
      },
      closeSessionFile: async ({ id }) => {
        await this.sessionFiles.close(id);
        return null;
      },
      // Only a front end whose files are on this machine (Electron, with dialogs) opens one by path:
      // the harness's page has no business naming the server's files (it uploads the dropped bytes).
      openDroppedSessionFile: ({ path }) => {
        this.requireDialogs();
        return openDroppedSessionFile(this.sessionFiles, path);
      },
      savePng: async ({ suggestedName, pngBase64 }) =>
        this.saveWithDialog(suggestedName, 'png', Buffer.from(pngBase64, 'base64')),
      getLastTraceOptions: () => this.lastOptions.get(),
      rendererReady: async () => {
        // A renderer (re)loaded with no tabs: the session files the dialogs opened for the last one are closed.
        await this.sessionFiles.closeOwnedBy(undefined);
        return null;
      },
      getEnrichmentStatus: () => this.owners.status(),
      getEnrichmentSettings: () => this.owners.currentSettings(),
      setEnrichmentSettings: (settings) => this.owners.apply(settings),
      chooseDatabaseFile: async ({ kind }) => {
        const dialogs = this.options.dialogs;
        if (!dialogs?.chooseDatabasePath) {
          throw new ServiceError('failed', 'no file dialog here: type the path of the file instead');
        }
        return dialogs.chooseDatabasePath(kind);
      },
      ...storedSessionHandlers(
        () => this.history,
        () => this.liveIds(),
      ),
    }),
  );

  /** Stop every session and reap mtr-packet. */
  async dispose(): Promise<void> {
    const summaries = new Map<string, SessionSummary>();
    for (const [id, session] of this.sessions) {
      session.dispose();
      summaries.set(id, session.summary());
    }
    this.sessions.clear();
    this.remote.dispose();
    this.owners.closeAll();
    await this.history.close(summaries);
    await this.sessionFiles.closeAll();
    this.ownership.clear();
    this.listeners.clear();
    await this.engine.close();
  }

  /** Nobody came back for an orphaned session: stop it and free its slot. */
  private closeAbandoned(sessionId: string): void {
    const session = this.sessions.get(sessionId);
    if (!session) return;
    session.dispose();
    this.forgetSession(sessionId);
  }

  private forgetSession(sessionId: string): void {
    const session = this.sessions.get(sessionId);
    void this.history.finish(sessionId, session?.summary());
    this.sessions.delete(sessionId);
    this.owners.forget(sessionId);
    this.engine.release(sessionId);
    this.ownership.forget(sessionId);
  }

  private emit(batch: SessionEventBatch): void {
    this.history.onBatch(batch);
    for (const listener of this.listeners) listener(batch);
  }

  private liveIds(): Set<string> {
    return new Set(this.sessions.keys());
  }

  private session(id: string): TraceSession {
    const session = this.sessions.get(id);
    if (!session) throw new ServiceError('not-found', `no session ${id}`);
    return session;
  }

  private withSession(id: string, action: (s: TraceSession) => void): SessionSummary {
    const session = this.session(id);
    action(session);
    return session.summary();
  }

  private requireDialogs(): FileDialogs {
    if (!this.options.dialogs) throw new ServiceError('forbidden', 'files are opened and saved by the browser here');
    return this.options.dialogs;
  }

  private async saveWithDialog(suggestedName: string, kind: SaveKind, data: string | Buffer): Promise<SaveResult> {
    const path = await this.requireDialogs().chooseSavePath(suggestedName, kind);
    if (!path) return { saved: false, reason: 'cancelled' };
    await writeFile(path, data);
    return { saved: true, path };
  }
}

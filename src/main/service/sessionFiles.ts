/**
 * Opened session files (Export session's DuckDB files, or any history file
 * holding one session): each is opened read-only as a history store of its
 * own and answers the stored-session calls (document, timeline, focus window
 * statistics, markers) exactly as the app's history answers for its own
 * sessions, under an app id of the session-file range (src/shared/sessionFiles.ts).
 * A file is closed when its tab closes (closeSessionFile) or the service stops.
 */
import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import { DEFAULT_SAMPLES_PER_HOP } from '@shared/limits';
import type { ImportResult } from '@shared/ipc';
import {
  isSessionFileId,
  MAX_OPEN_SESSION_FILES,
  SESSION_FILE_FORMAT,
  SESSION_FILE_ID_BASE,
  SESSION_FILE_ID_END,
} from '@shared/sessionFileFormat';
import type { StoredSessionInfo } from '@shared/storedSessions';
import { HistoryFileError, HistoryStore, sameFile } from '../history';
import {
  SessionHistory,
  StoredSessionError,
  storedSessionHandlers,
  storedSessionInfo,
  type StoredSessionCalls,
} from './sessionHistory';

/** A session file's stores need little: one at a time is read, by one person. */
const FILE_STORE_OPTIONS = { readOnly: true, memoryLimit: '32MB', threads: 1 } as const;

interface OpenedFile {
  path: string;
  /** A copy made for this tab (the browser harness's upload): removed when closed. */
  removeOnClose: boolean;
  /** The page connection it was opened for (the harness's upload), whose end closes it. */
  owner?: object;
  store: HistoryStore;
  /** The session's number in the file. */
  session: number;
  calls: StoredSessionCalls;
}

type FileCall = 'openStoredSession' | 'getTimeline' | 'getWindowStats' | 'getTimelineMarkers';

export class SessionFiles {
  private next = SESSION_FILE_ID_BASE;
  private readonly files = new Map<number, OpenedFile>();

  /** `historyPath`: the app's own history file, which is never opened a second time. */
  constructor(private readonly historyPath: () => string | null) {}

  /** Whether `id` is in the range of session files (open or not). */
  has(id: number): boolean {
    return isSessionFileId(id);
  }

  /**
   * Opens the file read-only and answers what a tab of it starts with: each
   * hop's newest samples, the statistics of the whole session, and its app
   * id with the session's row. A file that is not one readable session is
   * an import failure naming the problem; nothing else changes.
   */
  async open(path: string, copy?: { fileName: string; owner: object }): Promise<ImportResult> {
    const result = await this.openFile(path, copy?.owner).catch((err: unknown): ImportResult => ({
      ok: false,
      error: (err as Error).message,
      fileName: basename(path),
    }));
    if (!result.ok && copy) rmSync(path, { force: true });
    return copy ? { ...result, fileName: copy.fileName } : result;
  }

  private async openFile(path: string, owner: object | undefined): Promise<ImportResult> {
    const fileName = basename(path);
    const failed = (error: string): ImportResult => ({ ok: false, error, fileName });
    if (this.files.size >= MAX_OPEN_SESSION_FILES) {
      return failed(`${MAX_OPEN_SESSION_FILES} session files are open already; close one of their tabs first`);
    }
    if (this.next >= SESSION_FILE_ID_END) return failed('no more session files can be opened; restart the app');
    // A second DuckDB instance on a file this process has open would share (and on close drop) its lock.
    const history = this.historyPath();
    if (history !== null && sameFile(path, history)) {
      return failed('this is the session history file itself: its sessions are in the sessions list');
    }
    if ([...this.files.values()].some((f) => sameFile(path, f.path))) {
      return failed('this session file is open in another tab already');
    }
    let store: HistoryStore;
    try {
      store = await HistoryStore.open(path, FILE_STORE_OPTIONS);
    } catch (err) {
      if (err instanceof HistoryFileError) return failed(err.message.slice(path.length + 2));
      throw err;
    }
    try {
      const sessions = await store.sessions();
      if (sessions.length !== 1) {
        await store.close();
        return failed(
          sessions.length === 0
            ? 'the file holds no recorded session'
            : `the file holds ${sessions.length} sessions (a history file?): export one with Export session, or read it with hopscope report --list`,
        );
      }
      const stored = sessions[0]!;
      const history = new SessionHistory(undefined, { path, store, recording: () => false });
      const calls = storedSessionHandlers(
        () => history,
        () => new Set(),
      );
      const document = await calls.openStoredSession(
        { id: stored.session, samplesPerHop: DEFAULT_SAMPLES_PER_HOP },
        {},
      );
      const id = this.next++;
      this.files.set(id, {
        path,
        removeOnClose: owner !== undefined,
        ...(owner ? { owner } : {}),
        store,
        session: stored.session,
        calls,
      });
      // A recording that stopped without its end (exported while it ran) reads as the history lists it.
      const info: StoredSessionInfo = { ...storedSessionInfo(stored, false), id };
      return { ok: true, document, sourceFormat: SESSION_FILE_FORMAT, fileName, stored: info };
    } catch (err) {
      await store.close().catch(() => undefined);
      return failed(`cannot be read as a session file (${(err as Error).message.split('\n')[0]})`);
    }
  }

  /** A stored-session read of an opened file, asked under the file's own session number. */
  call<K extends FileCall>(name: K, request: Parameters<StoredSessionCalls[K]>[0]): ReturnType<StoredSessionCalls[K]> {
    const file = this.file(request.id);
    const call = file.calls[name] as unknown as (r: object, c: object) => ReturnType<StoredSessionCalls[K]>;
    return call({ ...request, id: file.session }, {});
  }

  /** Export session of an opened file: its session again, to another file. */
  exportTo(id: number, target: string): Promise<{ samples: number }> {
    const file = this.file(id);
    return file.store.exportSession(file.session, target);
  }

  async close(id: number): Promise<void> {
    const file = this.files.get(id);
    if (!file) return;
    this.files.delete(id);
    try {
      await file.store.close();
    } finally {
      if (file.removeOnClose) rmSync(file.path, { force: true });
    }
  }

  /**
   * The page connection `owner` is gone, and with it the tabs of the files it
   * sent; undefined: the files opened with a dialog (a renderer that reloaded).
   */
  async closeOwnedBy(owner: object | undefined): Promise<void> {
    const ids = [...this.files].filter(([, file]) => file.owner === owner).map(([id]) => id);
    await Promise.all(ids.map((id) => this.close(id).catch(() => undefined)));
  }

  async closeAll(): Promise<void> {
    const ids = [...this.files.keys()];
    await Promise.all(ids.map((id) => this.close(id).catch(() => undefined)));
  }

  private file(id: number): OpenedFile {
    const file = this.files.get(id);
    if (!file) throw new StoredSessionError('not-found', `no open session file ${id} (its tab was closed)`);
    return file;
  }
}

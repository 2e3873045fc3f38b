/**
 * The service's calls made aware of opened session files: the stored-session
 * reads of a session-file id are answered by its file (sessionFiles.ts),
 * the rest by the app's history; a session file is neither deleted nor
 * continued from the app. Plus Export session, which writes a stored session
 * (the history's, or an opened file's) to a session file of its own, and
 * the session file dropped on an Electron window.
 */
import { statSync } from 'node:fs';
import { basename, isAbsolute } from 'node:path';
import type { ImportResult } from '@shared/ipc';
import { looksLikeDuckDb, SessionFileExportError } from '../history';
import type { RemoteStoredSessions } from '../remote/remoteStoredSessions';
import type { ServiceHandlers } from './traceService';
import type { SessionFiles } from './sessionFiles';
import { StoredSessionError, type SessionHistory } from './sessionHistory';

type FileRead = 'openStoredSession' | 'getTimeline' | 'getWindowStats' | 'getTimelineMarkers';

/** Whether the file at `path` is a DuckDB database (DUCK at byte 8): opened as a session file, not parsed as text. */
export function isSessionFilePath(path: string): boolean {
  try {
    return looksLikeDuckDb(path);
  } catch {
    // Unreadable: the trace file import says why.
    return false;
  }
}

export function withSessionFiles<H extends Pick<ServiceHandlers, FileRead | 'deleteStoredSession' | 'startSession'>>(
  files: SessionFiles,
  local: H,
): H {
  const reading = <K extends FileRead>(name: K): ServiceHandlers[K] =>
    ((request: Parameters<ServiceHandlers[K]>[0], context: Parameters<ServiceHandlers[K]>[1]) =>
      files.has(request.id)
        ? files.call(name, request as never)
        : (local[name] as (r: typeof request, c: typeof context) => unknown)(request, context)) as ServiceHandlers[K];
  return {
    ...local,
    openStoredSession: reading('openStoredSession'),
    getTimeline: reading('getTimeline'),
    getWindowStats: reading('getWindowStats'),
    getTimelineMarkers: reading('getTimelineMarkers'),
    deleteStoredSession: (request, context) => {
      if (files.has(request.id))
        throw new StoredSessionError('failed', 'a session file is not deleted from the app; close its tab');
      return local.deleteStoredSession(request, context);
    },
    startSession: (request, context) => {
      // A session file is opened read-only: a new trace of its target records into the app's history.
      if (request.continueStoredId !== undefined && files.has(request.continueStoredId)) {
        throw new StoredSessionError(
          'failed',
          'a session file is not continued (it is opened read-only); start a new trace of its target instead',
        );
      }
      return local.startSession(request, context);
    },
  };
}

/**
 * Export session of stored session `id` to `target`: an opened session
 * file's from that file, the app's own from its history, an agent's
 * written by the agent from its history and read from it in chunks.
 */
export async function exportSessionTo(
  files: SessionFiles,
  history: SessionHistory,
  agents: Pick<RemoteStoredSessions, 'has' | 'exportFile'>,
  id: number,
  target: string,
): Promise<{ samples: number }> {
  try {
    if (agents.has(id)) return await agents.exportFile(id, target);
    if (files.has(id)) return await files.exportTo(id, target);
    return await history.exportFile(id, target);
  } catch (err) {
    if (err instanceof SessionFileExportError) throw new StoredSessionError('failed', err.message);
    throw err;
  }
}

/**
 * What is wrong with the path of a dropped file for opening it as a session
 * file, or null: it must be absolute and name an existing regular file
 * whose bytes start as a DuckDB database's.
 */
export function droppedFileProblem(path: string): string | null {
  if (!isAbsolute(path)) return 'not an absolute path';
  try {
    if (!statSync(path).isFile()) return 'not a file (a folder or a device?)';
    if (!looksLikeDuckDb(path)) return 'not a Hopscope session file (not a DuckDB database)';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'no such file';
    return `cannot read it (${code ?? (err as Error).message})`;
  }
  return null;
}

/**
 * A session file dropped on an Electron window, by the path the preload read
 * from the dropped File: checked, then opened read-only as Open opens one. A
 * path that fails the checks is an import failure naming why; nothing opens.
 */
export function openDroppedSessionFile(files: SessionFiles, path: string): Promise<ImportResult> {
  const problem = droppedFileProblem(path);
  if (problem !== null) return Promise.resolve({ ok: false, error: problem, fileName: basename(path) });
  return files.open(path);
}

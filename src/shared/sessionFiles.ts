/**
 * Session files: one stored session exported as a DuckDB file of its own
 * (the history file's schema, that session only), which Hopscope opens
 * again read-only with its full timeline and `hopscope report` reads.
 */
import { z } from 'zod';
import { storedSessionId, storedSessionRequest } from './storedSessions';

/**
 * App-side ids of opened session files: [2^31 - 2^28, 2^31), above any id the
 * app's own history hands out (it counts from 1) and below agents' stored
 * sessions (from 2^31, src/main/remote/remoteStoredIds.ts).
 */
export const SESSION_FILE_ID_BASE = 0x7000_0000;
export const SESSION_FILE_ID_END = 0x8000_0000;

export function isSessionFileId(id: number): boolean {
  return id >= SESSION_FILE_ID_BASE && id < SESSION_FILE_ID_END;
}

/** How an opened session file names its format in the tab's side panel. */
export const SESSION_FILE_FORMAT = 'Hopscope session file';
export const SESSION_FILE_EXTENSION = 'duckdb';

/** Most session files open at once (each is a DuckDB instance with its own memory). */
export const MAX_OPEN_SESSION_FILES = 16;

/** Export session: every sample of stored session `id`, written by main to a file of its own. */
export const exportSessionFileRequest = z.object({ id: storedSessionId, suggestedName: z.string().max(200) }).strict();
export type ExportSessionFileRequest = z.input<typeof exportSessionFileRequest>;

/** The tab of an opened session file closed: its file is closed too. */
export const closeSessionFileRequest = storedSessionRequest;

/** Where the browser harness serves Export session as a download (GET, the page's cookie authenticates). */
export const SESSION_FILE_EXPORT_PATH = '/export/session-file';
/** Where the browser harness takes a session file to open (POST of its bytes, `name` in the query). */
export const SESSION_FILE_UPLOAD_PATH = '/open/session-file';
/** Largest session file the harness takes as an upload (a day of 30 hops is about 12 MB). */
export const MAX_SESSION_FILE_BYTES = 2 ** 30;

/** DuckDB files carry "DUCK" at byte 8: how Open tells a session file from a text trace. */
export function hasDuckDbMagic(header: Uint8Array): boolean {
  return header.length >= 12 && String.fromCharCode(...header.subarray(8, 12)) === 'DUCK';
}

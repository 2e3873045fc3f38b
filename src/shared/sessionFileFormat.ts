/**
 * What the app knows of session files without any schema (zod-free, so the
 * first screen may import it): their app ids, format name and extension, how
 * their bytes are recognised, and where the browser harness moves them.
 * The calls' request schemas are in sessionFiles.ts.
 */

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

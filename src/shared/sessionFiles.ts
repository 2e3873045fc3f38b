/**
 * Session files: one stored session exported as a DuckDB file of its own
 * (the history file's schema, that session only), which Hopscope opens
 * again read-only with its full timeline and `hopscope report` reads. The
 * calls' request schemas; ids, names and limits are in sessionFileFormat.ts.
 */
import { z } from 'zod';
import { storedSessionId, storedSessionRequest } from './storedSessions';

/** Export session: every sample of stored session `id`, written by main to a file of its own. */
export const exportSessionFileRequest = z.object({ id: storedSessionId, suggestedName: z.string().max(200) }).strict();
export type ExportSessionFileRequest = z.input<typeof exportSessionFileRequest>;

/** The tab of an opened session file closed: its file is closed too. */
export const closeSessionFileRequest = storedSessionRequest;

/**
 * An absolute path as Electron names a dropped file: POSIX "/…", or Windows
 * "C:\…" or "\\server\share\…". Main checks it again with node:path.
 */
const ABSOLUTE_PATH = /^(?:\/|[A-Za-z]:[\\/]|\\\\[^\\])/;

/**
 * A session file dropped on an Electron window: the path the preload read
 * from the dropped File (webUtils.getPathForFile), never one the page names.
 */
export const openDroppedSessionFileRequest = z
  .object({
    path: z
      .string()
      .min(1, { error: 'the dropped file has no path on this computer' })
      .max(4096)
      .regex(ABSOLUTE_PATH, { error: 'not an absolute path' })
      .refine((path) => !path.includes('\0'), { error: 'the path holds a NUL character' }),
  })
  .strict();
export type OpenDroppedSessionFileRequest = z.input<typeof openDroppedSessionFileRequest>;

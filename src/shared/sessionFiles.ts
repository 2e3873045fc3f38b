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

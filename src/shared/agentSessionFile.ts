/**
 * Export session of an agent's stored session: the agent writes the session
 * file from its own history (the same export the app runs) and the app
 * reads it back in chunks, each far below the 16 MB an agent message may
 * be. Two read-only view calls, agent-view only (not the app's IPC): one
 * writes the file into the agent's temporary folder and names it by a
 * random token, the other reads a chunk of it. The agent removes the file
 * when its last chunk is read, on a failure, after a quiet while, and when
 * the connection ends. The app checks every answer against these schemas.
 */
import { z } from 'zod';
import { storedSessionId } from './storedSessions';

export const AGENT_SESSION_FILE_CALLS = ['prepareSessionFile', 'readSessionFile'] as const;
export type AgentSessionFileCall = (typeof AGENT_SESSION_FILE_CALLS)[number];

/** Most bytes one chunk carries: 4 MiB, about 5.6 MB of base64, well inside one agent message. */
export const MAX_SESSION_FILE_CHUNK_BYTES = 4 * 1024 * 1024;
/** Largest session file taken from an agent (a 24 h session of 30 hops is about 13 MB). */
export const MAX_AGENT_SESSION_FILE_BYTES = 4 * 1024 * 1024 * 1024;
/** Session files an agent keeps ready for one connection at once. */
export const MAX_SESSION_FILES_PER_VIEWER = 2;

const transferToken = z.string().regex(/^[0-9a-f]{32}$/, { error: 'not a session file token' });
const fileBytes = z.number().int().min(0).max(MAX_AGENT_SESSION_FILE_BYTES);

export const prepareSessionFileRequest = z.object({ id: storedSessionId }).strict();
export const prepareSessionFileAnswer = z
  .object({ token: transferToken, total: fileBytes, samples: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) })
  .strict();
export type PrepareSessionFileAnswer = z.infer<typeof prepareSessionFileAnswer>;

export const readSessionFileRequest = z
  .object({
    token: transferToken,
    offset: fileBytes,
    length: z.number().int().min(1).max(MAX_SESSION_FILE_CHUNK_BYTES),
  })
  .strict();
export type ReadSessionFileRequest = z.infer<typeof readSessionFileRequest>;

export const readSessionFileAnswer = z
  .object({
    bytes: z
      .string()
      .max(Math.ceil(MAX_SESSION_FILE_CHUNK_BYTES / 3) * 4)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: 'not base64' }),
    offset: fileBytes,
    total: fileBytes,
    done: z.boolean(),
  })
  .strict();
export type ReadSessionFileAnswer = z.infer<typeof readSessionFileAnswer>;

/** An agent-only call as the view receives it: `{t:'invoke', id, name, payload}`. */
export const agentSessionFileInvoke = z
  .object({
    t: z.literal('invoke'),
    id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    name: z.enum(AGENT_SESSION_FILE_CALLS),
    payload: z.unknown(),
  })
  .strict();

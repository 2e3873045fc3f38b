/**
 * The app's half of Export session for an agent's stored session
 * (src/shared/agentSessionFile.ts): asks the agent to write the session
 * file, reads it chunk by chunk into a temporary name beside the target,
 * checks that the chunks follow one another to the announced size and that
 * the result is a DuckDB file, then renames it into place. The agent is an
 * untrusted peer: every answer passes its schema, and an answer that does
 * not continue the file where it stopped ends the export with the reason.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import {
  MAX_SESSION_FILE_CHUNK_BYTES,
  prepareSessionFileAnswer,
  readSessionFileAnswer,
} from '@shared/agentSessionFile';
import type { AgentLink } from './agentLink';
import { looksLikeDuckDb, partialPathOf } from '../history';

/** The agent's answers do not make one session file. */
export class SessionFileDownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionFileDownloadError';
  }
}

/**
 * Writes the agent's stored session `remoteId` (its own id) to a session
 * file at `target` and returns how many samples it holds. `chunkBytes`: at
 * most this many bytes an answer (a test asks for many small chunks).
 */
export async function downloadSessionFile(
  link: Pick<AgentLink, 'call'>,
  remoteId: number,
  target: string,
  chunkBytes = MAX_SESSION_FILE_CHUNK_BYTES,
): Promise<{ samples: number }> {
  if (!(Number.isInteger(chunkBytes) && chunkBytes >= 1 && chunkBytes <= MAX_SESSION_FILE_CHUNK_BYTES)) {
    throw new RangeError(`a chunk is 1 to ${MAX_SESSION_FILE_CHUNK_BYTES} bytes`);
  }
  const prepared = await link.call('prepareSessionFile', { id: remoteId }, prepareSessionFileAnswer);
  const partial = partialPathOf(target);
  const fd = openSync(partial, 'w');
  let closed = false;
  try {
    let offset = 0;
    for (;;) {
      const chunk = await link.call(
        'readSessionFile',
        { token: prepared.token, offset, length: chunkBytes },
        readSessionFileAnswer,
      );
      const bytes = Buffer.from(chunk.bytes, 'base64');
      if (chunk.offset !== offset || chunk.total !== prepared.total) {
        throw new SessionFileDownloadError(
          `the agent sent bytes ${chunk.offset} of ${chunk.total} when ${offset} of ${prepared.total} were asked for`,
        );
      }
      if (bytes.length > chunkBytes || offset + bytes.length > prepared.total) {
        throw new SessionFileDownloadError('the agent sent more bytes than asked for');
      }
      if (bytes.length === 0 && !chunk.done) throw new SessionFileDownloadError('the agent sent an empty chunk');
      writeSync(fd, bytes, 0, bytes.length, offset);
      offset += bytes.length;
      if (chunk.done && offset !== prepared.total) {
        throw new SessionFileDownloadError(
          `the agent's file ended at ${offset} bytes, not at the ${prepared.total} it announced`,
        );
      }
      if (!chunk.done && offset === prepared.total) {
        throw new SessionFileDownloadError(`the agent's file went on past the ${prepared.total} bytes it announced`);
      }
      if (chunk.done) break;
    }
    closeSync(fd);
    closed = true;
    if (!looksLikeDuckDb(partial))
      throw new SessionFileDownloadError('the agent sent a file that is not a DuckDB database');
    renameSync(partial, target);
    return { samples: prepared.samples };
  } catch (err) {
    if (!closed) closeSync(fd);
    rmSync(partial, { force: true });
    throw err;
  }
}

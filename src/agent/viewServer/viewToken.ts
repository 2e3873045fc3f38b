/**
 * The view's token lives in a file only its owner can read: the operator
 * copies it to whoever may watch, and the agent never prints it. A missing
 * file is created with a fresh token (mode 0600); an existing one must not
 * be readable by group or others, and must hold a usable token.
 */
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { newToken } from '../../harness/auth';
import { viewTokenSchema } from '@shared/remoteAgent';
import { describeSchemaProblem, firstSchemaProblem } from '@shared/schemaProblem';

export class ViewTokenError extends Error {}

export async function readOrCreateViewToken(file: string): Promise<{ token: string; created: boolean }> {
  try {
    const handle = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    const token = newToken();
    try {
      await handle.writeFile(`${token}\n`);
    } finally {
      await handle.close();
    }
    return { token, created: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new ViewTokenError(`cannot create ${file}: ${(err as Error).message}`);
    }
  }
  const info = await stat(file);
  if (!info.isFile()) throw new ViewTokenError(`${file} is not a regular file`);
  if ((info.mode & 0o077) !== 0) {
    throw new ViewTokenError(
      `${file} can be read by others (mode ${(info.mode & 0o777).toString(8)}): chmod 600 it or let the agent create it`,
    );
  }
  const handle = await open(file, 'r');
  let text: string;
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(1024), 0, 1024, 0);
    text = buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
  const parsed = viewTokenSchema.safeParse(text.split('\n')[0] ?? '');
  if (!parsed.success) {
    throw new ViewTokenError(`${file}: ${describeSchemaProblem(firstSchemaProblem(parsed.error))}`);
  }
  return { token: parsed.data, created: false };
}

/**
 * Export session: one stored session as a DuckDB file of its own, in the
 * history file's schema: every sample, segment, event (markers, owners),
 * hostname and minute of the roll-up of that session, and the responders
 * and result codes they name. Hopscope opens it again as a stored session
 * and `hopscope report` reads it like any history file.
 *
 * The copy is SQL inside the store's own connection (ATTACH the new file,
 * INSERT … SELECT per table), run in turn with the writer's flushes, so a
 * 24 h session goes from file to file without passing through JavaScript.
 * It is written under a temporary name and renamed when complete: a failed
 * export leaves no half file behind, and never touches the history file.
 */
import { realpathSync, renameSync, rmSync } from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { HISTORY_FORMAT, HISTORY_FORMAT_VERSION, SCHEMA } from './historyDatabase';

/** The catalog name the new file is attached under while it is written. */
const EXPORT_CATALOG = 'hopscope_session_export';

/** Tables whose rows belong to one session (its `session` column). */
const SESSION_TABLES = [
  'sessions',
  'segments',
  'samples',
  'events',
  'hostnames',
  'minute_stats',
  'minute_rtt_hist',
] as const;

/**
 * Samples hop by hop: runs of one TTL, one responder and consecutive rounds
 * compress far better than the recording's round-by-round order (a 24 h
 * session of 30 hops: 12.5 MB instead of 17.8), and a hop's timeline reads
 * fewer blocks; a short focus window prunes fewer blocks by time, a few
 * milliseconds (bench/sessionFileBench.ts). DuckDB sorts within its memory
 * limit, spilling to disk.
 */
const ORDER: Partial<Record<(typeof SESSION_TABLES)[number], string>> = { samples: 'ORDER BY ttl, round' };

/** The export would overwrite the history file itself, or could not be written. */
export class SessionFileExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionFileExportError';
  }
}

const sqlText = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** The path as the file system names it (its folder's real path when the file does not exist yet). */
function canonical(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    try {
      return join(realpathSync(dirname(absolute)), basename(absolute));
    } catch {
      return absolute;
    }
  }
}

/** Whether two paths name the same file (or `a` is `b`'s write-ahead log). */
export function sameFile(a: string, b: string): boolean {
  const [first, second] = [canonical(a), canonical(b)];
  return first === second || first === `${second}.wal`;
}

/** Refuses a target that is the history file being read (or its write-ahead log). */
export function checkExportTarget(target: string, historyPath: string): void {
  if (sameFile(target, historyPath)) {
    throw new SessionFileExportError(`${target} is the history file itself; export the session to another file`);
  }
}

/** Where a session file is written before it is complete: hidden beside the target, renamed onto it at the end. */
export function partialPathOf(target: string): string {
  return join(dirname(resolve(target)), `.${basename(target)}.${process.pid}.part`);
}

function removePartial(path: string): void {
  for (const file of [path, `${path}.wal`]) rmSync(file, { force: true });
}

/**
 * Writes stored session `session` of the database on `connection` to a new
 * DuckDB file at `target` (replacing one there) and returns how many samples
 * it holds. The caller runs it alone on the connection (HistoryWriter.exclusive).
 */
export async function exportSessionFile(
  connection: DuckDBConnection,
  session: number,
  target: string,
  historyPath: string,
): Promise<{ samples: number }> {
  checkExportTarget(target, historyPath);
  const partial = partialPathOf(target);
  removePartial(partial);
  // READ_WRITE: a read-only store (an opened session file) attaches read-only by default.
  await connection.run(`ATTACH ${sqlText(partial)} AS ${EXPORT_CATALOG} (READ_WRITE)`);
  let attached = true;
  try {
    for (const statement of SCHEMA)
      await connection.run(statement.replace(/^CREATE TABLE (\w+)/, `CREATE TABLE ${EXPORT_CATALOG}.$1`));
    await connection.run(
      `INSERT INTO ${EXPORT_CATALOG}.hopscope_meta VALUES ('format', '${HISTORY_FORMAT}'), ('version', '${HISTORY_FORMAT_VERSION}')`,
    );
    await connection.run(`INSERT INTO ${EXPORT_CATALOG}.result_kinds SELECT code, name FROM result_kinds`);
    for (const table of SESSION_TABLES) {
      // BY NAME: a history file upgraded from version 1 has its columns in another order than a new one.
      await connection.run(
        `INSERT INTO ${EXPORT_CATALOG}.${table} BY NAME SELECT * FROM ${table} WHERE session = $1 ${ORDER[table] ?? ''}`,
        [session],
      );
    }
    await connection.run(
      `INSERT INTO ${EXPORT_CATALOG}.responders SELECT id, address FROM responders
         WHERE id IN (SELECT DISTINCT responder FROM samples WHERE session = $1 AND responder IS NOT NULL)`,
      [session],
    );
    const counted = await connection.runAndReadAll(`SELECT count(*)::BIGINT AS n FROM ${EXPORT_CATALOG}.samples`);
    const samples = Number(counted.getRowObjectsJS()[0]?.['n'] ?? 0);
    // Everything into the file itself, no write-ahead log beside it: the file is all there is to hand on.
    await connection.run(`CHECKPOINT ${EXPORT_CATALOG}`);
    await connection.run(`DETACH ${EXPORT_CATALOG}`);
    attached = false;
    renameSync(partial, target);
    return { samples };
  } catch (err) {
    if (attached) await connection.run(`DETACH ${EXPORT_CATALOG}`).catch(() => undefined);
    removePartial(partial);
    throw err;
  }
}

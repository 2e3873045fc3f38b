/**
 * Opening a history file: DuckDB with bounded memory and threads, the schema,
 * and the checks that turn a foreign or damaged file into an error that says
 * what is wrong. Read-only opens never create, migrate or write anything.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { PROBE_RESULT_KINDS, type ProbeResultKind } from '@shared/probe';
import { hasDuckDbMagic } from '@shared/sessionFileFormat';
import {
  MINUTE_RTT_HIST_TABLE,
  MINUTE_STATS_TABLE,
  MINUTE_STATS_V2_COLUMNS,
  minuteAggregateSql,
  resultCodeLists,
} from './minuteStats';
import { text } from './columnValues';

export const HISTORY_FORMAT = 'hopscope.history';
/** 2: minute_stats gained the newest RTT/MPLS and the jitter sums (a version-1 file is upgraded when opened to write). */
export const HISTORY_FORMAT_VERSION = 2;

/**
 * DuckDB's defaults take most of the machine's memory and every core; a recorder needs little of either.
 * 32 MB sits below what DuckDB would cache of a 24 h file (about 40 MB: rows not yet checkpointed plus
 * the blocks whole-session queries have read), so it evicts instead of growing with the session; a
 * query or write that needs more spills to `<file>.tmp`, which DuckDB removes on close.
 */
export const DEFAULT_MEMORY_LIMIT = '32MB';
export const DEFAULT_THREADS = 2;
/**
 * DuckDB allocates through its own jemalloc, which purges freed pages only while the arena that freed them
 * stays busy. The queries run on Node's worker threads, which go idle between calls, so whatever the
 * largest query freed (more, the longer the session) stayed resident: RSS grew by 20-40 MB over a 24 h
 * session (bench/historyBench.ts). A background thread purges every arena a second after the pages were
 * freed, whether or not its thread comes back. The flush threshold is also the slack DuckDB's idle worker
 * leaves when it trims the system allocator (malloc_trim): 4 MB, not 128.
 */
const ALLOCATOR_SETTINGS = { allocator_background_threads: 'true', allocator_flush_threshold: '4MB' } as const;
/**
 * The one-off version-1 upgrade recomputes the roll-up with window functions over every sample, which
 * DuckDB cannot spill: a 24 h file needs more than 64 MB for it (the limit before the cap above was 128 MB).
 */
const UPGRADE_MEMORY_LIMIT = '128MB';

export interface OpenDatabaseOptions {
  readOnly?: boolean;
  /** DuckDB `memory_limit`, e.g. '128MB'. */
  memoryLimit?: string;
  threads?: number;
}

/**
 * DuckDB ran out of the memory it may use (`memory_limit`) for a query it cannot spill: the same query
 * over less data (a shorter window) may fit.
 */
export function isOutOfMemory(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('Out of Memory Error');
}

/** The file is not a history file, is damaged, is newer than this program, or is locked. */
export class HistoryFileError extends Error {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'HistoryFileError';
  }
}

export interface OpenDatabase {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  /** Code stored in `samples.result` for each result kind (the file carries its own table). */
  resultCodes: ReadonlyMap<ProbeResultKind, number>;
  resultKinds: ReadonlyMap<number, ProbeResultKind>;
  /** Responder address → id in `responders`; the writer adds to it. Bounded by the addresses the network has. */
  responderIds: Map<string, number>;
  /**
   * False for a version-1 file opened read-only: its minute roll-up lacks the
   * columns long windows need, so every window reads the samples.
   */
  minuteRollup: boolean;
}

/*
 * Segments have their own table from version 1 on: every sample names its
 * segment and each segment its options, so "a new segment per options change"
 * needs no migration. Times are milliseconds since the Unix epoch; RTTs are
 * integer microseconds, which is all mtr-packet measures. (`at` is reserved in
 * DuckDB's SQL, hence `noted_at`.)
 */
export const SCHEMA = [
  `CREATE TABLE hopscope_meta (key VARCHAR NOT NULL, value VARCHAR NOT NULL)`,
  `CREATE TABLE result_kinds (code UTINYINT NOT NULL, name VARCHAR NOT NULL)`,
  `CREATE TABLE sessions (
     session UINTEGER NOT NULL, uid VARCHAR NOT NULL, started_at BIGINT NOT NULL, last_at BIGINT NOT NULL,
     ended_at BIGINT, target VARCHAR NOT NULL, target_address VARCHAR, ip_version UTINYINT,
     mtr_packet_version VARCHAR, state VARCHAR NOT NULL, rounds UINTEGER NOT NULL, destination_ttl UTINYINT,
     options VARCHAR NOT NULL)`,
  `CREATE TABLE segments (
     session UINTEGER NOT NULL, segment USMALLINT NOT NULL, started_at BIGINT NOT NULL,
     first_round UINTEGER NOT NULL, reason VARCHAR NOT NULL, options VARCHAR NOT NULL)`,
  `CREATE TABLE samples (
     session UINTEGER NOT NULL, segment USMALLINT NOT NULL, round UINTEGER NOT NULL, ttl UTINYINT NOT NULL,
     sent_at BIGINT NOT NULL, result UTINYINT NOT NULL, responder UINTEGER, rtt_us INTEGER, mpls VARCHAR)`,
  // Addresses once per file: samples group and compress far better on a small integer than on text.
  `CREATE TABLE responders (id UINTEGER NOT NULL, address VARCHAR NOT NULL)`,
  `CREATE TABLE events (
     session UINTEGER NOT NULL, noted_at BIGINT NOT NULL, kind VARCHAR NOT NULL, ttl UTINYINT, detail VARCHAR)`,
  `CREATE TABLE hostnames (session UINTEGER NOT NULL, noted_at BIGINT NOT NULL, address VARCHAR NOT NULL, hostname VARCHAR)`,
  MINUTE_STATS_TABLE,
  MINUTE_RTT_HIST_TABLE,
];

export const REQUIRED_TABLES = [
  'hopscope_meta',
  'result_kinds',
  'sessions',
  'segments',
  'samples',
  'responders',
  'events',
  'hostnames',
  'minute_stats',
  'minute_rtt_hist',
];

function describeOpenFailure(message: string): string {
  if (/not a valid DuckDB database file/i.test(message)) return 'not a Hopscope history file (not a DuckDB database)';
  if (/could not set lock|conflicting lock/i.test(message))
    return 'the file is in use by another process (a recording still running?)';
  if (/database does not exist/i.test(message)) return 'no such file';
  if (/could not read enough bytes|checksum|corrupt/i.test(message))
    return `damaged or truncated: cannot be read as a history file (${message.split('\n')[0]})`;
  return `cannot be read as a history file (${message.split('\n')[0]})`;
}

async function createSchema(connection: DuckDBConnection): Promise<void> {
  await connection.run('BEGIN');
  for (const statement of SCHEMA) await connection.run(statement);
  await connection.run(
    `INSERT INTO hopscope_meta VALUES ('format', '${HISTORY_FORMAT}'), ('version', '${HISTORY_FORMAT_VERSION}')`,
  );
  await connection.run('COMMIT');
}

async function tableNames(connection: DuckDBConnection): Promise<Set<string>> {
  const rows = (await connection.runAndReadAll(`SELECT table_name FROM duckdb_tables()`)).getRowObjectsJS();
  return new Set(rows.map((r) => text(r['table_name'], 'table_name')));
}

/** The file's format version (throws for anything not a readable history file). */
async function checkFormat(path: string, connection: DuckDBConnection): Promise<number> {
  const tables = await tableNames(connection);
  if (!tables.has('hopscope_meta')) {
    throw new HistoryFileError(path, 'not a Hopscope history file (a DuckDB database without hopscope_meta)');
  }
  const meta = new Map(
    (await connection.runAndReadAll('SELECT key, value FROM hopscope_meta')).getRowObjectsJS().map((r) => {
      return [text(r['key'], 'key'), text(r['value'], 'value')] as const;
    }),
  );
  if (meta.get('format') !== HISTORY_FORMAT) {
    throw new HistoryFileError(path, `not a Hopscope history file (format is ${JSON.stringify(meta.get('format'))})`);
  }
  const version = Number(meta.get('version'));
  if (!Number.isInteger(version) || version < 1) {
    throw new HistoryFileError(path, `damaged history file (version is ${JSON.stringify(meta.get('version'))})`);
  }
  if (version > HISTORY_FORMAT_VERSION) {
    throw new HistoryFileError(
      path,
      `history format version ${version} is newer than this Hopscope reads (${HISTORY_FORMAT_VERSION}); update Hopscope`,
    );
  }
  const missing = REQUIRED_TABLES.filter((t) => !tables.has(t));
  if (missing.length > 0)
    throw new HistoryFileError(path, `damaged history file (missing table ${missing.join(', ')})`);
  return version;
}

/** Version 1 → 2: the new minute_stats columns, filled by recomputing the roll-up from the samples. */
async function upgradeToV2(
  connection: DuckDBConnection,
  codes: ReadonlyMap<ProbeResultKind, number>,
  memoryLimit: string,
): Promise<void> {
  await connection.run(`SET memory_limit = '${UPGRADE_MEMORY_LIMIT}'`);
  try {
    await recomputeRollup(connection, codes);
  } finally {
    await connection.run(`SET memory_limit = '${memoryLimit}'`);
  }
}

async function recomputeRollup(
  connection: DuckDBConnection,
  codes: ReadonlyMap<ProbeResultKind, number>,
): Promise<void> {
  await connection.run('BEGIN');
  try {
    for (const column of MINUTE_STATS_V2_COLUMNS) await connection.run(`ALTER TABLE minute_stats ADD COLUMN ${column}`);
    await connection.run('DELETE FROM minute_stats');
    await connection.run(`INSERT INTO minute_stats ${minuteAggregateSql(resultCodeLists(codes), 'true')}`);
    await connection.run(`UPDATE hopscope_meta SET value = '2' WHERE key = 'version'`);
    await connection.run('COMMIT');
  } catch (err) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** Result kinds are stored as small codes; the file's own table maps them, and new kinds get new codes. */
async function loadResultCodes(connection: DuckDBConnection, readOnly: boolean): Promise<Map<ProbeResultKind, number>> {
  const rows = (await connection.runAndReadAll('SELECT code, name FROM result_kinds')).getRowObjectsJS();
  const codes = new Map<ProbeResultKind, number>();
  let next = 0;
  for (const row of rows) {
    const code = Number(row['code']);
    codes.set(text(row['name'], 'name') as ProbeResultKind, code);
    next = Math.max(next, code + 1);
  }
  const missing = PROBE_RESULT_KINDS.filter((kind) => !codes.has(kind));
  if (missing.length > 0 && !readOnly) {
    const values = missing.map((kind, i) => `(${next + i}, '${kind}')`).join(', ');
    await connection.run(`INSERT INTO result_kinds VALUES ${values}`);
    missing.forEach((kind, i) => codes.set(kind, next + i));
  }
  return codes;
}

/** Whether the file is a DuckDB database; checking first keeps DuckDB from guessing at other files by their name. */
export function looksLikeDuckDb(path: string): boolean {
  const header = Buffer.alloc(12);
  const fd = openSync(path, 'r');
  try {
    return readSync(fd, header, 0, 12, 0) === 12 && hasDuckDbMagic(header);
  } finally {
    closeSync(fd);
  }
}

/** 'new' when nothing is there yet (or an empty file), else 'existing'; throws for what is not a DuckDB file. */
function inspectFile(path: string, readOnly: boolean): 'new' | 'existing' {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new HistoryFileError(path, 'not a file');
    size = stat.size;
  } catch (err) {
    if (err instanceof HistoryFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR')
      throw new HistoryFileError(path, `no such file: a part of ${dirname(path)} is not a folder`);
    if (code !== 'ENOENT') throw new HistoryFileError(path, String(err));
    if (readOnly) throw new HistoryFileError(path, 'no such file');
    // Said here, not as DuckDB's "Cannot open file": a recording asked for a new file, not to read one.
    if (!existsSync(dirname(path)))
      throw new HistoryFileError(path, `cannot be created: the folder ${dirname(path)} does not exist`);
    return 'new';
  }
  if (size === 0) {
    if (readOnly) throw new HistoryFileError(path, 'empty file, not a Hopscope history file');
    return 'new';
  }
  if (!looksLikeDuckDb(path)) throw new HistoryFileError(path, 'not a Hopscope history file (not a DuckDB database)');
  return 'existing';
}

export async function openDatabase(path: string, options: OpenDatabaseOptions = {}): Promise<OpenDatabase> {
  const readOnly = options.readOnly ?? false;
  const memoryLimit = options.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
  const isNew = inspectFile(path, readOnly) === 'new';
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, {
      access_mode: readOnly ? 'READ_ONLY' : 'READ_WRITE',
      memory_limit: memoryLimit,
      threads: String(options.threads ?? DEFAULT_THREADS),
      // A reopened recording must not pick up extensions or settings from the environment.
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      ...ALLOCATOR_SETTINGS,
    });
  } catch (err) {
    throw new HistoryFileError(path, describeOpenFailure(err instanceof Error ? err.message : String(err)));
  }
  const connection = await instance.connect();
  try {
    if (isNew) await createSchema(connection);
    const version = isNew ? HISTORY_FORMAT_VERSION : await checkFormat(path, connection);
    const resultCodes = await loadResultCodes(connection, readOnly);
    if (version < 2 && !readOnly) await upgradeToV2(connection, resultCodes, memoryLimit);
    const resultKinds = new Map([...resultCodes].map(([kind, code]) => [code, kind] as const));
    const responders = (await connection.runAndReadAll('SELECT id, address FROM responders')).getRowObjectsJS();
    const responderIds = new Map(responders.map((r) => [text(r['address'], 'address'), Number(r['id'])] as const));
    return { instance, connection, resultCodes, resultKinds, responderIds, minuteRollup: version >= 2 || !readOnly };
  } catch (err) {
    connection.closeSync();
    instance.closeSync();
    if (err instanceof HistoryFileError) throw err;
    throw new HistoryFileError(path, describeOpenFailure(err instanceof Error ? err.message : String(err)));
  }
}

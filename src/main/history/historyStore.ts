/**
 * The session history: one DuckDB file holding every sample of every
 * session, with buffered writes flushed at least every second, retention,
 * and the queries the report, the timeline and the focus window need.
 */
import { statSync } from 'node:fs';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { openDatabase, type OpenDatabase, type OpenDatabaseOptions } from './historyDatabase';
import {
  HistoryWriter,
  type EventRow,
  type HostnameRow,
  type SampleRow,
  type SegmentRow,
  type SessionProgress,
} from './historyWriter';
import {
  HistoryQueries,
  type TimelineBucket,
  type WindowDetail,
  type TimeWindow,
  type WindowStats,
} from './historyQueries';
import { numberOrNull, text, textOrNull } from './columnValues';
import { readTimelineMarkers } from './timelineMarkers';
import type { TimelineMarkerList } from '@shared/storedSessions';
import { readSessionOwners } from './ownerRecords';
import { exportSessionFile } from './sessionFileExport';
import type { ResponderEnrichment } from '@shared/enrichment';

/** Longest a sample waits in memory before it is on disk: a kill -9 loses at most this much. */
export const MAX_FLUSH_INTERVAL_MS = 1000;
export const DEFAULT_RETENTION_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface HistoryStoreOptions extends OpenDatabaseOptions {
  /** How often buffered rows are written (capped at {@link MAX_FLUSH_INTERVAL_MS}). */
  flushIntervalMs?: number;
  /** Called when a background flush fails; the rows stay buffered for the next attempt. */
  onFlushError?: (err: unknown) => void;
  /** Called after each background flush that wrote something, with the number of samples now on disk. */
  onFlushed?: (samples: number) => void;
}

/** A session's row as stored, without the counts that read its samples. */
export type StoredSessionRow = Omit<StoredSession, 'samples' | 'approxBytes'>;

function toSessionRow(r: Record<string, unknown>): StoredSessionRow {
  return {
    session: Number(r['session']),
    uid: text(r['uid'], 'uid'),
    startedAt: Number(r['started_at']),
    lastAt: Number(r['last_at']),
    endedAt: numberOrNull(r['ended_at']),
    target: text(r['target'], 'target'),
    targetAddress: textOrNull(r['target_address'], 'target_address'),
    ipVersion: numberOrNull(r['ip_version']) as 4 | 6 | null,
    mtrPacketVersion: textOrNull(r['mtr_packet_version'], 'mtr_packet_version'),
    state: text(r['state'], 'state'),
    rounds: Number(r['rounds']),
    destinationTtl: numberOrNull(r['destination_ttl']),
    options: JSON.parse(text(r['options'], 'options')) as Record<string, unknown>,
  };
}

export interface StoredSession {
  session: number;
  /** The id the live session had (SessionSummary.id). */
  uid: string;
  startedAt: number;
  /** Time of the newest thing recorded. */
  lastAt: number;
  endedAt: number | null;
  target: string;
  targetAddress: string | null;
  ipVersion: 4 | 6 | null;
  mtrPacketVersion: string | null;
  state: string;
  rounds: number;
  destinationTtl: number | null;
  options: Record<string, unknown>;
  samples: number;
  /** The session's share of the bytes on disk, by samples (DuckDB does not size a subset of a table). */
  approxBytes: number;
}

export interface StoredSegment {
  segment: number;
  startedAt: number;
  firstRound: number;
  reason: string;
  options: Record<string, unknown>;
}

export interface StoredEvent {
  at: number;
  kind: string;
  ttl: number | null;
  detail: string | null;
}

export interface NewSession {
  uid: string;
  startedAt: number;
  target: string;
  options: unknown;
  mtrPacketVersion: string | null;
}

export class HistoryStore {
  private readonly writer: HistoryWriter;
  readonly queries: HistoryQueries;
  private timer: NodeJS.Timeout | undefined;
  private nextSession: number;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly db: OpenDatabase,
    readonly readOnly: boolean,
    nextSession: number,
    options: HistoryStoreOptions,
  ) {
    this.writer = new HistoryWriter(db);
    this.queries = new HistoryQueries(db);
    this.nextSession = nextSession;
    if (!readOnly) {
      const interval = Math.min(MAX_FLUSH_INTERVAL_MS, Math.max(10, options.flushIntervalMs ?? MAX_FLUSH_INTERVAL_MS));
      const onError = options.onFlushError ?? (() => undefined);
      const onFlushed = options.onFlushed ?? (() => undefined);
      this.timer = setInterval(() => {
        this.writer.flush().then((n) => n > 0 && onFlushed(n), onError);
      }, interval);
      this.timer.unref();
    }
  }

  /** Opens (or, unless read-only, creates) a history file. Throws HistoryFileError for a foreign or damaged file. */
  static async open(path: string, options: HistoryStoreOptions = {}): Promise<HistoryStore> {
    const db = await openDatabase(path, options);
    const rows = (await db.connection.runAndReadAll('SELECT coalesce(max(session), 0)::INTEGER AS n FROM sessions'))
      .getRowObjectsJS()
      .map((r) => Number(r['n']));
    return new HistoryStore(path, db, options.readOnly ?? false, (rows[0] ?? 0) + 1, options);
  }

  // --- writing (buffered; flushed by the timer, flush() and close()) ---------

  /** Starts a session and returns its number in this file. */
  beginSession(session: NewSession): number {
    this.assertWritable();
    const id = this.nextSession++;
    this.writer.addSession({ session: id, ...session });
    return id;
  }

  beginSegment(row: SegmentRow): void {
    this.assertWritable();
    this.writer.addSegment(row);
  }

  updateSession(session: number, progress: SessionProgress): void {
    this.assertWritable();
    this.writer.updateSession(session, progress);
  }

  /** A later sample for the same (session, TTL, round) replaces the earlier one. */
  addSample(row: SampleRow): void {
    this.assertWritable();
    this.writer.addSample(row);
  }

  addEvent(row: EventRow): void {
    this.assertWritable();
    this.writer.addEvent(row);
  }

  addHostname(row: HostnameRow): void {
    this.assertWritable();
    this.writer.addHostname(row);
  }

  /** The session will get no more samples: drop its bookkeeping (call after its last batch). */
  endSession(session: number): void {
    this.writer.forgetSession(session);
  }

  get bufferedSamples(): number {
    return this.writer.bufferedSamples;
  }

  async flush(): Promise<void> {
    if (this.readOnly || this.closed) return;
    await this.writer.flush();
  }

  /** Flushes, checkpoints and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    clearInterval(this.timer);
    try {
      if (!this.readOnly) {
        await this.writer.flush();
        this.writer.close();
        await this.read((c) => c.run('CHECKPOINT'));
      }
    } finally {
      this.closed = true;
      this.queries.close();
      this.db.connection.closeSync();
      this.db.instance.closeSync();
    }
  }

  // --- reading ---------------------------------------------------------------

  /**
   * A read alone on the file's one connection, in turn with the flushes: DuckDB runs one statement at a
   * time per connection, and one started while another is pending closes it ("closed pending query
   * result"), which failed flushes half-way under load.
   */
  private read<T>(query: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.writer.exclusive(() => query(this.db.connection));
  }

  private async rowsOf(sql: string, values?: DuckDBValue[]): Promise<Record<string, unknown>[]> {
    return (await this.read((c) => c.runAndReadAll(sql, values))).getRowObjectsJS();
  }

  async sessions(): Promise<StoredSession[]> {
    const size = this.bytesOnDisk();
    const rows = await this.rowsOf(`
        SELECT s.*, coalesce(c.n, 0)::BIGINT AS n, sum(coalesce(c.n, 0)) OVER ()::BIGINT AS total
        FROM sessions s LEFT JOIN (SELECT session, count(*) AS n FROM samples GROUP BY session) c USING (session)
        ORDER BY s.session`);
    return rows.map((r) => {
      const samples = Number(r['n']);
      const total = Number(r['total']);
      return { ...toSessionRow(r), samples, approxBytes: total > 0 ? Math.round((size * samples) / total) : 0 };
    });
  }

  /** One session's row, without counting its samples (cheap whatever its length); null when absent. */
  async session(session: number): Promise<StoredSessionRow | null> {
    const rows = await this.rowsOf('SELECT * FROM sessions WHERE session = $1', [session]);
    return rows[0] ? toSessionRow(rows[0]) : null;
  }

  /** Where a continuation of `session` starts: its next segment index and round number. */
  async continuationOf(session: number): Promise<{ segment: number; round: number }> {
    await this.flush();
    const rows = await this.rowsOf(
      `SELECT (SELECT coalesce(max(segment) + 1, 0) FROM segments WHERE session = $1)::INTEGER AS segment,
           greatest((SELECT coalesce(max(round) + 1, 0) FROM samples WHERE session = $1),
             (SELECT rounds FROM sessions WHERE session = $1))::BIGINT AS round`,
      [session],
    );
    return { segment: Number(rows[0]?.['segment'] ?? 0), round: Number(rows[0]?.['round'] ?? 0) };
  }

  /** What DuckDB holds in memory (its buffer pool: table blocks, rows not yet checkpointed, query state), in bytes. */
  async engineMemoryBytes(): Promise<number> {
    const rows = await this.rowsOf('SELECT sum(memory_usage_bytes)::DOUBLE AS n FROM duckdb_memory()');
    return Number(rows[0]?.['n'] ?? 0);
  }

  /** The file and its write-ahead log (which holds the newest rows until DuckDB checkpoints). */
  bytesOnDisk(): number {
    const size = (file: string) => {
      try {
        return statSync(file).size;
      } catch {
        return 0;
      }
    };
    return size(this.path) + size(`${this.path}.wal`);
  }

  async segments(session: number): Promise<StoredSegment[]> {
    const rows = await this.rowsOf(`SELECT * FROM segments WHERE session = $1 ORDER BY segment, started_at`, [session]);
    return rows.map((r) => ({
      segment: Number(r['segment']),
      startedAt: Number(r['started_at']),
      firstRound: Number(r['first_round']),
      reason: text(r['reason'], 'reason'),
      options: JSON.parse(text(r['options'], 'options')) as Record<string, unknown>,
    }));
  }

  async events(session: number, window: TimeWindow = {}): Promise<StoredEvent[]> {
    const range = [`session = ${Math.trunc(session)}`];
    if (window.from !== undefined) range.push(`noted_at >= ${Math.ceil(window.from)}`);
    if (window.to !== undefined) range.push(`noted_at < ${Math.ceil(window.to)}`);
    const rows = await this.rowsOf(
      `SELECT noted_at::DOUBLE AS noted_at, kind, ttl::INTEGER AS ttl, detail FROM events
         WHERE ${range.join(' AND ')} ORDER BY noted_at`,
    );
    return rows.map((r) => ({
      at: Number(r['noted_at']),
      kind: text(r['kind'], 'kind'),
      ttl: numberOrNull(r['ttl']),
      detail: textOrNull(r['detail'], 'detail'),
    }));
  }

  /** The newest reverse-DNS answer per address (null: looked up, no name). */
  async hostnames(session: number): Promise<Map<string, string | null>> {
    const rows = await this.rowsOf(
      `SELECT address, arg_max(hostname, noted_at) AS hostname FROM hostnames WHERE session = $1 GROUP BY address`,
      [session],
    );
    return new Map(rows.map((r) => [text(r['address'], 'address'), textOrNull(r['hostname'], 'hostname')]));
  }

  /** The newest owner (AS, country) recorded per address; records that do not parse are skipped. */
  owners(session: number): Promise<Map<string, ResponderEnrichment>> {
    return this.read((c) => readSessionOwners(c, session));
  }

  windowStats(session: number, window: TimeWindow = {}, detail: WindowDetail = {}): Promise<WindowStats> {
    return this.read(() => this.queries.windowStats(session, window, detail));
  }

  timeline(session: number, ttl: number, from: number, to: number, buckets: number): Promise<TimelineBucket[]> {
    return this.read(() => this.queries.timeline(session, ttl, from, to, buckets));
  }

  samples(session: number, window: TimeWindow = {}): Promise<SampleRow[]> {
    return this.read(() => this.queries.samples(session, window));
  }

  /** Restarts, segment changes, errors and path changes in [from, to), oldest first, at most `cap`. */
  timelineMarkers(session: number, from: number, to: number, cap: number): Promise<TimelineMarkerList> {
    return this.read((c) => readTimelineMarkers(c, session, from, to, cap));
  }

  /** Writes session `session` (all recorded so far) to a history file of its own at `target`. */
  async exportSession(session: number, target: string): Promise<{ samples: number }> {
    await this.flush();
    return this.read((c) => exportSessionFile(c, session, target, this.path));
  }

  // --- bounds ----------------------------------------------------------------

  async deleteSession(session: number): Promise<void> {
    await this.deleteWhere(`session = ${Math.trunc(session)}`);
  }

  /** Deletes sessions whose newest record is older than `keepDays`; returns how many went. */
  async applyRetention(keepDays = DEFAULT_RETENTION_DAYS, now = Date.now()): Promise<number> {
    this.assertWritable();
    if (!(keepDays > 0)) throw new RangeError('retention must be more than 0 days');
    await this.flush();
    const cutoff = Math.floor(now - keepDays * DAY_MS);
    const old = await this.rowsOf(`SELECT session FROM sessions WHERE last_at < ${cutoff}`);
    if (old.length === 0) return 0;
    await this.deleteWhere(`session IN (SELECT session FROM sessions WHERE last_at < ${cutoff})`);
    return old.length;
  }

  private async deleteWhere(condition: string): Promise<void> {
    this.assertWritable();
    await this.flush();
    // No flush may start inside the delete's transaction (see HistoryWriter.exclusive).
    await this.writer.exclusive(() => this.deleteNow(condition));
  }

  private async deleteNow(condition: string): Promise<void> {
    const c = this.db.connection;
    await c.run('BEGIN');
    try {
      // Responders stay: they are shared by sessions and few.
      for (const table of [
        'samples',
        'minute_stats',
        'minute_rtt_hist',
        'events',
        'hostnames',
        'segments',
        'sessions',
      ]) {
        // sessions last: the other deletes may select through it.
        await c.run(`DELETE FROM ${table} WHERE ${condition}`);
      }
      await c.run('COMMIT');
    } catch (err) {
      await c.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
    // Give the space back to later writes (DuckDB reuses freed blocks after a checkpoint).
    await c.run('CHECKPOINT');
  }

  private assertWritable(): void {
    if (this.readOnly) throw new Error('history file is open read-only');
    if (this.closed) throw new Error('history file is closed');
  }
}

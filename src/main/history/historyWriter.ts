/**
 * Buffered writes into a history file. Rows wait in memory for at most one
 * flush interval (≤ 1 s), then go to disk in one transaction, so a killed
 * process loses at most that last interval and memory never grows with the
 * session's length.
 *
 * One rule for late replies, the engine's: the latest sample for a
 * (session, TTL, round) wins. Within the buffer it simply replaces the older
 * row; when the older row is already on disk, the flush deletes it in the same
 * transaction that appends the new one.
 */
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import type { MplsLabel, ProbeResultKind } from '@shared/probe';
import type { OpenDatabase } from './historyDatabase';
import { resultCodeLists } from './minuteStats';
import { MinuteRollup } from './minuteRollup';

export interface SampleRow {
  session: number;
  segment: number;
  ttl: number;
  round: number;
  /** Milliseconds since the Unix epoch when the probe was sent. */
  at: number;
  result: ProbeResultKind;
  address: string | null;
  rttMs: number | null;
  mpls: MplsLabel[] | null;
}

export interface SessionRow {
  session: number;
  uid: string;
  startedAt: number;
  target: string;
  /** The session's options as first given (JSON-serialisable). */
  options: unknown;
  mtrPacketVersion: string | null;
}

/** Fields of a session that change while it runs. */
export interface SessionProgress {
  /** The live session now recording it (a stored session continued by a new live one). */
  uid?: string;
  lastAt?: number;
  endedAt?: number | null;
  targetAddress?: string | null;
  ipVersion?: number | null;
  state?: string;
  rounds?: number;
  destinationTtl?: number | null;
}

export interface SegmentRow {
  session: number;
  segment: number;
  startedAt: number;
  firstRound: number;
  /** 'start', 'restart', 'options', … */
  reason: string;
  options: unknown;
}

export interface EventRow {
  session: number;
  at: number;
  /** 'restart', 'path-changed', 'destination-reached', 'error', 'state', … */
  kind: string;
  ttl: number | null;
  detail: string | null;
}

export interface HostnameRow {
  session: number;
  at: number;
  address: string;
  hostname: string | null;
}

interface Buffers {
  sessions: SessionRow[];
  progress: Map<number, SessionProgress>;
  segments: SegmentRow[];
  samples: Map<string, SampleRow>;
  /** Keys whose earlier sample may already be on disk. */
  replaced: Map<string, SampleRow>;
  events: EventRow[];
  hostnames: HostnameRow[];
}

const emptyBuffers = (): Buffers => ({
  sessions: [],
  progress: new Map(),
  segments: [],
  samples: new Map(),
  replaced: new Map(),
  events: [],
  hostnames: [],
});

function timesBySession(samples: Map<string, SampleRow>): Map<number, number[]> {
  const times = new Map<number, number[]>();
  for (const s of samples.values()) {
    const list = times.get(s.session);
    if (list) list.push(s.at);
    else times.set(s.session, [s.at]);
  }
  return times;
}

const sampleKey = (s: { session: number; ttl: number; round: number }) => `${s.session}:${s.ttl}:${s.round}`;
const sqlString = (v: string | null) => (v === null ? 'NULL' : `'${v.replace(/'/g, "''")}'`);
const sqlNumber = (v: number | null | undefined) => (v === null || v === undefined ? 'NULL' : String(Math.round(v)));

export class HistoryWriter {
  private buffers = emptyBuffers();
  /** Highest round already on disk per session and TTL: a sample at or below it may replace one there. */
  private readonly flushedRounds = new Map<string, number>();
  private chain: Promise<void> = Promise.resolve();
  private appenders: { samples: DuckDBAppender; events: DuckDBAppender; hostnames: DuckDBAppender } | undefined;

  private readonly rollup: MinuteRollup;

  constructor(private readonly db: OpenDatabase) {
    this.rollup = new MinuteRollup(resultCodeLists(db.resultCodes));
  }

  get bufferedSamples(): number {
    return this.buffers.samples.size;
  }

  addSession(row: SessionRow): void {
    this.buffers.sessions.push(row);
  }

  updateSession(session: number, progress: SessionProgress): void {
    const current = this.buffers.progress.get(session) ?? {};
    this.buffers.progress.set(session, { ...current, ...progress });
  }

  addSegment(row: SegmentRow): void {
    this.buffers.segments.push(row);
  }

  addSample(row: SampleRow): void {
    const key = sampleKey(row);
    const buffered = this.buffers.samples.has(key);
    this.buffers.samples.set(key, row);
    if (buffered) return;
    const flushed = this.flushedRounds.get(`${row.session}:${row.ttl}`);
    if (flushed !== undefined && row.round <= flushed) this.buffers.replaced.set(key, row);
  }

  addEvent(row: EventRow): void {
    this.buffers.events.push(row);
  }

  addHostname(row: HostnameRow): void {
    this.buffers.hostnames.push(row);
  }

  /** Forget per-TTL bookkeeping of a session that will get no more samples. */
  forgetSession(session: number): void {
    this.rollup.forget(session);
    for (const key of this.flushedRounds.keys()) if (key.startsWith(`${session}:`)) this.flushedRounds.delete(key);
  }

  /** Writes everything buffered in one transaction and returns how many samples that was. Flushes never overlap. */
  flush(): Promise<number> {
    return this.exclusive(() => this.flushNow());
  }

  /**
   * Runs `task` alone on the connection: after the flushes already asked
   * for, before any asked for later. Flushes and deletes share one
   * connection, and a flush begun inside another transaction would abort it.
   */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task);
    this.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /**
   * After a failed flush: the rows still buffered in the appenders belong to
   * the rolled-back transaction and go with it. Closing an appender flushes
   * it, which after the ROLLBACK would commit them, and the requeued copies
   * would then be written a second time. The next flush opens new appenders.
   */
  private discardAppenders(): void {
    for (const appender of Object.values(this.appenders ?? {})) {
      try {
        appender.clear();
        appender.closeSync();
      } catch {
        // Nothing of it is wanted; its rows are requeued.
      }
    }
    this.appenders = undefined;
  }

  close(): void {
    this.appenders?.samples.closeSync();
    this.appenders?.events.closeSync();
    this.appenders?.hostnames.closeSync();
    this.appenders = undefined;
  }

  private async flushNow(): Promise<number> {
    const b = this.buffers;
    const empty =
      b.sessions.length + b.progress.size + b.segments.length + b.samples.size + b.events.length + b.hostnames.length;
    if (empty === 0) return 0;
    this.buffers = emptyBuffers();
    // Rounds handed to this flush count as written from now on: a late reply that arrives while it runs
    // must replace its presumed loss, not sit beside it. (If the flush fails, both are requeued and the
    // newer wins in the buffer; deleting a row not yet written deletes nothing.)
    for (const row of b.samples.values()) {
      const key = `${row.session}:${row.ttl}`;
      if ((this.flushedRounds.get(key) ?? -1) < row.round) this.flushedRounds.set(key, row.round);
    }
    const connection = this.db.connection;
    let newResponders: string[] = [];
    let horizons: Map<number, number>;
    try {
      const appenders = await this.openAppenders(connection);
      await connection.run('BEGIN');
      newResponders = this.assignResponderIds(b.samples);
      await this.writeResponders(connection, newResponders);
      await this.writeSessions(connection, b);
      await this.deleteReplaced(connection, b.replaced);
      this.appendSamples(appenders.samples, b.samples);
      this.appendEvents(appenders.events, appenders.hostnames, b);
      appenders.samples.flushSync();
      appenders.events.flushSync();
      appenders.hostnames.flushSync();
      horizons = await this.rollup.update(connection, timesBySession(b.samples));
      await connection.run('COMMIT');
    } catch (err) {
      this.discardAppenders();
      await connection.run('ROLLBACK').catch(() => undefined);
      for (const address of newResponders) this.db.responderIds.delete(address);
      this.requeue(b);
      throw err;
    }
    this.rollup.commit(horizons);
    return b.samples.size;
  }

  private async openAppenders(connection: DuckDBConnection) {
    this.appenders ??= {
      samples: await connection.createAppender('samples'),
      events: await connection.createAppender('events'),
      hostnames: await connection.createAppender('hostnames'),
    };
    return this.appenders;
  }

  /** A failed flush puts its rows back in front of anything buffered since, so nothing collected is dropped. */
  private requeue(failed: Buffers): void {
    const later = this.buffers;
    this.buffers = failed;
    later.sessions.forEach((r) => this.addSession(r));
    for (const [session, p] of later.progress) this.updateSession(session, p);
    later.segments.forEach((r) => this.addSegment(r));
    for (const row of later.samples.values()) this.addSample(row);
    later.events.forEach((r) => this.addEvent(r));
    later.hostnames.forEach((r) => this.addHostname(r));
  }

  private async writeSessions(connection: DuckDBConnection, b: Buffers): Promise<void> {
    for (const s of b.sessions) {
      await connection.run(
        `INSERT INTO sessions (session, uid, started_at, last_at, target, state, rounds, options, mtr_packet_version)
         VALUES ($1, $2, $3, $3, $4, 'resolving', 0, $5, $6)`,
        [s.session, s.uid, BigInt(Math.round(s.startedAt)), s.target, JSON.stringify(s.options), s.mtrPacketVersion],
      );
    }
    for (const s of b.segments) {
      await connection.run(`INSERT INTO segments VALUES ($1, $2, $3, $4, $5, $6)`, [
        s.session,
        s.segment,
        BigInt(Math.round(s.startedAt)),
        s.firstRound,
        s.reason,
        JSON.stringify(s.options),
      ]);
    }
    for (const [session, p] of b.progress) {
      const sets: string[] = [];
      if (p.uid !== undefined) sets.push(`uid = ${sqlString(p.uid)}`);
      if (p.lastAt !== undefined) sets.push(`last_at = greatest(last_at, ${sqlNumber(p.lastAt)})`);
      if (p.endedAt !== undefined) sets.push(`ended_at = ${sqlNumber(p.endedAt)}`);
      if (p.targetAddress !== undefined) sets.push(`target_address = ${sqlString(p.targetAddress)}`);
      if (p.ipVersion !== undefined) sets.push(`ip_version = ${sqlNumber(p.ipVersion)}`);
      if (p.state !== undefined) sets.push(`state = ${sqlString(p.state)}`);
      if (p.rounds !== undefined) sets.push(`rounds = ${sqlNumber(p.rounds)}`);
      if (p.destinationTtl !== undefined) sets.push(`destination_ttl = ${sqlNumber(p.destinationTtl)}`);
      if (sets.length > 0) await connection.run(`UPDATE sessions SET ${sets.join(', ')} WHERE session = ${session}`);
    }
  }

  /** Ids for addresses not seen before in this file; returns them so a failed flush can forget them. */
  private assignResponderIds(samples: Map<string, SampleRow>): string[] {
    const ids = this.db.responderIds;
    const added: string[] = [];
    let next = 1;
    for (const id of ids.values()) next = Math.max(next, id + 1);
    for (const s of samples.values()) {
      if (s.address === null || ids.has(s.address)) continue;
      ids.set(s.address, next++);
      added.push(s.address);
    }
    return added;
  }

  private async writeResponders(connection: DuckDBConnection, added: string[]): Promise<void> {
    for (const address of added) {
      await connection.run('INSERT INTO responders VALUES ($1, $2)', [this.db.responderIds.get(address) ?? 0, address]);
    }
  }

  private async deleteReplaced(connection: DuckDBConnection, replaced: Map<string, SampleRow>): Promise<void> {
    if (replaced.size === 0) return;
    // Whole numbers we produced ourselves, so inlining them is safe.
    const values = [...replaced.values()].map((r) => `(${r.session}, ${r.ttl}, ${r.round})`).join(', ');
    await connection.run(
      `DELETE FROM samples USING (VALUES ${values}) AS v(session, ttl, round)
       WHERE samples.session = v.session AND samples.ttl = v.ttl AND samples.round = v.round`,
    );
  }

  private appendSamples(appender: DuckDBAppender, samples: Map<string, SampleRow>): void {
    for (const s of samples.values()) {
      const code = this.db.resultCodes.get(s.result) ?? this.db.resultCodes.get('unknown') ?? 0;
      appender.appendUInteger(s.session);
      appender.appendUSmallInt(s.segment);
      appender.appendUInteger(s.round);
      appender.appendUTinyInt(s.ttl);
      appender.appendBigInt(BigInt(Math.round(s.at)));
      appender.appendUTinyInt(code);
      const responder = s.address === null ? undefined : this.db.responderIds.get(s.address);
      if (responder === undefined) appender.appendNull();
      else appender.appendUInteger(responder);
      if (s.rttMs === null) appender.appendNull();
      else appender.appendInteger(Math.round(s.rttMs * 1000));
      if (s.mpls === null || s.mpls.length === 0) appender.appendNull();
      else appender.appendVarchar(JSON.stringify(s.mpls));
      appender.endRow();
    }
  }

  private appendEvents(events: DuckDBAppender, hostnames: DuckDBAppender, b: Buffers): void {
    for (const e of b.events) {
      events.appendUInteger(e.session);
      events.appendBigInt(BigInt(Math.round(e.at)));
      events.appendVarchar(e.kind);
      if (e.ttl === null) events.appendNull();
      else events.appendUTinyInt(e.ttl);
      if (e.detail === null) events.appendNull();
      else events.appendVarchar(e.detail);
      events.endRow();
    }
    for (const h of b.hostnames) {
      hostnames.appendUInteger(h.session);
      hostnames.appendBigInt(BigInt(Math.round(h.at)));
      hostnames.appendVarchar(h.address);
      if (h.hostname === null) hostnames.appendNull();
      else hostnames.appendVarchar(h.hostname);
      hostnames.endRow();
    }
  }
}

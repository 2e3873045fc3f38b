/**
 * Keeping minute_stats / minute_rtt_hist in step with the samples. A minute
 * is rolled up once, in batches of {@link ROLLUP_MINUTES} complete minutes
 * (so not once a second while it fills): every minute before a session's horizon is in the
 * roll-up, every sample from the horizon on is read directly (see
 * `rollupHorizonSql`). A late reply into a minute already rolled up rolls
 * that minute up again. Runs inside the flush's transaction, so the roll-up
 * never disagrees with the samples on disk.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { MINUTE_MS, minuteAggregateSql, minuteHistogramSql, type ResultCodeLists } from './minuteStats';

/**
 * First minute of a session not in the roll-up, as a SQL scalar (0 when
 * nothing is); `session` is its number or a parameter reference (`$session`).
 */
export function rollupHorizonSql(session: number | `$${string}`): string {
  if (typeof session === 'number' && !Number.isSafeInteger(session)) {
    throw new RangeError(`expected a session number, got ${session}`);
  }
  return `(SELECT coalesce(max(minute) + 1, 0)::BIGINT FROM minute_stats WHERE session = ${session})`;
}

/**
 * Complete minutes rolled up in one go. Each roll-up statement runs a window and a hash aggregate, and
 * every block of temporary memory DuckDB gives them leaves an entry in its buffer pool's eviction queue,
 * which DuckDB purges only once a queue holds about 32 000 entries: rolling up every minute filled it over
 * the first 8 h of a session (about 60 entries a minute; RSS +16 MB from 1 h to 24 h, bench:history and
 * heaptrack). Ten minutes at a time issue a tenth of the statements; windows read at most ten minutes
 * of samples past the roll-up, which stays well inside the focus statistics' time.
 */
export const ROLLUP_MINUTES = 10;

export class MinuteRollup {
  /** First minute not rolled up, per session (read from the file the first time a session flushes). */
  private readonly horizons = new Map<number, number>();

  constructor(private readonly codes: ResultCodeLists) {}

  /**
   * Rolls up what the flushed samples (`at` times per session) completed or
   * changed. Returns the new horizons, to `commit` once the transaction did.
   */
  async update(connection: DuckDBConnection, flushed: Map<number, number[]>): Promise<Map<number, number>> {
    const next = new Map<number, number>();
    for (const [session, times] of flushed) {
      const horizon = this.horizons.get(session) ?? (await this.horizonOnDisk(connection, session));
      const minutes = new Set(times.map((at) => Math.floor(Math.round(at) / MINUTE_MS)));
      const newest = Math.max(...minutes);
      // Minutes already rolled up that got a sample (a late reply): again, from all their samples.
      const again = [...minutes].filter((m) => m < horizon);
      if (again.length > 0) {
        const list = again.join(', ');
        await connection.run(`DELETE FROM minute_stats WHERE session = ${session} AND minute IN (${list})`);
        await connection.run(`DELETE FROM minute_rtt_hist WHERE session = ${session} AND minute IN (${list})`);
        await this.insert(connection, `session = ${session} AND sent_at // ${MINUTE_MS} IN (${list})`);
      }
      // Minutes the newest sample has left behind: once each, ROLLUP_MINUTES of them at a time.
      if (newest >= horizon + ROLLUP_MINUTES) {
        await this.insert(
          connection,
          `session = ${session} AND sent_at >= ${horizon * MINUTE_MS} AND sent_at < ${newest * MINUTE_MS}`,
        );
        next.set(session, newest);
      }
    }
    return next;
  }

  commit(horizons: Map<number, number>): void {
    for (const [session, horizon] of horizons) this.horizons.set(session, horizon);
  }

  forget(session: number): void {
    this.horizons.delete(session);
  }

  private async insert(connection: DuckDBConnection, where: string): Promise<void> {
    await connection.run(`INSERT INTO minute_stats ${minuteAggregateSql(this.codes, where)}`);
    await connection.run(`INSERT INTO minute_rtt_hist ${minuteHistogramSql(this.codes, where)}`);
  }

  private async horizonOnDisk(connection: DuckDBConnection, session: number): Promise<number> {
    const rows = (await connection.runAndReadAll(`SELECT ${rollupHorizonSql(session)}::BIGINT AS h`)).getRowsJS();
    return Number(rows[0]?.[0] ?? 0);
  }
}

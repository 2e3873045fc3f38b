/**
 * A recording rolls its samples up into minute_stats ten complete minutes at a
 * time, not once a minute: every roll-up statement leaves entries in DuckDB's
 * buffer-pool eviction queue that DuckDB keeps until about 32 000 have piled
 * up, and rolling up every minute made the main process's RSS climb over the
 * first 8 h of a session (issue #10; the measurement is bench/historyBench.ts).
 * The statistics must not change: windows read the minutes not rolled up yet
 * from the samples.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, expect, it, vi } from 'vitest';
import { DuckDBConnection } from '@duckdb/node-api';
import { HistoryStore } from '../../../src/main/history';
import { repliedSample } from '../../fixtures/historyFiles';

const dir = mkdtempSync(join(tmpdir(), 'hopscope-rollup-cadence-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());
const T0 = Date.UTC(2026, 10, 1, 12);
const MINUTES = 25;
const ROUND_MS = 5000;

it('rolls up ten complete minutes at a time, and windows still count every sample', async () => {
  const store = await HistoryStore.open(join(dir, 'h.duckdb'), { flushIntervalMs: 60_000 });
  const session = store.beginSession({
    uid: 'cadence',
    startedAt: T0,
    target: 'x.test',
    options: { target: 'x.test' },
    mtrPacketVersion: null,
  });
  const run = vi.spyOn(DuckDBConnection.prototype, 'run');
  const rounds = (MINUTES * 60_000) / ROUND_MS;
  // One flush a round, as a recorder does (once a second at most).
  for (let round = 0; round < rounds; round++) {
    store.addSample(repliedSample(session, 1, round, T0 + round * ROUND_MS));
    await store.flush();
  }
  const rollups = run.mock.calls.filter(([sql]) => /INSERT INTO minute_stats/.test(sql)).length;
  // The first flush (anything of the session already on disk: nothing here), then minutes 0-9 once minute 10
  // has a sample and 10-19 once minute 20 has one; 20-24 wait. (Once a minute, as before: 25.)
  expect(rollups).toBe(3);

  const whole = await store.windowStats(session, {}, { jitter: true });
  expect(whole.hops.map((h) => [h.ttl, h.sent, h.received])).toEqual([[1, rounds, rounds]]);
  const lastTwelveMinutes = await store.windowStats(session, { from: T0 + 13 * 60_000, to: T0 + 25 * 60_000 });
  expect(lastTwelveMinutes.hops[0]?.sent).toBe((12 * 60_000) / ROUND_MS);
  await store.close();
});

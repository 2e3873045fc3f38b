/**
 * The version-1 upgrade recomputes the minute roll-up over every sample with
 * window functions DuckDB cannot spill to disk: under the small memory limit
 * a recorder runs with, a long session must still upgrade instead of failing
 * to open.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/main/history';
import { makeVersion1File } from '../../fixtures/historyFiles';

const dir = mkdtempSync(join(tmpdir(), 'hopscope-upgrade-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
/** About 6 h of 30 hops: its roll-up needs far more than the limit below. */
const ROUNDS = 20_000;
const MEMORY_LIMIT = '16MB';

it('upgrades a long version-1 session under a small memory limit', async () => {
  const path = join(dir, 'v1-long.duckdb');
  const store = await HistoryStore.open(path);
  const session = store.beginSession({
    uid: 'v1',
    startedAt: T0,
    target: 'x.test',
    options: {},
    mtrPacketVersion: null,
  });
  store.addSample({
    session,
    segment: 0,
    ttl: 1,
    round: 0,
    at: T0,
    result: 'ttl-expired',
    address: '198.51.100.1',
    rttMs: 1,
    mpls: null,
  });
  await store.close();

  // The bulk of the session straight into the file, then what a version-1 writer left.
  await makeVersion1File(path, (c) =>
    c
      .run(
        `INSERT INTO samples
      SELECT ${session}, 0, (i // 30)::UINTEGER, (1 + i % 30)::UTINYINT, ${T0} + (i // 30) * 1000,
        (SELECT code FROM result_kinds WHERE name = 'ttl-expired'), (SELECT min(id) FROM responders),
        (1000 + (i * 7919) % 50000)::INTEGER, NULL
      FROM range(1, ${ROUNDS * 30}) t(i)`,
      )
      .then(() => undefined),
  );

  const upgraded = await HistoryStore.open(path, { memoryLimit: MEMORY_LIMIT });
  try {
    const { hops, rounds } = await upgraded.windowStats(session, {}, { percentiles: false });
    expect(rounds).toBe(ROUNDS);
    expect(hops.reduce((n, hop) => n + hop.sent, 0)).toBe(ROUNDS * 30);
  } finally {
    await upgraded.close();
  }
});

/**
 * The reads the app makes while a session is recorded (the focus window's
 * statistics, the sessions list, owners, names, segments), asked all the
 * time while the store flushes every 10 ms: DuckDB runs one statement at a
 * time on a connection, and one started while another was pending closed it,
 * failing flushes half-way ("closed pending query result"; the timer's
 * failure turns the history off). Every read and every flush succeeds, and
 * every sample is on disk once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/main/history';
import { repliedSample } from '../../fixtures/historyFiles';

const dir = mkdtempSync(join(tmpdir(), 'hopscope-reads-during-flushes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const T0 = Date.UTC(2026, 10, 1, 12);
const ROUNDS = 3000;
const TTLS = 6;

it('reads while flushes run every 10 ms: no statement fails, every sample is stored once', async () => {
  const problems: string[] = [];
  const store = await HistoryStore.open(join(dir, 'h.duckdb'), {
    flushIntervalMs: 10,
    onFlushError: (err) => problems.push(`background flush: ${String(err)}`),
  });
  const session = store.beginSession({
    uid: 'live',
    startedAt: T0,
    target: 'x.test',
    options: { target: 'x.test' },
    mtrPacketVersion: null,
  });
  const reads: (() => Promise<unknown>)[] = [
    () => store.windowStats(session, { from: T0, to: T0 + ROUNDS * 5 }, { jitter: true }),
    () => store.session(session),
    () => store.owners(session),
    () => store.flush(),
    () => store.hostnames(session),
    () => store.segments(session),
  ];
  let recording = true;
  const readers = [...reads, ...reads].map(async (read, i) => {
    while (recording) await read().catch((err: unknown) => problems.push(`read ${i}: ${String(err)}`));
  });
  for (let round = 0; round < ROUNDS; round++) {
    for (let ttl = 1; ttl <= TTLS; ttl++) store.addSample(repliedSample(session, ttl, round, T0 + round * 5));
    store.updateSession(session, { lastAt: T0 + round * 5, rounds: round + 1 });
    if (round % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  recording = false;
  await Promise.all(readers);
  await store.flush();

  expect(problems).toEqual([]);
  const rows = await store.samples(session);
  expect(rows).toHaveLength(ROUNDS * TTLS);
  expect(new Set(rows.map((r) => `${r.ttl}:${r.round}`)).size).toBe(ROUNDS * TTLS);
  await store.close();
});

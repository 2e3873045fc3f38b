/**
 * Deleting while a live session is recorded: the store's background flushes
 * and a delete share one connection, so they must never interleave (a flush
 * starting inside the delete's transaction would fail and roll it back).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/main/history';

const dir = mkdtempSync(join(tmpdir(), 'hopscope-history-concurrency-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const T0 = Date.UTC(2026, 10, 1, 12);

it('deletes sessions while another is written and flushed every 10 ms, losing nothing of it', async () => {
  const flushErrors: unknown[] = [];
  const store = await HistoryStore.open(join(dir, 'h.duckdb'), {
    flushIntervalMs: 10,
    onFlushError: (err) => flushErrors.push(err),
  });
  const begin = (uid: string) =>
    store.beginSession({ uid, startedAt: T0, target: 'x.test', options: { target: 'x.test' }, mtrPacketVersion: null });
  const live = begin('live');
  let round = 0;
  const add = (session: number, r: number) => {
    for (let ttl = 1; ttl <= 8; ttl++) {
      store.addSample({
        session,
        segment: 0,
        ttl,
        round: r,
        at: T0 + r * 10 + ttl,
        result: 'reply',
        address: `198.51.100.${ttl}`,
        rttMs: ttl,
        mpls: null,
      });
    }
  };
  const writer = setInterval(() => add(live, round++), 40);
  try {
    for (let i = 0; i < 8; i++) {
      const doomed = begin(`doomed-${i}`);
      for (let r = 0; r < 50; r++) add(doomed, r);
      await store.deleteSession(doomed);
    }
  } finally {
    clearInterval(writer);
  }
  await store.flush();
  const sessions = await store.sessions();
  expect(flushErrors).toEqual([]);
  expect(sessions.map((s) => s.uid)).toEqual(['live']);
  expect(sessions[0]!.samples).toBe(round * 8);
  await store.close();
});

it('a late reply that arrives while its presumed loss is being flushed replaces it (one row per round)', async () => {
  const store = await HistoryStore.open(join(dir, 'late.duckdb'), { flushIntervalMs: 60_000 });
  const session = store.beginSession({
    uid: 'late',
    startedAt: T0,
    target: 'x.test',
    options: { target: 'x.test' },
    mtrPacketVersion: null,
  });
  const sample = (round: number, result: 'no-reply' | 'reply') => ({
    session,
    segment: 0,
    ttl: 6,
    round,
    at: T0 + round * 50,
    result,
    address: result === 'reply' ? '198.51.100.6' : null,
    rttMs: result === 'reply' ? 0.2 : null,
    mpls: null,
  });
  for (let round = 0; round < 20; round++) store.addSample(sample(round, 'no-reply'));
  // The flush is under way (its buffer handed over) when the replies come in.
  const flushing = store.flush();
  await new Promise((resolve) => setImmediate(resolve));
  for (let round = 0; round < 20; round++) store.addSample(sample(round, 'reply'));
  await flushing;
  await store.flush();
  const rows = await store.samples(session);
  expect(rows.map((r) => [r.round, r.result])).toEqual(Array.from({ length: 20 }, (_, round) => [round, 'reply']));
  await store.close();
});

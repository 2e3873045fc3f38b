/**
 * A flush that fails after its samples went into the appender leaves none of
 * them on disk: they stay buffered for the next flush, which then writes each
 * once. (Closing the appender after the ROLLBACK used to commit them, and the
 * requeued copies were written again: every TTL of those rounds counted twice.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/main/history';
import { repliedSample } from '../../fixtures/historyFiles';

const dir = mkdtempSync(join(tmpdir(), 'hopscope-failed-flush-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const T0 = Date.UTC(2026, 10, 1, 12);

it('a flush that fails after appending its samples commits none of them', async () => {
  const store = await HistoryStore.open(join(dir, 'h.duckdb'), { flushIntervalMs: 60_000 });
  const session = store.beginSession({
    uid: 'failing',
    startedAt: T0,
    target: 'x.test',
    options: { target: 'x.test' },
    mtrPacketVersion: null,
  });
  for (let round = 0; round < 10; round++) {
    for (let ttl = 1; ttl <= 6; ttl++) store.addSample(repliedSample(session, ttl, round, T0 + round * 50));
  }
  // A row the events appender refuses makes the flush fail after the samples were appended (not yet flushed).
  store.addEvent({ session, at: T0, kind: 'restart', ttl: 256, detail: null });
  await expect(store.flush()).rejects.toThrow();

  expect(await store.samples(session)).toEqual([]);
  expect(store.bufferedSamples).toBe(60);
  await store.close().catch(() => undefined);
});

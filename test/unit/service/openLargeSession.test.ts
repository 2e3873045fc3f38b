/**
 * A stored session too large for one tab, on a real DuckDB file through the
 * service's calls: it opens its newest window that fits (the steps the app
 * takes, `openNewestFitting`), with the newest round in it, while the whole
 * session's statistics still count every round.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { writeRepliedSession } from '../../fixtures/historyFiles';
import { SessionHistory } from '../../../src/main/service/sessionHistory';
import { MAX_OPENED_SAMPLES } from '@shared/storedSessions';
import { openNewestFitting } from '@shared/openedWindow';
import type { TraceDocument } from '@shared/traceFile';

const dir = mkdtempSync(join(tmpdir(), 'hopscope-open-large-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Recent, so the retention applied at start-up keeps it.
const T0 = Math.floor(Date.now() / 1000) * 1000 - 2 * 24 * 3600_000;
const ROUNDS = 20_000;
/** The path is 4 hops long for most of the session, then 150: samples bunch at the end. */
const ttlsAt = (round: number) => (round < ROUNDS * 0.95 ? 4 : 150);

function seed(path: string): Promise<{ id: number; samples: number }> {
  return writeRepliedSession(path, {
    uid: 'long',
    target: 'long.example',
    startedAt: T0,
    rounds: ROUNDS,
    ttlsAt,
    lastAt: T0 + (ROUNDS - 1) * 1000 + 150,
  });
}

it('opens the newest window that fits, then the whole session counts every round', { timeout: 60_000 }, async () => {
  const path = join(dir, 'long.duckdb');
  const { id, samples } = await seed(path);
  expect(samples).toBeGreaterThan(MAX_OPENED_SAMPLES);
  const history = new SessionHistory({ path });
  try {
    const info = (await history.list(new Set())).sessions.find((s) => s.id === id)!;
    expect(info.samples).toBe(samples);
    const tries: unknown[] = [];
    const { result, window } = await openNewestFitting(info, async (part) => {
      tries.push(part);
      try {
        return { ok: true as const, value: await history.document(id, part ?? {}) };
      } catch (error) {
        return { ok: false as const, error };
      }
    });
    expect(result.ok).toBe(true);
    const doc = (result as { value: TraceDocument }).value;
    // The first estimate assumed evenly spread samples; the bunched end needed a shorter window.
    expect(tries.length).toBeGreaterThan(1);
    expect(window!.to).toBe(info.lastAt + 1);
    const opened = doc.hops.reduce((n, h) => n + h.samples.length, 0);
    expect(opened).toBeLessThanOrEqual(MAX_OPENED_SAMPLES);
    expect(opened).toBeGreaterThan(MAX_OPENED_SAMPLES / 4);
    const newest = doc.hops.reduce((m, h) => h.samples.reduce((n, s) => Math.max(n, s.round), m), 0);
    expect(newest).toBe(ROUNDS - 1);

    const whole = await history.windowStats(id, {});
    expect(whole.rounds).toBe(ROUNDS);
    expect(whole.hops.find((h) => h.ttl === 1)!.sent).toBe(ROUNDS);
  } finally {
    await history.close(new Map());
  }
});

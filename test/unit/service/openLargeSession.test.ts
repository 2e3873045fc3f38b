/**
 * A stored session larger than one document carries, on a real DuckDB file
 * through the service's history: a tab opens it bounded like a live tab
 * (each hop's newest DEFAULT_SAMPLES_PER_HOP rounds, the whole session's
 * statistics), in one call whatever its length; its export of every sample
 * is refused as too large, and the steps the app takes for an export
 * (`openNewestFitting`) find its newest window that fits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeRepliedSession } from '../../fixtures/historyFiles';
import { SessionHistory } from '../../../src/main/service/sessionHistory';
import { MAX_OPENED_SAMPLES } from '@shared/storedSessions';
import { DEFAULT_SAMPLES_PER_HOP } from '@shared/limits';
import { openNewestFitting } from '@shared/openedWindow';
import type { TraceDocument } from '@shared/traceFile';

const dir = mkdtempSync(join(tmpdir(), 'hopscope-open-large-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Recent, so the retention applied at start-up keeps it.
const T0 = Math.floor(Date.now() / 1000) * 1000 - 2 * 24 * 3600_000;
const ROUNDS = 20_000;
/** The path is 4 hops long for most of the session, then 150: samples bunch at the end. */
const ttlsAt = (round: number) => (round < ROUNDS * 0.95 ? 4 : 150);
const path = join(dir, 'long.duckdb');
let seeded: { id: number; samples: number };

beforeAll(async () => {
  seeded = await writeRepliedSession(path, {
    uid: 'long',
    target: 'long.example',
    startedAt: T0,
    rounds: ROUNDS,
    ttlsAt,
    lastAt: T0 + (ROUNDS - 1) * 1000 + 150,
  });
  expect(seeded.samples).toBeGreaterThan(MAX_OPENED_SAMPLES);
}, 60_000);

it('opens bounded: each hop its newest rounds, statistics over every round', { timeout: 60_000 }, async () => {
  const history = new SessionHistory({ path });
  try {
    const doc = await history.document(seeded.id, {}, DEFAULT_SAMPLES_PER_HOP);
    const perHop = doc.hops.map((h) => h.samples.length);
    expect(Math.max(...perHop)).toBe(DEFAULT_SAMPLES_PER_HOP);
    // The newest round is there, and nothing older than the bound.
    const rounds = doc.hops.flatMap((h) => h.samples.map((s) => s.round));
    expect(Math.max(...rounds)).toBe(ROUNDS - 1);
    expect(Math.min(...rounds)).toBe(ROUNDS - DEFAULT_SAMPLES_PER_HOP);
    expect(doc.rounds).toBe(ROUNDS);
    expect(doc.hops.find((h) => h.ttl === 1)).toMatchObject({ sent: ROUNDS, received: ROUNDS });
    expect(doc.hops.find((h) => h.ttl === 150)).toMatchObject({ sent: ROUNDS * 0.05 });
  } finally {
    await history.close(new Map());
  }
});

it('exports the newest window that fits, then the whole session counts every round', { timeout: 60_000 }, async () => {
  const history = new SessionHistory({ path });
  try {
    const info = (await history.list(new Set())).sessions.find((s) => s.id === seeded.id)!;
    expect(info.samples).toBe(seeded.samples);
    await expect(history.document(seeded.id, {})).rejects.toMatchObject({ code: 'too-large' });
    const tries: unknown[] = [];
    const { result, window } = await openNewestFitting(info, async (part) => {
      tries.push(part);
      try {
        return { ok: true as const, value: await history.document(seeded.id, part ?? {}) };
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

    const whole = await history.windowStats(seeded.id, {});
    expect(whole.rounds).toBe(ROUNDS);
    expect(whole.hops.find((h) => h.ttl === 1)!.sent).toBe(ROUNDS);
  } finally {
    await history.close(new Map());
  }
});

/**
 * Window statistics against a plain computation over the same samples: the
 * minute roll-up, its ragged edges, jitter bridged across minutes and the
 * bucketed percentiles must all say what reading every sample says.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LOCAL_RESULT_KINDS, type ProbeResultKind } from '@shared/probe';
import { HistoryStore, type SampleRow } from '../../../src/main/history';
import { RTT_BUCKETS_PER_LN } from '../../../src/main/history/minuteStats';
import { EXACT_PERCENTILES_UP_TO_MS } from '../../../src/main/history/historyQueries';
import { makeVersion1File } from '../../fixtures/historyFiles';
import { DuckDBInstance } from '@duckdb/node-api';

const dir = mkdtempSync(join(tmpdir(), 'hopscope-window-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const T0 = Date.UTC(2026, 10, 1, 12, 0, 30);
const ADDRESSES = ['198.51.100.1', '198.51.100.2'];
const KINDS: ProbeResultKind[] = ['ttl-expired', 'ttl-expired', 'reply', 'no-reply', 'helper-stalled'];
/** Rounds 3 s apart: 400 rounds span 20 minutes, past the ten minutes the roll-up waits for (ROLLUP_MINUTES). */
const ROUND_MS = 3000;

const sampleArb = fc.record({
  ttl: fc.integer({ min: 1, max: 3 }),
  round: fc.integer({ min: 0, max: 400 }),
  kind: fc.constantFrom(...KINDS),
  responder: fc.integer({ min: 0, max: 1 }),
  rttUs: fc.integer({ min: 100, max: 400_000 }),
  flushAfter: fc.boolean(),
});

const answered = (s: SampleRow) => (s.result === 'reply' || s.result === 'ttl-expired') && s.address !== null;

/** DuckDB's quantile_cont: linear interpolation between the neighbours of rank p × (n − 1). */
function quantileCont(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

function jitterOf(rows: SampleRow[]): number | null {
  const rtts = rows.filter(answered).map((s) => s.rttMs!);
  if (rtts.length < 2) return null;
  return rtts.slice(1).reduce((sum, v, i) => sum + Math.abs(v - rtts[i]!), 0) / (rtts.length - 1);
}

describe('window statistics', () => {
  it('equal a plain computation over every sample of the window', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(sampleArb, { minLength: 1, maxLength: 150 }),
        fc.integer({ min: -10_000, max: 401 * ROUND_MS }),
        // Bounded windows get exact percentiles up to this length, which the checks below expect.
        fc.integer({ min: 1, max: EXACT_PERCENTILES_UP_TO_MS }),
        fc.constantFrom('bounded', 'from', 'to', 'whole'),
        async (steps, start, length, shape) => {
          const store = await HistoryStore.open(join(dir, `w${files++}.duckdb`));
          const session = store.beginSession({
            uid: 'w',
            startedAt: T0,
            target: 'example.test',
            options: {},
            mtrPacketVersion: null,
          });
          const latest = new Map<string, SampleRow>();
          for (const step of steps) {
            const row: SampleRow = {
              session,
              segment: step.round < 200 ? 0 : 1,
              ttl: step.ttl,
              round: step.round,
              at: T0 + step.round * ROUND_MS + step.ttl,
              result: step.kind,
              address: step.kind === 'reply' || step.kind === 'ttl-expired' ? ADDRESSES[step.responder]! : null,
              rttMs: step.kind === 'reply' || step.kind === 'ttl-expired' ? step.rttUs / 1000 : null,
              mpls: null,
            };
            store.addSample(row);
            latest.set(`${row.ttl}:${row.round}`, row);
            if (step.flushAfter) await store.flush();
          }
          await store.flush();
          const window = {
            ...(shape === 'bounded' || shape === 'from' ? { from: T0 + start } : {}),
            ...(shape === 'bounded' || shape === 'to' ? { to: T0 + start + length } : {}),
          };
          const inWindow = [...latest.values()]
            .filter(
              (s) =>
                (window.from === undefined || s.at >= window.from) && (window.to === undefined || s.at < window.to),
            )
            .sort((a, b) => a.round - b.round);
          const stats = await store.windowStats(session, window, { jitter: true });
          // Open-ended windows read percentiles from the minute histograms.
          const bucketed = window.from === undefined || window.to === undefined;
          const ttls = [...new Set(inWindow.map((s) => s.ttl))].sort((a, b) => a - b);
          expect(stats.hops.map((h) => h.ttl)).toEqual(ttls);
          for (const hop of stats.hops) {
            const rows = inWindow.filter((s) => s.ttl === hop.ttl);
            const replies = rows.filter(answered);
            const rtts = replies.map((s) => s.rttMs!);
            expect(hop.sent).toBe(rows.filter((s) => !LOCAL_RESULT_KINDS.has(s.result)).length);
            expect(hop.received).toBe(replies.length);
            expect(hop.lastMs).toBe(replies.at(-1)?.rttMs ?? null);
            expect(hop.bestMs).toBe(rtts.length ? Math.min(...rtts) : null);
            expect(hop.worstMs).toBe(rtts.length ? Math.max(...rtts) : null);
            if (rtts.length) expect(hop.avgMs).toBeCloseTo(rtts.reduce((a, b) => a + b, 0) / rtts.length, 6);
            for (const [p, value] of [
              [0.5, hop.p50Ms],
              [0.95, hop.p95Ms],
              [0.99, hop.p99Ms],
            ] as const) {
              const want = quantileCont(rtts, p);
              if (want === null) expect(value).toBeNull();
              else if (!bucketed) expect(value).toBeCloseTo(want, 6);
              else {
                // A bucket's middle is within half a bucket of the sample at that rank.
                const atRank = [...rtts].sort((a, b) => a - b)[Math.floor(p * (rtts.length - 1))]!;
                expect(Math.abs(Math.log(value! / atRank))).toBeLessThanOrEqual(0.5 / RTT_BUCKETS_PER_LN + 1e-9);
              }
            }
            for (const host of hop.hosts) {
              const own = rows.filter((s) => s.address === host.address);
              expect(host.received).toBe(own.filter(answered).length);
              const jitter = jitterOf(own);
              if (jitter === null) expect(host.jitterMs).toBeNull();
              else expect(host.jitterMs).toBeCloseTo(jitter, 6);
            }
          }
          expect(stats.rounds).toBe(inWindow.length ? inWindow.at(-1)!.round - inWindow[0]!.round + 1 : 0);
          await store.close();
        },
      ),
      { numRuns: 40 },
    );
  }, 180_000);

  it('reads a version-1 file (read-only: from the samples) and upgrades it when opened to write', async () => {
    const path = join(dir, 'v1.duckdb');
    const store = await HistoryStore.open(path);
    const session = store.beginSession({
      uid: 'v1',
      startedAt: T0,
      target: 'x.test',
      options: {},
      mtrPacketVersion: null,
    });
    for (let round = 0; round < 150; round++) {
      store.addSample({
        session,
        segment: 0,
        ttl: 1,
        round,
        at: T0 + round * 1000,
        result: round % 5 === 0 ? 'no-reply' : 'ttl-expired',
        address: round % 5 === 0 ? null : ADDRESSES[round % 2]!,
        rttMs: round % 5 === 0 ? null : 1 + (round % 7),
        mpls: null,
      });
    }
    await store.close();
    const expected = await readStats(path);
    // What a version-1 writer left: minute_stats without the version-2 columns.
    await makeVersion1File(path);

    expect(await readStats(path)).toEqual(expected);
    await (await HistoryStore.open(path)).close();
    const upgraded = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
    const u = await upgraded.connect();
    expect((await u.runAndReadAll(`SELECT value FROM hopscope_meta WHERE key = 'version'`)).getRowsJS()).toEqual([
      ['2'],
    ]);
    u.closeSync();
    upgraded.closeSync();
    expect(await readStats(path)).toEqual(expected);
  });
});

/** Whole-session statistics of session 1, read-only (jitter and bucketed percentiles included). */
async function readStats(path: string) {
  const store = await HistoryStore.open(path, { readOnly: true });
  try {
    const { hops, rounds } = await store.windowStats(1, {}, { jitter: true, percentiles: 'exact' });
    return { hops, rounds };
  } finally {
    await store.close();
  }
}

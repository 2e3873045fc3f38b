/** What the timeline draws from the store's buckets: the shared RTT scale, the shapes, loss marks, markers. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { TimelineBucketInfo, TimelineMarkerInfo } from '@shared/storedSessions';
import {
  avgPath,
  bandPath,
  lossLevel,
  lossPaths,
  placeMarkers,
  rttDomain,
  rttScale,
} from '../../src/renderer/src/timeline/timelineShapes';

const T0 = Date.UTC(2026, 10, 1);
const BUCKET_MS = 1000;
const x = (t: number) => (t - T0) / BUCKET_MS;

const bucketArb = fc
  .record({
    sent: fc.integer({ min: 0, max: 10 }),
    lost: fc.integer({ min: 0, max: 10 }),
    rtts: fc.array(fc.double({ min: 0.001, max: 5000, noNaN: true }), { maxLength: 5 }),
  })
  .map(({ sent, lost, rtts }) => {
    const received = Math.max(0, sent - lost);
    const got = received > 0 ? rtts : [];
    const sorted = [...got].sort((a, b) => a - b);
    return {
      sent,
      received,
      lossPct: sent === 0 ? null : (100 * (sent - received)) / sent,
      minMs: sorted[0] ?? null,
      avgMs: sorted.length > 0 ? sorted.reduce((a, b) => a + b, 0) / sorted.length : null,
      maxMs: sorted.at(-1) ?? null,
    };
  });

const bucketsArb = fc
  .array(bucketArb, { maxLength: 200 })
  .map((list): TimelineBucketInfo[] => list.map((b, i) => ({ from: T0 + i * BUCKET_MS, ...b })));

/** Numbers in SVG path data. */
const coords = (d: string) => (d.match(/-?\d+(\.\d+)?(e-?\d+)?/g) ?? []).map(Number);

describe('timeline shapes', () => {
  it('one RTT domain holds every series: every bucket maps into the row', () => {
    fc.assert(
      fc.property(fc.array(bucketsArb, { minLength: 1, maxLength: 4 }), fc.boolean(), (series, log) => {
        const domain = rttDomain(series, log);
        expect(domain[0]).toBeLessThan(domain[1]);
        if (log) expect(domain[0]).toBeGreaterThan(0);
        else expect(domain[0]).toBe(0);
        const { y } = rttScale(domain, log, 50);
        for (const b of series.flat()) {
          if (b.maxMs === null) continue;
          expect(b.maxMs).toBeLessThanOrEqual(domain[1]);
          for (const v of [b.minMs!, b.avgMs!, b.maxMs]) {
            expect(y(v)).toBeGreaterThanOrEqual(0);
            expect(y(v)).toBeLessThanOrEqual(50);
          }
        }
      }),
    );
    expect(rttDomain([[]], false)).toEqual([0, 10]);
  });

  it('band and average: a point per bucket with an RTT, broken where a bucket has none', () => {
    fc.assert(
      fc.property(bucketsArb, (buckets) => {
        const { y } = rttScale(rttDomain([buckets], false), false, 40);
        const avg = avgPath(buckets, BUCKET_MS, x, y);
        const withRtt = buckets.filter((b) => b.avgMs !== null).length;
        // Each point is an M or L with an x and a y; each run of defined buckets starts with an M.
        expect(coords(avg)).toHaveLength(2 * withRtt);
        let runs = 0;
        buckets.forEach((b, i) => {
          if (b.avgMs !== null && (i === 0 || buckets[i - 1]!.avgMs === null)) runs++;
        });
        expect((avg.match(/M/g) ?? []).length).toBe(runs);
        const band = bandPath(buckets, BUCKET_MS, x, y);
        expect(band === '').toBe(withRtt === 0);
        // Every x lies in the middle of a bucket that has an RTT.
        const xs = coords(avg).filter((_, i) => i % 2 === 0);
        for (const px of xs) expect(buckets[Math.floor(px)]?.avgMs).not.toBeNull();
      }),
    );
  });

  it('loss marks cover exactly the buckets that lost probes, in a few paths', () => {
    fc.assert(
      fc.property(bucketsArb, (buckets) => {
        const paths = lossPaths(buckets, BUCKET_MS, x, 6);
        expect(paths.length).toBeLessThanOrEqual(3);
        // Widths of the rectangles per level add up to the lossy buckets of that level (a pixel each here).
        for (const { level, d } of paths) {
          const widths = [...d.matchAll(/h(\d+(\.\d+)?)v/g)].map((m) => Number(m[1]));
          const expected = buckets.filter((b) => (b.lossPct ?? 0) > 0 && lossLevel(b.lossPct!) === level).length;
          expect(widths.reduce((a, b) => a + b, 0)).toBeCloseTo(expected, 5);
        }
        if (buckets.every((b) => !b.lossPct)) expect(paths).toEqual([]);
      }),
    );
  });

  it('places markers in the plot, merges close ones, colours a merge by its most alarming kind', () => {
    const marker = (s: number, kind: TimelineMarkerInfo['kind'], ttl: number | null = null): TimelineMarkerInfo => ({
      at: T0 + s * BUCKET_MS,
      kind,
      ttl,
      detail: kind === 'path-change' ? '198.51.100.7' : null,
    });
    const placed = placeMarkers(
      [marker(10, 'path-change', 4), marker(12, 'error'), marker(50, 'segment'), marker(-5, 'restart')],
      x,
      100,
      4,
    );
    expect(placed.map((m) => [m.x, m.kind, m.count])).toEqual([
      [10, 'error', 2],
      [50, 'segment', 1],
    ]);
    expect(placed[0]!.title).toContain('path change at TTL 4: 198.51.100.7');
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 300 }), (seconds) => {
        const marks = placeMarkers(
          seconds.map((s) => marker(s, 'restart')),
          (t) => (t - T0) / 10_000,
          100,
          4,
        );
        expect(marks.reduce((n, m) => n + m.count, 0)).toBe(seconds.length);
        expect(marks.length).toBeLessThanOrEqual(100 / 4 + 1);
      }),
    );
  });
});

/** The timeline's view arithmetic: extents, zoom transforms, following "now", bucket counts, rows. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  bucketCount,
  clampView,
  isAtEnd,
  maxZoom,
  MIN_VIEW_MS,
  nextView,
  sessionExtent,
  viewFromZoom,
  zoomForView,
  type TimeRange,
} from '../../src/renderer/src/timeline/timelineView';
import { rowGeometry, seriesRows } from '../../src/renderer/src/timeline/timelineRows';

const T0 = Date.UTC(2026, 10, 1);
const DAY = 24 * 3600_000;

const extentArb = fc
  .record({ start: fc.integer({ min: 0, max: DAY }), span: fc.integer({ min: 1, max: 2 * DAY }) })
  .map(({ start, span }) => sessionExtent(T0 + start, T0 + start + span));

/** An extent and a view inside it (at least a minute, or the whole extent). */
const viewArb = extentArb.chain((extent) =>
  fc
    .record({ a: fc.double({ min: 0, max: 1, noNaN: true }), b: fc.double({ min: 0, max: 1, noNaN: true }) })
    .map(({ a, b }) => {
      const span = extent.to - extent.from;
      const view = clampView(
        { from: extent.from + Math.min(a, b) * span, to: extent.from + Math.max(a, b) * span },
        extent,
      );
      return { extent, view };
    }),
);

const close = (a: TimeRange, b: TimeRange, tolerance: number) =>
  Math.abs(a.from - b.from) <= tolerance && Math.abs(a.to - b.to) <= tolerance;

describe('timeline view', () => {
  it('spans at least a minute from the session start', () => {
    expect(sessionExtent(T0, T0 + 5000)).toEqual({ from: T0, to: T0 + MIN_VIEW_MS });
    expect(sessionExtent(T0, T0 + DAY)).toEqual({ from: T0, to: T0 + DAY });
  });

  it('clamps any view into the extent, at least a minute (or the whole extent) wide', () => {
    fc.assert(
      fc.property(extentArb, fc.integer(), fc.integer(), (extent, a, b) => {
        const view = clampView({ from: T0 + a, to: T0 + b }, extent);
        expect(view.from).toBeGreaterThanOrEqual(extent.from);
        expect(view.to).toBeLessThanOrEqual(extent.to + 1e-6);
        expect(view.to - view.from).toBeGreaterThanOrEqual(Math.min(MIN_VIEW_MS, extent.to - extent.from) - 1e-6);
      }),
    );
  });

  it('a view and its zoom transform convert into each other', () => {
    fc.assert(
      fc.property(viewArb, fc.integer({ min: 50, max: 4000 }), ({ extent, view }, width) => {
        const zoom = zoomForView(view, extent, width);
        expect(zoom.k).toBeGreaterThanOrEqual(1 - 1e-9);
        expect(zoom.k).toBeLessThanOrEqual(maxZoom(extent) + 1e-6);
        expect(close(viewFromZoom(zoom, extent, width), view, 1)).toBe(true);
      }),
    );
  });

  it('the identity transform shows the whole session; the deepest zoom a minute', () => {
    const extent = sessionExtent(T0, T0 + DAY);
    expect(viewFromZoom({ k: 1, x: 0 }, extent, 800)).toEqual(extent);
    const minute = viewFromZoom({ k: maxZoom(extent), x: -maxZoom(extent) * 400 }, extent, 800);
    expect(minute.to - minute.from).toBeCloseTo(MIN_VIEW_MS, 3);
  });

  it('a view at the end follows a growing session; one panned away stays put', () => {
    fc.assert(
      fc.property(viewArb, fc.integer({ min: 1, max: 3600_000 }), ({ extent, view }, grown) => {
        const later = { from: extent.from, to: extent.to + grown };
        const following = isAtEnd(view, extent);
        const next = nextView(view, following, later);
        if (following) {
          expect(next.to).toBe(later.to);
          expect(next.to - next.from).toBeCloseTo(view.to - view.from, 3);
        } else expect(next).toEqual(view);
      }),
    );
    expect(nextView(null, true, { from: T0, to: T0 + DAY })).toEqual({ from: T0, to: T0 + DAY });
  });

  it('asks for one bucket per pixel, never narrower than two probe intervals, never more than allowed', () => {
    fc.assert(
      fc.property(
        viewArb,
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 50, max: 60_000 }),
        ({ view }, width, intervalMs) => {
          const n = bucketCount(view, width, intervalMs, 10_000);
          expect(n).toBeGreaterThanOrEqual(1);
          expect(n).toBeLessThanOrEqual(Math.min(width, 10_000));
          if (n > 1) expect((view.to - view.from) / n).toBeGreaterThanOrEqual(2 * intervalMs - 1e-6);
        },
      ),
    );
    // A whole day at one round a second on a 1000 px plot: 1000 buckets, whatever the session's length.
    expect(bucketCount({ from: T0, to: T0 + DAY }, 1000, 1000, 10_000)).toBe(1000);
  });
});

describe('timeline rows', () => {
  it('draws the destination, then pinned hops in pin order, then the selected hop, each once', () => {
    expect(seriesRows(6, [], null)).toEqual([{ ttl: 6, role: 'destination' }]);
    expect(seriesRows(6, [3, 1], 2).map((r) => [r.ttl, r.role])).toEqual([
      [6, 'destination'],
      [3, 'pinned'],
      [1, 'pinned'],
      [2, 'selected'],
    ]);
    expect(seriesRows(6, [3], 3).map((r) => r.role)).toEqual(['destination', 'pinned']);
    expect(seriesRows(6, [], 6)).toHaveLength(1);
    expect(seriesRows(null, [], null)).toEqual([]);
  });

  it('shares the height between rows, none shorter than readable', () => {
    const g = rowGeometry(3, 300);
    expect(g.tops).toEqual([0, g.rowHeight, 2 * g.rowHeight]);
    expect(g.seriesHeight).toBeLessThanOrEqual(300);
    expect(rowGeometry(20, 300).rowHeight).toBe(40);
  });
});

import { describe, expect, it } from 'vitest';
import { frameDurations, percentiles } from '../../../bench/frameDurations';
import type { TraceEvent } from '../../../bench/frameProfile';
import { MAIN, RASTER, meta, slice } from '../../fixtures/traceEvents';

/** One AnimationFrame async event, [ts, ts + dur] on the main thread. */
const frame = (id: string, ts: number, dur: number): TraceEvent[] => [
  { name: 'AnimationFrame', ph: 'b', ...MAIN, ts, id2: { local: id } } as TraceEvent,
  { name: 'AnimationFrame', ph: 'e', ...MAIN, ts: ts + dur, id2: { local: id } } as TraceEvent,
];

describe('frameDurations', () => {
  it('measures the work of each frame, not the idle time around it, and splits the slow ones', () => {
    const events = [
      meta(1, 'CrRendererMain'),
      meta(2, 'ThreadPoolForegroundWorker'),
      // A fast frame: 4 ms of script, 2 ms raster after it (ends 8 ms after the frame began).
      ...frame('a', 0, 5_000),
      slice('RunTask', 0, 5_000, 5_000),
      slice('FunctionCall', 0, 4_000, 4_000),
      slice('RasterTask', 6_000, 2_000, 2_000, RASTER),
      // Idle until a slow frame at 50 ms: 12 ms of layout, 10 ms wall of raster (5 ms CPU).
      ...frame('b', 50_000, 14_000),
      slice('RunTask', 50_000, 14_000, 13_000),
      slice('Layout', 51_000, 12_000, 12_000),
      slice('RasterTask', 64_000, 10_000, 5_000, RASTER),
      // Bookkeeping between frames that led to none counts to no frame.
      slice('RunTask', 80_000, 30_000, 30_000),
      // A wheel event handled in 1 ms, then the wait for the vsync, then 2 ms of rendering: 3 ms of work in 18.
      ...frame('c', 120_000, 18_000),
      slice('RunTask', 120_000, 1_000, 1_000),
      slice('EventDispatch', 120_000, 1_000, 1_000),
      slice('RunTask', 136_000, 3_500, 3_000),
      slice('Paint', 136_000, 2_000, 2_000),
      // The commit of that frame's rendering task ends after the AnimationFrame: it still counts.
      slice('Commit', 138_500, 1_000, 1_000),
    ];
    const d = frameDurations(events);
    expect(d.frames).toBe(3);
    expect(d.mainMs.p50).toBe(5);
    expect(d.mainMs.p95).toBe(14);
    expect(d.mainMs.max).toBe(14); // frame c: 1 + 3.5 ms of work in its 18
    expect(d.producedMs.p50).toBe(7);
    expect(d.mainMs.max).toBe(14);
    expect(d.producedMs.max).toBe(24);
    expect(percentiles([8, 24]).p50).toBe(24);
    expect(d.cpuMs.max).toBe(18);
    // Only the second frame took longer than a vsync interval.
    expect(d.slow.frames).toBe(1);
    expect(d.slow.cpuMsPerFrame).toMatchObject({ layout: 12, other: 1, raster: 5, appScripting: 0 });
    expect(d.cpuMsPerFrame).toMatchObject({ appScripting: 1.67, layout: 4, paint: 1, raster: 2.33, other: 0.67 });
  });

  it('gives the p50, p95 and p99 by rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentiles(values)).toEqual({ p50: 51, p95: 96, p99: 100, max: 100 });
  });
});

import { describe, expect, it } from 'vitest';
import { frameProfile } from '../../../bench/frameProfile';
import { RASTER, meta, slice } from '../../fixtures/traceEvents';

describe('frameProfile', () => {
  it("splits the main thread's CPU time by category from each event's self time, per frame", () => {
    const events = [
      meta(1, 'CrRendererMain'),
      meta(2, 'ThreadPoolForegroundWorker'),
      // A task: 10 ms of script (4 of it inside a forced layout), then 6 ms of paint with 1 ms of
      // an uncategorised child; wall time is twice the CPU time (the thread waited for a core).
      slice('RunTask', 0, 40_000, 20_000),
      slice('FunctionCall', 0, 20_000, 10_000),
      slice('Layout', 5_000, 8_000, 4_000),
      slice('Paint', 20_000, 12_000, 6_000),
      slice('SomethingNew', 22_000, 2_000, 1_000),
      slice('MinorGC', 34_000, 2_000, 1_000),
      slice('V8.GC_SCAVENGER_SCAVENGE_PARALLEL', 36_000, 2_000, 1_000),
      slice('RasterTask', 0, 10_000, 3_000, RASTER),
    ];
    const profile = frameProfile(events, 2, 1);
    expect(profile.mainThreadMsPerFrame).toEqual({
      benchSynthesis: 0.5,
      appScripting: 2.5, // (10 - 4 layout) / 2 frames, less the bench's own 1 ms
      gc: 1,
      style: 0,
      layout: 2,
      paint: 3, // the uncategorised child counts as its parent's
      other: 1, // the task's own 2 ms
    });
    expect(profile.busyMsPerFrame).toBe(10);
    expect(profile.rasterMsPerFrame).toBe(1.5);
  });
});

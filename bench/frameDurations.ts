/**
 * Each frame's own duration, from a Chromium trace, rather than the
 * interval between animation frames: on a 60 Hz vsync that interval is
 * 16.7 ms whether the frame's work took 3 ms or 16. Chromium marks each
 * frame on the main thread as an AnimationFrame (the Long Animation Frames
 * API's frame: from the first task that led to it, an input event, a
 * timer or an animation-frame callback, to the end of its style, layout and
 * paint). That span also holds the idle wait for the next vsync between an
 * input event and the rendering, so a frame's own duration here is the wall
 * time of the main-thread tasks inside it (the work, plus on a shared
 * machine the waits for a core), then with the raster that followed it (on
 * worker threads, before the next frame began) added; its CPU time is the
 * work alone. Frames whose work took longer than a vsync interval are split
 * by category, to say what the slow ones spent their time on.
 */
import {
  FRAME_CATEGORIES,
  categoryOf,
  pageThreads,
  selfTimes,
  spansOf,
  type Span,
  type FrameCategory,
  type TraceEvent,
} from './frameProfile';

/** One vsync at 60 Hz: a frame longer than this misses one. */
export const VSYNC_MS = 1000 / 60;

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface FrameDurations {
  frames: number;
  /** Wall time of each frame's main-thread tasks (input, script, style, layout, paint, commit). */
  mainMs: Percentiles;
  /** That plus the wall time of the raster tasks that followed it: the frame's work end to end. */
  producedMs: Percentiles;
  /** CPU time of each frame: its main-thread work plus its raster. */
  cpuMs: Percentiles;
  /** The frames whose work (producedMs) took longer than a vsync interval, and their mean CPU ms by category. */
  slow: { overMs: number; frames: number; cpuMsPerFrame: Record<FrameCpuCategory, number> };
  /** The same mean split over every frame. */
  cpuMsPerFrame: Record<FrameCpuCategory, number>;
}

interface Frame {
  start: number;
  end: number;
  /** Wall microseconds of the main-thread tasks inside the frame, and of the raster after it. */
  mainWall: number;
  rasterWall: number;
  cpu: Record<FrameCpuCategory, number>;
}

const r2 = (v: number) => Math.round(v * 100) / 100;

export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: r2(at(0.5)), p95: r2(at(0.95)), p99: r2(at(0.99)), max: r2(sorted[sorted.length - 1] ?? NaN) };
}

/** What a frame's CPU time is split into (the renderer bench's fake engine counts as scripting here). */
export type FrameCpuCategory = Exclude<FrameCategory, 'benchSynthesis'> | 'raster';
const CPU_CATEGORIES: readonly FrameCpuCategory[] = [
  ...FRAME_CATEGORIES.filter((c): c is Exclude<FrameCategory, 'benchSynthesis'> => c !== 'benchSynthesis'),
  'raster',
];

const zero = () => Object.fromEntries(CPU_CATEGORIES.map((c) => [c, 0])) as Record<FrameCpuCategory, number>;

/** The page main thread's AnimationFrame async events (begin/end pairs by id), as frames in time order. */
function animationFrames(main: readonly TraceEvent[], all: readonly TraceEvent[]): Frame[] {
  const pid = main[0]?.pid;
  const tid = main[0]?.tid;
  const open = new Map<string, number>();
  const frames: Frame[] = [];
  for (const e of all) {
    if (e.name !== 'AnimationFrame' || e.pid !== pid || e.tid !== tid) continue;
    const id = (e as { id2?: { local?: string } }).id2?.local ?? (e as { id?: string }).id ?? '';
    if (e.ph === 'b') open.set(id, e.ts);
    else if (e.ph === 'e') {
      const start = open.get(id);
      if (start === undefined) continue;
      open.delete(id);
      frames.push({ start, end: e.ts, mainWall: 0, rasterWall: 0, cpu: zero() });
    }
  }
  return frames.sort((a, b) => a.start - b.start);
}

/** Index of the last item starting at or before `ts` (items sorted by start), or -1. */
function lastStartingBy(items: readonly { start: number }[], ts: number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.start <= ts) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function meanByCategory(frames: readonly Frame[]): Record<FrameCpuCategory, number> {
  const sums = zero();
  for (const f of frames) for (const c of CPU_CATEGORIES) sums[c] += f.cpu[c];
  for (const c of CPU_CATEGORIES) sums[c] = r2(sums[c] / 1000 / Math.max(1, frames.length));
  return sums;
}

/** The spans no other span contains (the thread's tasks), from spans in parents-first order. */
function topLevel(spans: readonly Span[]): Span[] {
  const tops: Span[] = [];
  let end = Number.NEGATIVE_INFINITY;
  for (const span of spans) {
    if (span.start < end) continue;
    tops.push(span);
    end = span.end;
  }
  return tops;
}

/**
 * Per-frame durations over a trace. A main-thread task counts, whole, to
 * the frame it starts in (the frame's paint and commit may end after the
 * AnimationFrame does); work between frames that led to none, such as the
 * bench's own bookkeeping, counts to no frame. Raster counts to the frame
 * it follows, until the next one starts.
 */
export function frameDurations(events: readonly TraceEvent[]): FrameDurations {
  const { main, raster } = pageThreads(events);
  const frames = animationFrames(main, events);
  const spans = spansOf(main);
  const tasks = topLevel(spans);
  const frameOfTask = tasks.map((task) => {
    const frame = frames[lastStartingBy(frames, task.start)];
    return frame !== undefined && task.start <= frame.end ? frame : undefined;
  });
  tasks.forEach((task, i) => {
    const frame = frameOfTask[i];
    if (frame !== undefined) frame.mainWall += task.end - task.start;
  });
  for (const self of selfTimes(spans, categoryOf)) {
    const frame = frameOfTask[lastStartingBy(tasks, self.start)];
    const category = self.category === 'benchSynthesis' ? 'appScripting' : self.category;
    if (frame !== undefined) frame.cpu[category] += self.cpu;
  }
  for (const span of raster) {
    const frame = frames[lastStartingBy(frames, span.start)];
    if (frame === undefined) continue;
    frame.cpu.raster += span.cpu;
    frame.rasterWall += span.end - span.start;
  }
  const ms = (us: number) => us / 1000;
  const cpuOf = (f: Frame) => Object.values(f.cpu).reduce((a, b) => a + b, 0);
  const produced = (f: Frame) => ms(f.mainWall + f.rasterWall);
  const slow = frames.filter((f) => produced(f) > VSYNC_MS);
  return {
    frames: frames.length,
    mainMs: percentiles(frames.map((f) => ms(f.mainWall))),
    producedMs: percentiles(frames.map(produced)),
    cpuMs: percentiles(frames.map((f) => ms(cpuOf(f)))),
    slow: { overMs: r2(VSYNC_MS), frames: slow.length, cpuMsPerFrame: meanByCategory(slow) },
    cpuMsPerFrame: meanByCategory(frames),
  };
}

const fmt = (p: Percentiles) => `${p.p50}/${p.p95}/${p.p99} ms`;

/** Lines saying what the frames took and what the slow ones spent it on, beside an earlier run's when given. */
export function describeFrameDurations(d: FrameDurations, before?: FrameDurations): string[] {
  const was = (now: string, old: string | undefined) => (old === undefined ? now : `${now}  (before ${old})`);
  const lines = [
    `own frame durations from the trace, p50/p95/p99 over ${d.frames} frames:`,
    `  main-thread tasks (wall) ${was(fmt(d.mainMs), before && fmt(before.mainMs))}`,
    `  + raster (wall)          ${was(fmt(d.producedMs), before && fmt(before.producedMs))}`,
    `  CPU (main + raster)      ${was(fmt(d.cpuMs), before && fmt(before.cpuMs))}`,
    `  CPU ms per frame by category: all frames | the ${d.slow.frames} over ${d.slow.overMs} ms` +
      (before ? ` (before: all | ${before.slow.frames} slow)` : ''),
  ];
  for (const c of CPU_CATEGORIES) {
    const old = before ? `  (${before.cpuMsPerFrame[c]} | ${before.slow.cpuMsPerFrame[c]})` : '';
    lines.push(
      `    ${c.padEnd(14)} ${String(d.cpuMsPerFrame[c]).padStart(6)} | ${String(d.slow.cpuMsPerFrame[c]).padStart(6)}${old}`,
    );
  }
  return lines;
}

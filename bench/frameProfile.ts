/**
 * Where a page's frame time goes, from a Chromium trace taken over the
 * DevTools protocol (Tracing domain): the renderer main thread's CPU time
 * split into scripting (the app's own apart from the bench's fake engine,
 * which the page times itself), garbage collection, style, layout, paint,
 * and raster on worker threads. Each trace event's self time (its thread
 * time minus its children's) goes to its own category, or to its nearest
 * categorised ancestor's. CPU time, not wall time: on a machine shared with
 * other work, wall time mostly measures waiting for a core.
 */
import type { Page } from 'playwright-core';

export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** Thread (CPU) time, as ts and dur are wall time. */
  tts?: number;
  tdur?: number;
  args?: { name?: string; data?: unknown };
}

export const FRAME_CATEGORIES = ['benchSynthesis', 'appScripting', 'gc', 'style', 'layout', 'paint', 'other'] as const;
export type FrameCategory = (typeof FRAME_CATEGORIES)[number];

const CATEGORY_OF: Readonly<Record<string, FrameCategory>> = {
  FunctionCall: 'appScripting',
  EvaluateScript: 'appScripting',
  FireAnimationFrame: 'appScripting',
  TimerFire: 'appScripting',
  EventDispatch: 'appScripting',
  RunMicrotasks: 'appScripting',
  'v8.run': 'appScripting',
  'v8.compile': 'appScripting',
  'v8.callFunction': 'appScripting',
  V8Execute: 'appScripting',
  MinorGC: 'gc',
  MajorGC: 'gc',
  'V8.GC_SCAVENGER': 'gc',
  'BlinkGC.AtomicPhase': 'gc',
  'CppGC.IncrementalSweep': 'gc',
  'V8.GCIncrementalMarking': 'gc',
  'V8.GCFinalizeMC': 'gc',
  'V8.GCScavenger': 'gc',
  'V8.GCCompactor': 'gc',
  MinorGCScavenger: 'gc',
  UpdateLayoutTree: 'style',
  RecalculateStyles: 'style',
  ParseAuthorStyleSheet: 'style',
  Layout: 'layout',
  UpdateLayerTree: 'layout',
  PrePaint: 'paint',
  Paint: 'paint',
  PaintImage: 'paint',
  Layerize: 'paint',
  UpdateLayer: 'paint',
  CompositeLayers: 'paint',
  Commit: 'paint',
  'LocalFrameView::RunPaintLifecyclePhase': 'paint',
  'ProxyMain::BeginMainFrame::commit': 'paint',
};

export interface FrameProfile {
  frames: number;
  /** Mean CPU milliseconds per frame on the renderer main thread, by category. */
  mainThreadMsPerFrame: Record<FrameCategory, number>;
  /** Main thread busy per frame (the sum of the above). */
  busyMsPerFrame: number;
  /** Mean CPU milliseconds per frame of raster work on the renderer's worker threads (software rendering). */
  rasterMsPerFrame: number;
}

const TRACE_CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'blink.user_timing',
  'cc',
].join(',');

/**
 * Runs `run` while Chromium traces the page, and returns the trace's events.
 * Chromium keeps the trace until the end and hands it over as a stream
 * (ReturnAsStream): sent as events during the run, the trace kept the
 * browser process and this one serializing and parsing JSON while the traced
 * frames ran, on a machine with two cores.
 */
export async function traceWhile(page: Page, run: () => Promise<void>): Promise<TraceEvent[]> {
  const cdp = await page.context().newCDPSession(page);
  const complete = new Promise<string | undefined>((resolve) =>
    cdp.once('Tracing.tracingComplete', ({ stream }) => resolve(stream)),
  );
  await cdp.send('Tracing.start', { categories: TRACE_CATEGORIES, transferMode: 'ReturnAsStream' });
  try {
    await run();
  } finally {
    await cdp.send('Tracing.end');
  }
  try {
    const stream = await complete;
    if (stream === undefined) throw new Error('Chromium returned no trace stream');
    const chunks: Buffer[] = [];
    for (;;) {
      const { data, base64Encoded, eof } = await cdp.send('IO.read', { handle: stream });
      chunks.push(Buffer.from(data, base64Encoded === true ? 'base64' : 'utf8'));
      if (eof) break;
    }
    await cdp.send('IO.close', { handle: stream });
    return (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  } finally {
    await cdp.detach();
  }
}

/** V8's many GC phases are named V8.GC_…; the rest by the table above. */
export function categoryOf(name: string): FrameCategory | undefined {
  return CATEGORY_OF[name] ?? (name.startsWith('V8.GC') ? 'gc' : undefined);
}

/** Runs `run` under V8's sampling profiler (Profiler domain); returns the .cpuprofile object. */
export async function cpuProfileWhile(page: Page, run: () => Promise<void>): Promise<unknown> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  try {
    await run();
    return (await cdp.send('Profiler.stop')).profile;
  } finally {
    await cdp.detach();
  }
}

/** One traced slice of a thread: wall-clock extent (for nesting) and the CPU time the thread spent in it. */
export interface Span {
  name: string;
  start: number;
  end: number;
  cpu: number;
}

/**
 * Complete ('X') events and begin/end pairs of one thread as spans. CPU time
 * is the event's thread time (tdur): on a loaded machine wall time also
 * counts the time the thread waited for a core.
 */
export function spansOf(events: readonly TraceEvent[]): Span[] {
  const spans: Span[] = [];
  const open: TraceEvent[] = [];
  for (const e of [...events].sort((a, b) => a.ts - b.ts)) {
    if (e.ph === 'X' && e.dur !== undefined) {
      spans.push({ name: e.name, start: e.ts, end: e.ts + e.dur, cpu: e.tdur ?? e.dur });
    } else if (e.ph === 'B') open.push(e);
    else if (e.ph === 'E') {
      const begin = open.pop();
      if (begin === undefined) continue;
      const cpu = begin.tts !== undefined && e.tts !== undefined ? e.tts - begin.tts : e.ts - begin.ts;
      spans.push({ name: begin.name, start: begin.ts, end: e.ts, cpu });
    }
  }
  // Parents before children: by start, the longer first.
  return spans.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** One span's own CPU time (less its children's), with the category it counts to. */
export interface SelfTime {
  start: number;
  category: FrameCategory;
  cpu: number;
}

/** Each span's self CPU time, in its own category or its nearest categorised ancestor's. */
export function selfTimes(spans: readonly Span[], categoryOf: (name: string) => FrameCategory | undefined): SelfTime[] {
  const out: SelfTime[] = [];
  const stack: { start: number; end: number; cpu: number; category: FrameCategory; childCpu: number }[] = [];
  const close = (until: number) => {
    while (stack.length > 0 && stack[stack.length - 1]!.end <= until) {
      const done = stack.pop()!;
      out.push({ start: done.start, category: done.category, cpu: Math.max(0, done.cpu - done.childCpu) });
      const parent = stack[stack.length - 1];
      if (parent !== undefined) parent.childCpu += done.cpu;
    }
  };
  for (const span of spans) {
    close(span.start);
    const parent = stack[stack.length - 1];
    // A span that overlaps its parent's end is clipped to it, so time is never counted twice.
    const end = parent === undefined ? span.end : Math.min(span.end, parent.end);
    const category = categoryOf(span.name) ?? parent?.category ?? 'other';
    stack.push({ start: span.start, end, cpu: span.cpu, category, childCpu: 0 });
  }
  close(Number.POSITIVE_INFINITY);
  return out;
}

/** Self CPU time per category of one thread's spans, in microseconds. */
export function selfTimeByCategory(
  spans: readonly Span[],
  categoryOf: (name: string) => FrameCategory | undefined,
): Record<FrameCategory, number> {
  const totals = Object.fromEntries(FRAME_CATEGORIES.map((c) => [c, 0])) as Record<FrameCategory, number>;
  for (const { category, cpu } of selfTimes(spans, categoryOf)) totals[category] += cpu;
  return totals;
}

export function threadNames(events: readonly TraceEvent[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name) names.set(`${e.pid}:${e.tid}`, e.args.name);
  }
  return names;
}

/** The page's threads in a trace: its main thread's events and its raster workers' spans. */
export function pageThreads(events: readonly TraceEvent[]): { main: TraceEvent[]; raster: Span[] } {
  const names = threadNames(events);
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph !== 'X' && e.ph !== 'B' && e.ph !== 'E') continue;
    const key = `${e.pid}:${e.tid}`;
    let list = byThread.get(key);
    if (list === undefined) byThread.set(key, (list = []));
    list.push(e);
  }
  // The page's main thread: the busiest CrRendererMain (a trace may also hold others, e.g. about:blank's).
  let main: TraceEvent[] = [];
  for (const [key, list] of byThread) {
    if (names.get(key) === 'CrRendererMain' && list.length > main.length) main = list;
  }
  const mainPid = main[0]?.pid;
  const raster: Span[] = [];
  for (const [key, list] of byThread) {
    if (list[0]?.pid !== mainPid || !/TileWorker|Raster|ThreadPoolForegroundWorker/.test(names.get(key) ?? ''))
      continue;
    for (const span of spansOf(list)) if (span.name === 'RasterTask') raster.push(span);
  }
  return { main, raster };
}

/**
 * Where the frame time went, per frame, over a trace covering `frames`
 * frames in which the bench's fake engine took `synthesisMs` in all.
 */
export function frameProfile(events: readonly TraceEvent[], frames: number, synthesisMs: number): FrameProfile {
  const { main, raster } = pageThreads(events);
  const totals = selfTimeByCategory(spansOf(main), categoryOf);
  // The fake engine runs inside the app's animation-frame callbacks: the page timed it apart.
  const synthesisUs = Math.min(totals.appScripting, synthesisMs * 1000);
  totals.appScripting -= synthesisUs;
  totals.benchSynthesis += synthesisUs;
  const rasterUs = raster.reduce((sum, span) => sum + span.cpu, 0);
  const perFrame = (us: number) => Math.round((us / 1000 / Math.max(1, frames)) * 100) / 100;
  const mainThreadMsPerFrame = Object.fromEntries(FRAME_CATEGORIES.map((c) => [c, perFrame(totals[c])])) as Record<
    FrameCategory,
    number
  >;
  const busy = FRAME_CATEGORIES.reduce((sum, c) => sum + totals[c], 0);
  return { frames, mainThreadMsPerFrame, busyMsPerFrame: perFrame(busy), rasterMsPerFrame: perFrame(rasterUs) };
}

/**
 * The renderer under a long, wide trace: 30 hops × 4 responders, one sample
 * per responder per second, for a simulated hour (3600 rounds, one batch per
 * round as the engine sends them). The real built app (store, App, PathGraph,
 * HopTable) runs in Chromium with a fake engine injected before it loads
 * (bench/rendererBenchPage.js); batches go in one simulated second per
 * animation frame. Prints and saves the frame intervals (paced by the 60 Hz
 * vsync: 16.7 ms at best, 33.3 when a frame misses one) and JS heap, then
 * feeds more rounds under Chromium's tracing and says where the frame time
 * went (bench/frameProfile.ts) and how long each frame's own work took
 * (bench/frameDurations.ts); then a second Chromium without vsync times each
 * frame's own duration as the interval between the starts of consecutive
 * frames on the main thread (unpacedFrames). First
 * it times the first screen (bench/firstScreen.ts: the JavaScript loaded, and
 * navigation to the drawn empty state over BENCH_FIRST_SCREEN_LOADS fresh
 * loads, 7 by default; BENCH_FIRST_SCREEN_BASELINE=DIR adds another build's
 * out/renderer in the same run). With BENCH_BASELINE=FILE (an earlier run's
 * renderer.json, e.g. of the commit before a change) it shows both; with
 * BENCH_TRACE_FILE=FILE it saves the trace for DevTools' performance panel,
 * with BENCH_CPU_PROFILE=FILE.cpuprofile a JavaScript profile of the same frames.
 *   npm run bench:renderer
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../test/fixtures/chromium';
import { ensureBuilt } from '../test/fixtures/ensureBuilt';
import { measureFirstScreens, type FirstScreen } from './firstScreen';
import { cpuProfileWhile, frameProfile, traceWhile, type FrameProfile } from './frameProfile';
import { describeFrameDurations, frameDurations, type FrameDurations } from './frameDurations';
import { openRendererPage } from './rendererPage';

const ROOT = resolve(import.meta.dirname, '..');
const RENDERER = join(ROOT, 'out/renderer');
const ORIGIN = 'http://hopscope.bench';

const HOPS = 30;
const RESPONDERS = 4;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3600);
/** Rounds fed (after the timed ones) while tracing: tracing slows frames, so they are not timed. */
const PROFILE_ROUNDS = Number(process.env.BENCH_PROFILE_ROUNDS ?? 300);
/** Rounds timed without vsync (after a warm-up that fills every TTL's sample list), and the flags for it. */
const UNPACED_ROUNDS = Number(process.env.BENCH_UNPACED_ROUNDS ?? 1200);
const UNPACED_WARMUP_ROUNDS = 300;
const UNPACED_ARGS = ['--disable-gpu-vsync', '--disable-frame-rate-limit'];
/** Heap is compared between one simulated minute and the end. */
const EARLY_ROUND = 60;
/** Fresh page loads timed for the first screen (the median is reported). */
const FIRST_SCREEN_LOADS = Number(process.env.BENCH_FIRST_SCREEN_LOADS ?? 7);

interface PageResult {
  frames: number;
  synthesisMs: number;
  frameMs: { p50: number; p95: number; p99: number; max: number };
  frameStartMs: { p50: number; p95: number; p99: number; max: number };
  updateMs: { p50: number; p95: number; max: number };
  heapBytes: { afterEarly: number | null; afterAll: number | null };
  domNodes: { afterEarly: number | null; afterAll: number };
  hopNodes: number;
  hopRows: number;
  sparklines: number;
}

const mb = (bytes: number | null) => (bytes === null ? null : Math.round((bytes / 1024 / 1024) * 10) / 10);
const round2 = (ms: number) => Math.round(ms * 100) / 100;

interface Baseline {
  frameMs: PageResult['frameMs'];
  unpacedFrameMs?: PageResult['frameMs'];
  firstScreen: { emptyStateDrawnMs: number; jsBytes: number };
  profile?: FrameProfile & { frameDurations?: FrameDurations };
}

/** The figures of an earlier run (BENCH_BASELINE), to print beside this one's. */
function readBaseline(): Baseline | null {
  const file = process.env.BENCH_BASELINE;
  if (!file) return null;
  const { frameMs, unpacedFrameMs, firstScreen, profile } = JSON.parse(readFileSync(file, 'utf8')) as Baseline;
  return { frameMs, unpacedFrameMs, firstScreen, profile };
}

function printProfile(profile: FrameProfile & { frameDurations: FrameDurations }, before: Baseline | null): void {
  const was = (ms: number | undefined) => (before?.profile === undefined || ms === undefined ? '' : `  (before ${ms})`);
  console.log(`where a frame's time goes (CPU ms per frame, mean over ${profile.frames} traced frames):`);
  for (const [category, ms] of Object.entries(profile.mainThreadMsPerFrame)) {
    const old = before?.profile?.mainThreadMsPerFrame[category as keyof FrameProfile['mainThreadMsPerFrame']];
    console.log(`  ${category.padEnd(16)} ${String(ms).padStart(7)}${was(old)}`);
  }
  console.log(
    `  ${'main thread busy'.padEnd(16)} ${String(profile.busyMsPerFrame).padStart(7)}${was(before?.profile?.busyMsPerFrame)}`,
  );
  console.log(
    `  ${'raster (workers)'.padEnd(16)} ${String(profile.rasterMsPerFrame).padStart(7)}${was(before?.profile?.rasterMsPerFrame)}`,
  );
  for (const line of describeFrameDurations(profile.frameDurations, before?.profile?.frameDurations)) console.log(line);
  if (before !== null) {
    const unpaced = before.unpacedFrameMs;
    console.log(
      `before: p50/p95/p99 vsync interval ${before.frameMs.p50}/${before.frameMs.p95}/${before.frameMs.p99} ms, ` +
        (unpaced ? `unpaced ${unpaced.p50}/${unpaced.p95}/${unpaced.p99} ms, ` : '') +
        `${Math.round(before.firstScreen.jsBytes / 1024)} kB initial JS, empty state at ${before.firstScreen.emptyStateDrawnMs} ms`,
    );
  }
}

const kB = (bytes: number) => `${Math.round(bytes / 1000)} kB (${Math.round(bytes / 1024)} KiB)`;

function printFirstScreen(current: FirstScreen, baseline: FirstScreen | undefined): void {
  console.log(
    `first screen: empty state drawn ${current.emptyStateDrawnMs} ms after navigation (median of ` +
      `${current.loadsMs.length} loads), ${kB(current.jsBytes)} of JavaScript loaded`,
  );
  if (baseline === undefined) return;
  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  console.log(
    `baseline build: ${baseline.emptyStateDrawnMs} ms, ${kB(baseline.jsBytes)}; this build ×` +
      `${ratio(current.emptyStateDrawnMs, baseline.emptyStateDrawnMs)} the time, ×${ratio(current.jsBytes, baseline.jsBytes)} the bytes`,
  );
}

/** The built renderer in a new page of `browser`, a trace started from its form, and a way to feed it rounds. */
async function openBenchPage(browser: Browser) {
  const errors: string[] = [];
  const page = await openRendererPage(browser, { rendererDir: RENDERER, origin: ORIGIN, errors });
  await page.goto(`${ORIGIN}/index.html`);
  // Start a trace the way a person does; the fake engine answers.
  await page.locator('[data-testid="target-input"]').fill('192.0.2.30');
  await page.locator('[data-testid="start-button"]').click();
  await page.locator('[data-testid="stop-button"]').waitFor();
  const feed = async (rounds: number, heapEarlyRound?: number) =>
    (await page.evaluate(
      `window.__runRendererBench(${JSON.stringify({ hopCount: HOPS, responders: RESPONDERS, rounds, heapEarlyRound })})`,
    )) as PageResult;
  return { page, errors, feed };
}

const rounded = (p: PageResult['frameMs']) =>
  Object.fromEntries(Object.entries(p).map(([k, v]) => [k, round2(v)])) as PageResult['frameMs'];

/**
 * Each frame's own duration with nothing pacing it: Chromium without vsync
 * or a frame-rate limit starts the next frame as soon as the last one is
 * done, so the interval between the starts of consecutive frames on the main
 * thread (performance.now() as the frame's first animation-frame callback
 * runs) is the time the app took to produce one: its update, style, layout,
 * paint and commit, and any wait for the last frame's raster. Not the
 * callbacks' timestamps: those are the times viz sent each BeginFrame, and
 * its unthrottled source still gives every BeginFrame a 16.67 ms interval and
 * a deadline 16.67 ms after its time, so a BeginFrame sent when the deadline
 * passed while the renderer was still busy waits before the frame starts (in
 * a trace at load average 3, p50 7.8 ms), and frames that miss the deadline
 * get timestamps exactly 16.67 ms apart however long they took (kept as
 * beginFrameIntervalMs, for comparison). A fresh page, warmed up until the
 * sample lists are full, then timed.
 */
async function unpacedFrames(): Promise<{
  warmupRounds: number;
  frameMs: PageResult['frameMs'];
  beginFrameIntervalMs: PageResult['frameMs'];
  frames: number;
}> {
  const browser = await launchChromium(UNPACED_ARGS);
  try {
    const { errors, feed } = await openBenchPage(browser);
    await feed(UNPACED_WARMUP_ROUNDS);
    const timed = await feed(UNPACED_ROUNDS);
    if (errors.length > 0) throw new Error(`page errors (unpaced run): ${errors.join('; ')}`);
    return {
      warmupRounds: UNPACED_WARMUP_ROUNDS,
      frameMs: rounded(timed.frameStartMs),
      beginFrameIntervalMs: rounded(timed.frameMs),
      frames: timed.frames,
    };
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  ensureBuilt();
  // Precise heap figures, and gc() before each reading so uncollected garbage doesn't count.
  const browser = await launchChromium(['--enable-precise-memory-info', '--js-flags=--expose-gc']);
  try {
    // What the first screen costs, this build's and (BENCH_FIRST_SCREEN_BASELINE) another's, in fresh pages.
    const firstScreenErrors: string[] = [];
    const baselineDir = process.env.BENCH_FIRST_SCREEN_BASELINE;
    const builds = { current: RENDERER, ...(baselineDir ? { baseline: resolve(baselineDir) } : {}) };
    const screens = await measureFirstScreens(browser, builds, FIRST_SCREEN_LOADS, firstScreenErrors);
    const firstScreen = screens.current!;

    const { page, errors, feed } = await openBenchPage(browser);
    errors.push(...firstScreenErrors);

    console.log(`feeding ${ROUNDS} rounds of ${HOPS} hops × ${RESPONDERS} responders…`);
    const started = Date.now();
    const result = await feed(ROUNDS, EARLY_ROUND);
    const wallSec = (Date.now() - started) / 1000;

    console.log(`tracing ${PROFILE_ROUNDS} more rounds…`);
    let traced: PageResult | undefined;
    const feedTraced = async () => {
      traced = await feed(PROFILE_ROUNDS);
    };
    const cpuProfileFile = process.env.BENCH_CPU_PROFILE;
    const events = await traceWhile(page, async () => {
      if (!cpuProfileFile) return feedTraced();
      writeFileSync(cpuProfileFile, JSON.stringify(await cpuProfileWhile(page, feedTraced)));
    });
    const profile = frameProfile(events, traced!.frames, traced!.synthesisMs);
    const durations = frameDurations(events);
    // For a closer look: DevTools' performance panel opens this file.
    if (process.env.BENCH_TRACE_FILE)
      writeFileSync(process.env.BENCH_TRACE_FILE, JSON.stringify({ traceEvents: events }));
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    if (result.hopNodes !== HOPS * RESPONDERS)
      throw new Error(`expected ${HOPS * RESPONDERS} nodes, saw ${result.hopNodes}`);
    console.log(`timing ${UNPACED_ROUNDS} rounds in a Chromium without vsync…`);
    const unpaced = await unpacedFrames();

    const { afterEarly, afterAll } = result.heapBytes;
    const output = {
      benchmark: `renderer: ${HOPS} hops × ${RESPONDERS} responders, 1 sample/s per responder, ${ROUNDS} rounds (one batch per round, one round per frame)`,
      rounds: ROUNDS,
      firstScreen,
      ...(screens.baseline ? { firstScreenBaseline: { build: baselineDir, ...screens.baseline } } : {}),
      frames: result.frames,
      /** The interval between animation frames on Chromium's 60 Hz vsync: 16.67 ms at best, 33.33 when one is missed. */
      frameMs: rounded(result.frameMs),
      updateMs: {
        p50: round2(result.updateMs.p50),
        p95: round2(result.updateMs.p95),
        max: round2(result.updateMs.max),
      },
      /**
       * Each frame's own duration with vsync and the frame-rate limit off: the interval between the
       * starts of consecutive frames on the main thread (see unpacedFrames).
       */
      unpacedFrameMs: {
        ...unpaced.frameMs,
        frames: unpaced.frames,
        chromiumArgs: UNPACED_ARGS,
        beginFrameIntervalMs: unpaced.beginFrameIntervalMs,
      },
      heapMB: { [`after ${EARLY_ROUND} rounds`]: mb(afterEarly), [`after ${ROUNDS} rounds`]: mb(afterAll) },
      heapRatio: afterEarly && afterAll ? Math.round((afterAll / afterEarly) * 100) / 100 : null,
      // Both should stay near 1: nothing a long session accumulates may grow with it.
      domNodeRatio: result.domNodes.afterEarly
        ? Math.round((result.domNodes.afterAll / result.domNodes.afterEarly) * 100) / 100
        : null,
      rendered: {
        hopNodes: result.hopNodes,
        hopRows: result.hopRows,
        sparklines: result.sparklines,
        domNodes: result.domNodes.afterAll,
      },
      profile: { rounds: PROFILE_ROUNDS, ...profile, frameDurations: durations },
      before: readBaseline(),
      wallSeconds: Math.round(wallSec * 10) / 10,
      /** The machine's 1/5/15-minute load average as the run ended: frame times on a shared machine depend on it. */
      loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
      chromium: browser.version(),
    };
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench/results/renderer.json'), JSON.stringify(output, null, 2) + '\n');
    console.log(JSON.stringify(output, null, 2));
    const early = output.heapMB[`after ${EARLY_ROUND} rounds`];
    const end = output.heapMB[`after ${ROUNDS} rounds`];
    printFirstScreen(firstScreen, screens.baseline);
    const { frameMs: paced, unpacedFrameMs: own } = output;
    console.log(
      `frames p50/p95/p99: vsync intervals ${paced.p50}/${paced.p95}/${paced.p99} ms; own durations (no vsync, ` +
        `interval between frame starts) ${own.p50}/${own.p95}/${own.p99} ms (load average ${output.loadAverage.join(', ')})`,
    );
    const beginFrames = own.beginFrameIntervalMs;
    console.log(
      `  (the same frames by their BeginFrame timestamps: ${beginFrames.p50}/${beginFrames.p95}/${beginFrames.p99} ms)`,
    );
    console.log(
      `p95 update ${output.updateMs.p95} ms; heap ${early} MB after ` +
        `${EARLY_ROUND} rounds → ${end} MB after ${ROUNDS} (×${output.heapRatio}); DOM nodes ×${output.domNodeRatio}`,
    );
    printProfile(output.profile, output.before);
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

/**
 * The renderer's memory with a 1 h and a 24 h stored session open: each
 * simulated session (bench/simulatedSession.ts, 30 hops × 1 sample/s) is
 * written into its own history file, served by the browser harness and
 * opened from the sessions list in Chromium. The JS heap is read after a
 * forced GC (CDP HeapProfiler.collectGarbage, then Runtime.getHeapUsage) with
 * the timeline showing the whole session, and again after rounds of wheel
 * zoom and axis drags that end back on the whole session; a heap that grew
 * round after round would be a leak. A 3 h session too: an opened stored
 * session is sent each hop's newest DEFAULT_SAMPLES_PER_HOP samples (10 min
 * of this one) and reads its statistics and timeline from the store, so 1 h,
 * 3 h and 24 h should hold the same. Prints 24 h ÷ 1 h and 24 h ÷ 3 h. Then a live tab (bench/liveTabMemory.ts): a 24 h live session
 * (30 hops × 4 responders) fed through the renderer benchmark's fake engine,
 * 60 rounds per frame, its heap read at 1, 6, 12, 18 and 24 h; prints 24 h ÷
 * 1 h. Saves both parts to bench/results/renderer-memory.json.
 *   npm run bench:renderer-memory        (BENCH_LONG_HOURS=4 for a quick run, BENCH_GESTURE_ROUNDS=N for more rounds;
 *   BENCH_LIVE_HOURS, BENCH_LIVE_ROUNDS_PER_FRAME for the live tab, BENCH_LIVE_ONLY=1 for it alone,
 *   BENCH_LIVE_HEAP_SNAPSHOTS=DIR to save its heap snapshots and print what grew by V8 node type)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startHarness } from '../src/harness/server';
import { launchChromium, openAppPage } from '../test/fixtures/chromium';
import { ensureBuilt } from '../test/fixtures/ensureBuilt';
import { runBenchmark, saveResult } from './benchRunner';
import { heapRatio, readMemory, type Reading } from './heapReading';
import { growthByKind, LIVE_HOPS, LIVE_RESPONDERS, measureLiveTab } from './liveTabMemory';
import { HOUR_ROUNDS } from './simulatedSession';
import { writeSession } from './timelineBench';

const ROOT = resolve(import.meta.dirname, '..');
const LONG_HOURS = Number(process.env.BENCH_LONG_HOURS ?? 24);
/** Longer than one document of every sample carries (MAX_OPENED_SAMPLES, about 1.85 h of this session). */
const CAPPED_HOURS = 3;
/** Rounds of zooming and panning after the first reading: each ends with a reading. */
const GESTURE_ROUNDS = Number(process.env.BENCH_GESTURE_ROUNDS ?? 3);
const WHEEL_STEPS = 24;
/** The live tab's session length, and how many of its rounds (simulated seconds) go in one animation frame. */
const LIVE_HOURS = Number(process.env.BENCH_LIVE_HOURS ?? 24);
const LIVE_ROUNDS_PER_FRAME = Number(process.env.BENCH_LIVE_ROUNDS_PER_FRAME ?? 60);
/** Only the live tab (its figures alone then go to the JSON file). */
const LIVE_ONLY = process.env.BENCH_LIVE_ONLY === '1';
/** A directory for the live tab's heap snapshots at each reading (DevTools' memory panel opens them). */
const LIVE_SNAPSHOTS = process.env.BENCH_LIVE_HEAP_SNAPSHOTS;

const tid = (id: string) => `[data-testid="${id}"]`;
/** Zooms in from the whole session to minutes, pans there and at every depth on the way out, back to the whole. */
async function zoomAndPan(page: Page): Promise<void> {
  const plot = (await page.locator(tid('timeline-series')).first().boundingBox())!;
  const axis = (await page.locator('.hs-tl-axis-strip').boundingBox())!;
  const centre = { x: plot.x + plot.width / 2, y: plot.y + plot.height / 2 };
  const drag = async (from: number, to: number) => {
    const y = axis.y + axis.height / 2;
    await page.mouse.move(axis.x + axis.width * from, y);
    await page.mouse.down();
    await page.mouse.move(axis.x + axis.width * to, y, { steps: 20 });
    await page.mouse.up();
    await page.waitForTimeout(200);
  };
  for (const direction of [-1, 1]) {
    for (let step = 0; step < WHEEL_STEPS; step++) {
      await page.mouse.move(centre.x, centre.y);
      await page.mouse.wheel(0, direction * 120);
      await page.waitForTimeout(step % 6 === 5 ? 300 : 30);
      if (step % 6 === 5) {
        await drag(0.7, 0.3);
        await drag(0.3, 0.7);
      }
    }
  }
  // Past the zoom-out limit, so every round ends on the whole session whatever the steps did.
  for (let step = 0; step < 8; step++) await page.mouse.wheel(0, 120);
}

interface SessionMemory {
  hours: number;
  samples: number;
  whole: Reading;
  afterGestures: Reading[];
}

async function measureSession(browser: Browser, dir: string, hours: number): Promise<SessionMemory> {
  const historyPath = join(dir, `${hours}h.duckdb`);
  const { samples } = await writeSession(historyPath, Math.round(hours * HOUR_ROUNDS));
  const harness = await startHarness({ rendererDir: join(ROOT, 'out/renderer'), historyPath });
  const errors: string[] = [];
  const page = await openAppPage(browser, harness.url, { viewport: { width: 1440, height: 900 } }, errors);
  try {
    await page.locator(tid('history-toggle')).click();
    await page.locator(`${tid('session-item')} ${tid('session-open')}`).click({ timeout: 120_000 });
    await page.locator(`${tid('timeline')}[data-state="ready"]`).waitFor({ timeout: 120_000 });
    const whole = await readMemory(page);
    const afterGestures: Reading[] = [];
    for (let round = 0; round < GESTURE_ROUNDS; round++) {
      await zoomAndPan(page);
      afterGestures.push(await readMemory(page));
    }
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    return { hours, samples, whole, afterGestures };
  } finally {
    await page.context().close();
    await harness.close();
  }
}

const ratios = (long: SessionMemory, short: SessionMemory) => ({
  whole: heapRatio(long.whole, short.whole),
  afterGestures: heapRatio(long.afterGestures.at(-1)!, short.afterGestures.at(-1)!),
});

/** The stored-session part: opens each session, prints and returns its figures. */
async function storedSessions(browser: Browser, dir: string) {
  const sessions: SessionMemory[] = [];
  for (const hours of [1, CAPPED_HOURS, LONG_HOURS]) sessions.push(await measureSession(browser, dir, hours));
  const [short, capped, long] = sessions as [SessionMemory, SessionMemory, SessionMemory];
  const result = {
    benchmark: `renderer JS heap after a forced GC, 1 h, ${CAPPED_HOURS} h and ${LONG_HOURS} h stored session open (30 hops × 1 sample/s)`,
    sessions,
    heapRatioLongToOneHour: ratios(long, short),
    heapRatioLongToCapped: ratios(long, capped),
  };
  for (const s of sessions) {
    const gestures = s.afterGestures.map((r) => `${r.heapUsedMb}`).join(' → ');
    console.log(
      `${s.hours} h (${s.samples} samples): JS heap ${s.whole.heapUsedMb} MB used / ${s.whole.heapTotalMb} MB ` +
        `committed, ${s.whole.domNodes} DOM nodes (load ${s.whole.loadAverage}); after each zoom/pan round ` +
        `${gestures} MB, ${s.afterGestures.at(-1)!.domNodes} DOM nodes`,
    );
  }
  for (const [name, r] of [
    ['1 h', result.heapRatioLongToOneHour],
    [`${CAPPED_HOURS} h`, result.heapRatioLongToCapped],
  ] as const) {
    console.log(
      `JS heap ${LONG_HOURS} h / ${name}: ${r.whole} with the whole session shown, ` +
        `${r.afterGestures} after zooming and panning (target ≤ 1.1)`,
    );
  }
  return result;
}

/** The live-tab part: feeds one live tab to LIVE_HOURS, prints and returns its readings. */
async function liveTab(browser: Browser) {
  const hours = [1, ...[1, 2, 3, 4].map((q) => (LIVE_HOURS * q) / 4).filter((h) => h > 1)];
  console.log(
    `live tab: feeding ${LIVE_HOURS} h of ${LIVE_HOPS} hops × ${LIVE_RESPONDERS} responders, ` +
      `${LIVE_ROUNDS_PER_FRAME} rounds per frame…`,
  );
  const readings = await measureLiveTab(
    browser,
    join(ROOT, 'out/renderer'),
    hours,
    HOUR_ROUNDS,
    LIVE_ROUNDS_PER_FRAME,
    LIVE_SNAPSHOTS,
  );
  const first = readings[0]!;
  const last = readings.at(-1)!;
  const result = {
    benchmark:
      `renderer JS heap after a forced GC in a live tab, ${LIVE_HOPS} hops × ${LIVE_RESPONDERS} responders, ` +
      `1 round per simulated second fed ${LIVE_ROUNDS_PER_FRAME} rounds per frame, read at ${hours.join(', ')} h`,
    roundsPerFrame: LIVE_ROUNDS_PER_FRAME,
    readings,
    heapRatioLongToOneHour: heapRatio(last, first),
    domNodeRatioLongToOneHour: Math.round((last.domNodes / first.domNodes) * 1000) / 1000,
  };
  console.log(
    `live tab JS heap ${last.hours} h / 1 h: ${result.heapRatioLongToOneHour} (${last.heapUsedMb} / ` +
      `${first.heapUsedMb} MB; DOM nodes ${last.domNodes} / ${first.domNodes}) (target ≤ 1.1)`,
  );
  if (first.heapMbByKind && last.heapMbByKind) {
    const growth = growthByKind(first.heapMbByKind, last.heapMbByKind).slice(0, 4);
    console.log(
      `heap snapshot ${last.hours} h − 1 h by V8 node type: ${growth.map(([k, d]) => `${k} ${d} MB`).join(', ')}`,
    );
  }
  return result;
}

async function main(): Promise<void> {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-renderer-memory-'));
  const browser = await launchChromium();
  try {
    const stored = LIVE_ONLY ? {} : await storedSessions(browser, dir);
    const live = await liveTab(browser);
    saveResult('renderer-memory.json', {
      ...stored,
      liveTab: live,
      target: { heapRatio: 1.1 },
      chromium: browser.version(),
    });
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

runBenchmark(main);

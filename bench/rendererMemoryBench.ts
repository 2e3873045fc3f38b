/**
 * The renderer's memory with a 1 h and a 24 h stored session open: each
 * simulated session (bench/simulatedSession.ts, 30 hops × 1 sample/s) is
 * written into its own history file, served by the browser harness and
 * opened from the sessions list in Chromium. The JS heap is read after a
 * forced GC (CDP HeapProfiler.collectGarbage, then Runtime.getHeapUsage) with
 * the timeline showing the whole session, and again after rounds of wheel
 * zoom and axis drags that end back on the whole session; a heap that grew
 * round after round would be a leak. A 3 h session too: an opened stored
 * session carries at most MAX_OPENED_SAMPLES samples (about 1.85 h of this
 * one), so 1 h is below that bound and 3 h at it. Prints 24 h ÷ 1 h and
 * 24 h ÷ 3 h and saves bench/results/renderer-memory.json.
 *   npm run bench:renderer-memory        (BENCH_LONG_HOURS=4 for a quick run, BENCH_GESTURE_ROUNDS=N for more rounds)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startHarness } from '../src/harness/server';
import { launchChromium, openAppPage } from '../test/fixtures/chromium';
import { ensureBuilt } from '../test/fixtures/ensureBuilt';
import { runBenchmark, saveResult } from './benchRunner';
import { HOUR_ROUNDS } from './simulatedSession';
import { writeSession } from './timelineBench';

const ROOT = resolve(import.meta.dirname, '..');
const LONG_HOURS = Number(process.env.BENCH_LONG_HOURS ?? 24);
/** Long enough that the opened tab carries its MAX_OPENED_SAMPLES-bounded newest window. */
const CAPPED_HOURS = 3;
/** Rounds of zooming and panning after the first reading: each ends with a reading. */
const GESTURE_ROUNDS = Number(process.env.BENCH_GESTURE_ROUNDS ?? 3);
const WHEEL_STEPS = 24;

const tid = (id: string) => `[data-testid="${id}"]`;
const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 100) / 100;
const load = () => Number(loadavg()[0]!.toFixed(2));

interface Reading {
  /** After a forced GC: what the page's JS objects take, and what V8 has committed for them. */
  heapUsedMb: number;
  heapTotalMb: number;
  domNodes: number;
  loadAverage: number;
}

async function read(page: Page): Promise<Reading> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await page.waitForTimeout(1500); // let the debounced fetch land and React commit
    // Twice: objects freed by the first collection's finalizers go in the second.
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const nodes = metrics.find((m) => m.name === 'Nodes')?.value ?? NaN;
    return { heapUsedMb: mb(heap.usedSize), heapTotalMb: mb(heap.totalSize), domNodes: nodes, loadAverage: load() };
  } finally {
    await cdp.detach();
  }
}

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
    const whole = await read(page);
    const afterGestures: Reading[] = [];
    for (let round = 0; round < GESTURE_ROUNDS; round++) {
      await zoomAndPan(page);
      afterGestures.push(await read(page));
    }
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    return { hours, samples, whole, afterGestures };
  } finally {
    await page.context().close();
    await harness.close();
  }
}

const ratio = (long: Reading, short: Reading) => Math.round((long.heapUsedMb / short.heapUsedMb) * 1000) / 1000;
const ratios = (long: SessionMemory, short: SessionMemory) => ({
  whole: ratio(long.whole, short.whole),
  afterGestures: ratio(long.afterGestures.at(-1)!, short.afterGestures.at(-1)!),
});

async function main(): Promise<void> {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-renderer-memory-'));
  const browser = await launchChromium();
  try {
    const sessions: SessionMemory[] = [];
    for (const hours of [1, CAPPED_HOURS, LONG_HOURS]) sessions.push(await measureSession(browser, dir, hours));
    const [short, capped, long] = sessions as [SessionMemory, SessionMemory, SessionMemory];
    const result = {
      benchmark: `renderer JS heap after a forced GC, 1 h, ${CAPPED_HOURS} h and ${LONG_HOURS} h stored session open (30 hops × 1 sample/s)`,
      sessions,
      heapRatioLongToOneHour: ratios(long, short),
      heapRatioLongToCapped: ratios(long, capped),
      target: { heapRatio: 1.1 },
      chromium: browser.version(),
    };
    saveResult('renderer-memory.json', result);
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
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

runBenchmark(main);

/**
 * The timeline over a simulated 24 h session (bench/simulatedSession.ts: 30
 * hops × 1 sample/s, loss, two path changes) written through the real store
 * into a history file, served by the browser harness and opened from the
 * sessions list in Chromium, with two hops pinned (three series). The wheel
 * zooms from the whole day down to about a minute and back, and dragging the
 * time axis pans; meanwhile every animation frame's interval is recorded
 * (and long tasks). Those intervals are paced by the 60 Hz vsync (16.7 ms at
 * best), so the same gestures run again under Chromium's tracing for each
 * frame's own duration and what it was spent on (bench/frameDurations.ts).
 * Prints and saves both per gesture, the load average, and the time the
 * store took to answer each view (all series and markers).
 *   npm run bench:timeline            (BENCH_HOURS=2 for a quick run;
 *   BENCH_TRACE_FILE=PREFIX saves the traces as PREFIX.zoom.json and PREFIX.pan.json)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { HistoryStore } from '../src/main/history';
import { startHarness } from '../src/harness/server';
import { traceOptionsSchema } from '@shared/traceOptions';
import { launchChromium, openAppPage } from '../test/fixtures/chromium';
import { ensureBuilt } from '../test/fixtures/ensureBuilt';
import { runBenchmark, saveResult } from './benchRunner';
import { describeFrameDurations, frameDurations } from './frameDurations';
import { traceWhile } from './frameProfile';
import { seededRandom } from './seededRandom';
import { HOPS, writeRound } from './simulatedSession';

const ROOT = resolve(import.meta.dirname, '..');
const HOURS = Number(process.env.BENCH_HOURS ?? 24);
const ROUNDS = Math.round(HOURS * 3600);
const FLUSH_EVERY = 600;
const TARGET = '203.0.113.30';
/** Wheel steps per burst, and bursts: a pause after each lets the store's answer arrive and be drawn. */
const WHEEL_STEPS = 12;
const ZOOM_BURSTS = 4;
const PAN_DRAGS = 4;

const tid = (id: string) => `[data-testid="${id}"]`;

/** Writes the session so it ends a minute ago (the harness's retention keeps it). */
export async function writeSession(path: string, rounds = ROUNDS): Promise<{ seconds: number; samples: number }> {
  const started = process.hrtime.bigint();
  const t0 = Date.now() - rounds * 1000 - 60_000;
  const options = traceOptionsSchema.parse({ target: TARGET, intervalSec: 1, dns: false });
  const store = await HistoryStore.open(path);
  const session = store.beginSession({
    uid: 'bench-timeline',
    startedAt: t0,
    target: TARGET,
    options,
    mtrPacketVersion: '0.95',
  });
  store.beginSegment({ session, segment: 0, startedAt: t0, firstRound: 0, reason: 'start', options });
  const random = seededRandom(42);
  for (let round = 0; round < rounds; round++) {
    writeRound(store, session, round, t0, random);
    if (round % FLUSH_EVERY === FLUSH_EVERY - 1) await store.flush();
  }
  const end = t0 + (rounds - 1) * 1000;
  // One mtr-packet restart, so the timeline has every kind of mark but errors.
  store.addEvent({
    session,
    at: t0 + Math.floor((rounds * 5) / 24) * 1000,
    kind: 'helper-restarted',
    ttl: null,
    detail: null,
  });
  store.updateSession(session, {
    lastAt: end,
    endedAt: end,
    state: 'finished',
    rounds,
    targetAddress: TARGET,
    ipVersion: 4,
    destinationTtl: HOPS,
  });
  await store.close();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, samples: rounds * HOPS };
}

/** Frame intervals, long tasks and each view's fetch time, recorded in the page. */
const RECORDER = `(() => {
  const rec = { frames: [], longTasks: [], fetches: [], updates: [], unchanged: 0, pending: null, on: false, last: null };
  const loop = (t) => {
    if (rec.on && rec.last !== null) rec.frames.push(t - rec.last);
    // An input that changed nothing (a wheel past the zoom limits) is no update: forget it after a few frames.
    if (rec.pending !== null && performance.now() - rec.pending > 250) { rec.pending = null; rec.unchanged++; }
    rec.last = t;
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  new PerformanceObserver((list) => {
    if (rec.on) for (const e of list.getEntries()) rec.longTasks.push(e.duration);
  }).observe({ type: 'longtask' });
  const root = document.querySelector('[data-testid="timeline"]');
  new MutationObserver(() => {
    if (rec.on) rec.fetches.push(Number(root.getAttribute('data-fetch-ms')));
  }).observe(root, { attributes: true, attributeFilter: ['data-fetch-ms'] });
  // Update cost: from an input event to React's commit of the redrawn timeline (the first DOM change after it).
  const mark = () => { if (rec.on && rec.pending === null) rec.pending = performance.now(); };
  document.addEventListener('wheel', mark, { capture: true, passive: true });
  document.addEventListener('pointermove', mark, { capture: true, passive: true });
  new MutationObserver(() => {
    if (rec.pending !== null) rec.updates.push(performance.now() - rec.pending);
    rec.pending = null;
  }).observe(root.querySelector('.hs-tl-svg'), { attributes: true, subtree: true, attributeFilter: ['d', 'x', 'width', 'transform'] });
  window.__timelineBench = rec;
})()`;

interface Phase {
  frames: number[];
  updates: number[];
  longTasks: number[];
  fetches: number[];
}

async function record(page: Page, drive: () => Promise<void>): Promise<Phase> {
  await page.evaluate(
    `Object.assign(window.__timelineBench, { frames: [], longTasks: [], fetches: [], updates: [], unchanged: 0, pending: null, on: true, last: null })`,
  );
  await drive();
  await page.waitForTimeout(400);
  return (await page.evaluate(`(() => { const r = window.__timelineBench; r.on = false; return r; })()`)) as Phase;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

const r2 = (v: number) => Math.round(v * 100) / 100;

function summarise(phase: Phase) {
  return {
    frames: phase.frames.length,
    frameMs: {
      p50: r2(quantile(phase.frames, 0.5)),
      p95: r2(quantile(phase.frames, 0.95)),
      p99: r2(quantile(phase.frames, 0.99)),
      max: r2(Math.max(...phase.frames)),
    },
    updateMs: {
      count: phase.updates.length,
      p50: r2(quantile(phase.updates, 0.5)),
      p95: r2(quantile(phase.updates, 0.95)),
      p99: r2(quantile(phase.updates, 0.99)),
    },
    longTasks: { count: phase.longTasks.length, maxMs: r2(Math.max(0, ...phase.longTasks)) },
    fetches: phase.fetches.length,
  };
}

async function main(): Promise<void> {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-timeline-bench-'));
  const historyPath = join(dir, 'history.duckdb');
  try {
    console.log(`writing ${HOURS} h × ${HOPS} hops into a history file…`);
    const written = await writeSession(historyPath);
    const harness = await startHarness({ rendererDir: join(ROOT, 'out/renderer'), historyPath });
    const browser = await launchChromium();
    try {
      const errors: string[] = [];
      const page = await openAppPage(browser, harness.url, { viewport: { width: 1440, height: 900 } }, errors);
      await page.locator(tid('history-toggle')).click();
      await page.locator(`${tid('session-item')} ${tid('session-open')}`).click({ timeout: 120_000 });
      const timeline = page.locator(`${tid('timeline')}[data-state="ready"]`);
      await timeline.waitFor({ timeout: 120_000 });
      // Three series: the destination, a pinned hop in the moved stretch and the rate-limited one selected.
      // Selected in the graph, by a click event (the box may lie outside the graph's zoomed view): the
      // path changes give the day's table over 40 rows, and it renders only those in view.
      await page
        .locator(`${tid('hop-node')}[data-ttl="15"]`)
        .first()
        .dispatchEvent('click');
      await page.locator(`${tid('timeline-pin')}[data-ttl="15"]`).click();
      await page
        .locator(`${tid('hop-node')}[data-ttl="7"]`)
        .first()
        .dispatchEvent('click');
      await page.waitForFunction(`document.querySelectorAll('[data-testid="timeline-series"]').length === 3`);
      await page.waitForTimeout(1000);
      await page.evaluate(RECORDER);
      const markers = await page.locator(tid('timeline-marker')).count();

      const plot = (await page
        .locator(`${tid('timeline-series')}`)
        .first()
        .boundingBox())!;
      const axis = (await page.locator('.hs-tl-axis-strip').boundingBox())!;
      const centre = { x: plot.x + plot.width / 2, y: plot.y + plot.height / 2 };

      const zoomGesture = async () => {
        await page.mouse.move(centre.x, centre.y);
        for (const direction of [-1, 1]) {
          for (let burst = 0; burst < ZOOM_BURSTS; burst++) {
            for (let i = 0; i < WHEEL_STEPS; i++) {
              await page.mouse.wheel(0, direction * 120);
              await page.waitForTimeout(16);
            }
            await page.waitForTimeout(300);
          }
        }
      };
      // d3-zoom scales by 2^0.24 per 120-pixel wheel step: to about an hour (or a sixth of a shorter session).
      const toHour = Math.round(Math.max(Math.log(6), Math.log(HOURS)) / Math.log(2 ** 0.24));
      /** Pan a view of about an hour: zoomed in first, outside the measurement. */
      const zoomToHour = async () => {
        await page.mouse.move(centre.x, centre.y);
        for (let i = 0; i < toHour; i++) await page.mouse.wheel(0, -120);
        await page.waitForTimeout(500);
      };
      const panGesture = async () => {
        const y = axis.y + axis.height / 2;
        for (let drag = 0; drag < PAN_DRAGS; drag++) {
          const [from, to] = drag % 2 === 0 ? [0.8, 0.2] : [0.2, 0.8];
          await page.mouse.move(axis.x + axis.width * from, y);
          await page.mouse.down();
          await page.mouse.move(axis.x + axis.width * to, y, { steps: 60 });
          await page.mouse.up();
          await page.waitForTimeout(300);
        }
      };
      /** Back to the whole session (the zoom stops there), as at the start. */
      const zoomOut = async () => {
        await page.mouse.move(centre.x, centre.y);
        for (let i = 0; i < toHour + 4; i++) await page.mouse.wheel(0, 120);
        await page.waitForTimeout(500);
      };

      const zoom = await record(page, zoomGesture);
      await zoomToHour();
      const pan = await record(page, panGesture);
      // The same gestures again under Chromium's tracing, for each frame's own duration and what it was spent on
      // (tracing slows frames a little, so the intervals above come from the untraced pass).
      await zoomOut();
      const traced = async (name: string, gesture: () => Promise<void>) => {
        const events = await traceWhile(page, gesture);
        // For a closer look: DevTools' performance panel opens these files.
        if (process.env.BENCH_TRACE_FILE)
          writeFileSync(`${process.env.BENCH_TRACE_FILE}.${name}.json`, JSON.stringify({ traceEvents: events }));
        return frameDurations(events);
      };
      const zoomTrace = await traced('zoom', zoomGesture);
      await zoomToHour();
      const panTrace = await traced('pan', panGesture);
      if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);

      const fetches = [...zoom.fetches, ...pan.fetches];
      const result = {
        benchmark: `timeline: ${HOURS} h × ${HOPS} hops stored session in Chromium, 3 series, wheel zoom and axis drag`,
        samples: written.samples,
        writeSeconds: r2(written.seconds),
        markersDrawn: markers,
        /** Intervals between animation frames on the 60 Hz vsync (16.67 ms at best), per gesture. */
        zoom: summarise(zoom),
        pan: summarise(pan),
        /** Each frame's own duration from a trace of the same gestures, and what the frames spent it on. */
        ownFrames: { zoom: zoomTrace, pan: panTrace },
        fetchMs: {
          views: fetches.length,
          p50: r2(quantile(fetches, 0.5)),
          p95: r2(quantile(fetches, 0.95)),
          max: r2(Math.max(0, ...fetches)),
        },
        target: { frameP95Ms: 16 },
        chromium: browser.version(),
        /** The machine's 1/5/15-minute load average as the run ended: frame times on a shared machine depend on it. */
        loadAverage: loadavg().map((l) => r2(l)),
      };
      saveResult('timeline.json', result);
      console.log(JSON.stringify(result, null, 2));
      for (const [name, phase] of [
        ['zoom', result.zoom],
        ['pan', result.pan],
      ] as const) {
        const own = result.ownFrames[name];
        console.log(
          `${name}: ${phase.frames} frames, vsync interval p50 ${phase.frameMs.p50} ms, p95 ${phase.frameMs.p95} ms, ` +
            `p99 ${phase.frameMs.p99} ms; own duration (main thread) p50 ${own.mainMs.p50} ms, p95 ${own.mainMs.p95} ms, ` +
            `p99 ${own.mainMs.p99} ms (target p95 ≤ 16); update (input → redrawn) p95 ${phase.updateMs.p95} ms, ` +
            `p99 ${phase.updateMs.p99} ms; long tasks ${phase.longTasks.count} (max ${phase.longTasks.maxMs} ms)`,
        );
      }
      for (const name of ['zoom', 'pan'] as const) {
        console.log(`${name}:`);
        for (const line of describeFrameDurations(result.ownFrames[name])) console.log(`  ${line}`);
      }
      console.log(`load average ${result.loadAverage.join(', ')}`);
      console.log(
        `store answer per view (3 series + markers): p50 ${result.fetchMs.p50} ms, p95 ${result.fetchMs.p95} ms`,
      );
    } finally {
      await browser.close();
      await harness.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Run when started, not when another bench imports writeSession.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runBenchmark(main);

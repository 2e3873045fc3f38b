/**
 * The renderer's memory in a live tab over a long session: the built app in
 * Chromium with the fake engine of bench/rendererBenchPage.js, a trace
 * started from the form, and a simulated session of 30 hops × 4 responders
 * (one round a simulated second) fed several rounds per animation frame, so
 * 24 h takes about 1,440 frames instead of 86,400. A live tab keeps at most
 * its sample cap per TTL, so its heap should not grow with the session: it
 * is read (after a forced GC, bench/heapReading.ts) at each of `hours`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { mb, readMemory, type Reading } from './heapReading';
import { sizesByKind, takeHeapSnapshot } from './heapSnapshot';
import { openRendererPage } from './rendererPage';

const ORIGIN = 'http://hopscope.bench';
export const LIVE_HOPS = 30;
export const LIVE_RESPONDERS = 4;

export interface LiveFeedStep {
  hours: number;
  /** Rounds to feed after the previous step's reading to reach `hours`. */
  rounds: number;
}

/**
 * The feed between readings at `hours` (ascending), `hourRounds` rounds an
 * hour: each step feeds what is missing since the last reading.
 */
export function liveFeedSteps(hours: readonly number[], hourRounds: number): LiveFeedStep[] {
  let fed = 0;
  return hours.map((h, i) => {
    const total = Math.round(h * hourRounds);
    if (!(total > fed) || (i > 0 && !(h > hours[i - 1]!)))
      throw new Error(`reading hours must be positive and ascending, got ${hours.join(', ')}`);
    const step = { hours: h, rounds: total - fed };
    fed = total;
    return step;
  });
}

export interface LiveReading extends Reading {
  hours: number;
  rounds: number;
  /** Vsync intervals of the frames fed since the last reading. */
  frameMsP50: number;
  feedSeconds: number;
  /** With snapshots on: MB by V8 node type (object, code, native…) in the heap snapshot taken after the reading. */
  heapMbByKind?: Record<string, number>;
}

/** What grew (or shrank) by V8 node type from `first`'s snapshot to `last`'s, biggest change first. */
export function growthByKind(first: Record<string, number>, last: Record<string, number>): [string, number][] {
  const kinds = [...new Set([...Object.keys(first), ...Object.keys(last)])];
  return kinds
    .map((kind): [string, number] => [kind, Math.round(((last[kind] ?? 0) - (first[kind] ?? 0)) * 100) / 100])
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
}

/**
 * Feeds a live tab up to each of `hours` and reads its memory there; with
 * `snapshotDir`, also saves a heap snapshot there (live-Nh.heapsnapshot).
 */
export async function measureLiveTab(
  browser: Browser,
  rendererDir: string,
  hours: readonly number[],
  hourRounds: number,
  roundsPerFrame: number,
  snapshotDir?: string,
): Promise<LiveReading[]> {
  const errors: string[] = [];
  const page = await openRendererPage(browser, { rendererDir, origin: ORIGIN, errors });
  try {
    await page.goto(`${ORIGIN}/index.html`);
    await page.locator('[data-testid="target-input"]').fill('192.0.2.30');
    await page.locator('[data-testid="start-button"]').click();
    await page.locator('[data-testid="stop-button"]').waitFor();
    const readings: LiveReading[] = [];
    let rounds = 0;
    for (const step of liveFeedSteps(hours, hourRounds)) {
      const started = Date.now();
      const options = { hopCount: LIVE_HOPS, responders: LIVE_RESPONDERS, rounds: step.rounds, roundsPerFrame };
      const fed = (await page.evaluate(`window.__runRendererBench(${JSON.stringify(options)})`)) as {
        frameMs: { p50: number };
        hopNodes: number;
      };
      const feedSeconds = Math.round((Date.now() - started) / 100) / 10;
      rounds += step.rounds;
      if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
      if (fed.hopNodes !== LIVE_HOPS * LIVE_RESPONDERS)
        throw new Error(`expected ${LIVE_HOPS * LIVE_RESPONDERS} hop nodes, saw ${fed.hopNodes}`);
      const memory = await readMemory(page);
      const frameMsP50 = Math.round(fed.frameMs.p50 * 10) / 10;
      readings.push({ hours: step.hours, rounds, ...memory, frameMsP50, feedSeconds });
      if (snapshotDir !== undefined) {
        const snapshot = await takeHeapSnapshot(page);
        writeFileSync(join(snapshotDir, `live-${step.hours}h.heapsnapshot`), snapshot);
        const kinds = Object.entries(sizesByKind(snapshot)).map(([kind, { bytes }]) => [kind, mb(bytes)]);
        readings.at(-1)!.heapMbByKind = Object.fromEntries(kinds) as Record<string, number>;
      }
      console.log(
        `live tab at ${step.hours} h (${rounds} rounds, fed in ${feedSeconds} s): JS heap ${memory.heapUsedMb} MB ` +
          `used / ${memory.heapTotalMb} MB committed, ${memory.domNodes} DOM nodes (load ${memory.loadAverage})`,
      );
    }
    return readings;
  } finally {
    await page.context().close();
  }
}

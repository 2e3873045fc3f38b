/**
 * The timeline in Chromium through the browser harness, recording into a
 * temporary history file while the real mtr-packet probes the namespace
 * test network: a live trace draws the destination's series; pinning a hop
 * keeps its series; dragging across the chart sets the focus window; the
 * same session reopened from the sessions list draws the same timeline.
 *
 * Reverse DNS is off: lookups must not leave the machine.
 */
import { expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { describeWithNetwork } from '../net/vitestNetwork';
import { appForSuite } from './namespaceHarness';
import { activeTabId, dismissNotes, exportJson, startTrace, statusText, tableSnt, tid } from './uiSteps';

const LONG = { timeout: 60_000, interval: 200 };
const SHOTS = join(resolve(__dirname, '../..'), 'docs/screenshots');
const dir = mkdtempSync(join(tmpdir(), 'hopscope-timeline-e2e-'));

/** The TTLs of the drawn series, in row order. */
const seriesTtls = (page: Page) =>
  page
    .locator(`${tid('timeline')} ${tid('timeline-series')}`)
    .evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-ttl'))));

/** What the timeline drew: its window, and per series the bucket count and the band and average paths. */
const drawing = (page: Page) =>
  page.locator(tid('timeline')).evaluate((root) => ({
    from: root.getAttribute('data-from'),
    to: root.getAttribute('data-to'),
    series: [...root.querySelectorAll('[data-testid="timeline-series"]')].map((el) => ({
      ttl: el.getAttribute('data-ttl'),
      buckets: el.getAttribute('data-buckets'),
      band: el.querySelector('.hs-tl-band')?.getAttribute('d') ?? null,
      avg: el.querySelector('.hs-tl-avg')?.getAttribute('d') ?? null,
    })),
  }));

/** Select hop `selected` after pinning hop `pinned`, by clicking as a person would. */
async function pinThenSelect(page: Page, pinned: number, selected: number): Promise<void> {
  await page
    .locator(`${tid('hop-node')}[data-ttl="${pinned}"]`)
    .first()
    .click();
  await expect.poll(() => seriesTtls(page), LONG).toContain(pinned);
  await page.locator(`${tid('timeline-pin')}[data-ttl="${pinned}"]`).click();
  await page
    .locator(`${tid('hop-node')}[data-ttl="${selected}"]`)
    .first()
    .click();
}

/**
 * Brushes a window over the middle of a finished trace's probes and checks
 * that the table's Snt at `ttl` counts exactly the rounds sent inside it.
 * The first brush (its box and its times) gives the pixel-to-time mapping.
 */
async function brushRounds(
  page: Page,
  ttl: number,
  focus: ReturnType<Page['locator']>,
  from: number,
  to: number,
): Promise<void> {
  const first = (await focus.boundingBox())!;
  const xOf = (t: number) => first.x + ((t - from) / (to - from)) * first.width;
  await page.locator(tid('focus-select')).selectOption('whole');
  await expect.poll(() => focus.count(), LONG).toBe(0);
  const times = (await exportJson(page)).hops.find((h) => h.ttl === ttl)!.samples.map((s) => s.at);
  expect(await tableSnt(page, ttl)).toBe(times.length);
  const row = (await page.locator(`${tid('timeline-series')}[data-ttl="${ttl}"]`).boundingBox())!;
  const y = row.y + row.height / 2;
  const start = xOf(times[Math.floor(times.length / 4)]!);
  const end = xOf(times[Math.floor((times.length * 3) / 4)]!);
  await page.mouse.move(start, y);
  await page.mouse.down();
  await page.mouse.move(end, y, { steps: 5 });
  await page.mouse.up();
  await expect.poll(() => focus.count(), LONG).toBe(1);
  const window = {
    from: Number(await focus.getAttribute('data-from')),
    to: Number(await focus.getAttribute('data-to')),
  };
  const inside = times.filter((at) => at >= window.from && at < window.to).length;
  expect(inside).toBeGreaterThan(0);
  expect(inside).toBeLessThan(times.length);
  await expect.poll(() => tableSnt(page, ttl), LONG).toBe(inside);
}

describeWithNetwork('the timeline in Chromium', (getNet) => {
  let page: Page;
  const pageErrors = appForSuite(
    getNet,
    { historyPath: join(dir, 'history.duckdb') },
    { acceptDownloads: true, viewport: { width: 1360, height: 900 } },
    (opened) => (page = opened),
    () => rmSync(dir, { recursive: true, force: true }),
  );

  it('draws a live trace, pins hops, brushes a focus window, and draws the reopened session the same', async () => {
    const net = getNet();
    const dest = net.destinationTtl;
    await startTrace(page, { target: net.target.v4, protocol: 'icmp', count: 60, intervalSec: 0.1 });

    // Live: the destination's series, with buckets from the store.
    await expect.poll(() => seriesTtls(page), LONG).toEqual([dest]);
    await expect
      .poll(() => page.locator(`${tid('timeline-series')}[data-ttl="${dest}"] .hs-tl-avg`).getAttribute('d'), LONG)
      .toMatch(/^M/);
    await expect.poll(() => statusText(page, 'status-state'), LONG).toContain('Finished');

    // Selecting a hop adds its series; pinned, it stays when another hop is selected.
    await page
      .locator(`${tid('hop-node')}[data-ttl="2"]`)
      .first()
      .click();
    await expect.poll(() => seriesTtls(page), LONG).toEqual([dest, 2]);
    await page
      .locator(`${tid('hop-node')}[data-ttl="1"]`)
      .first()
      .click();
    expect(await seriesTtls(page)).toEqual([dest, 1]);
    await pinThenSelect(page, 2, 1);
    await expect.poll(() => seriesTtls(page), LONG).toEqual([dest, 2, 1]);
    expect(await page.locator(`${tid('timeline-pin')}[data-ttl="2"]`).getAttribute('aria-pressed')).toBe('true');

    // Brushing: a mouse drag across the chart sets the focus window.
    expect(await page.locator(tid('focus-window')).count()).toBe(0);
    const box = (await page.locator(`${tid('timeline-series')}[data-ttl="${dest}"]`).boundingBox())!;
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.3, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, y, { steps: 5 });
    await page.mouse.move(box.x + box.width * 0.7, y, { steps: 5 });
    await page.mouse.up();
    const focus = page.locator(tid('focus-window'));
    await expect.poll(() => focus.count(), LONG).toBe(1);
    const from = Number(await focus.getAttribute('data-from'));
    const to = Number(await focus.getAttribute('data-to'));
    expect(to).toBeGreaterThan(from);
    expect((await focus.boundingBox())!.width).toBeGreaterThan(box.width * 0.3);

    // The brushed window drives the table: brush across the middle of the probes' times, and the
    // destination's Snt becomes the number of its rounds sent inside the window.
    await brushRounds(page, dest, focus, from, to);

    await expect.poll(() => page.locator(tid('timeline')).getAttribute('data-state'), LONG).toBe('ready');
    await dismissNotes(page);
    mkdirSync(SHOTS, { recursive: true });
    await page.locator('.hs-graph-pane').screenshot({ path: join(SHOTS, 'timeline.png') });
    // The live tab's timeline once the session ended and its last record is known: it no longer changes.
    let live = await drawing(page);
    await expect
      .poll(async () => {
        const before = JSON.stringify(live);
        await page.waitForTimeout(1500);
        live = await drawing(page);
        return JSON.stringify(live) === before;
      }, LONG)
      .toBe(true);
    expect(live.series.map((s) => Number(s.buckets))).toEqual(live.series.map(() => expect.any(Number)));
    expect(live.series.every((s) => Number(s.buckets) > 0)).toBe(true);
    const liveTab = await activeTabId(page);

    // Reopened from the sessions list, with the same hops pinned and selected: the same drawing.
    await page.locator(tid('history-toggle')).click();
    const items = page.locator(tid('session-item'));
    await expect.poll(() => items.count(), LONG).toBe(1);
    await items.first().locator(tid('session-open')).click();
    await expect.poll(() => activeTabId(page), LONG).not.toBe(liveTab);
    await expect.poll(() => seriesTtls(page), LONG).toEqual([dest]);
    await pinThenSelect(page, 2, 1);
    await expect.poll(() => seriesTtls(page), LONG).toEqual([dest, 2, 1]);
    await expect.poll(() => drawing(page), LONG).toEqual(live);
    // Focus is per tab: the reopened session has none until brushed.
    expect(await page.locator(tid('focus-window')).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});

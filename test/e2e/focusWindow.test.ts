/**
 * The focus window end to end: Chromium drives the built renderer through
 * the browser harness recording into a temporary history file, while the
 * real mtr-packet probes the namespace test network. A live trace's table
 * counts the rounds of the focus chosen in the focus control (the whole
 * session, or a typed window), and Export JSON while focused writes that
 * window's samples with its `focusWindow`.
 *
 * Reverse DNS is off: lookups must not leave the machine.
 */
import { expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describeWithNetwork } from '../net/vitestNetwork';
import { appForSuite } from './namespaceHarness';
import { exportJson as download, startTrace, statusText, tableSnt, tid } from './uiSteps';

const LONG = { timeout: 60_000, interval: 200 };
const ROUNDS = 200;
const dir = mkdtempSync(join(tmpdir(), 'hopscope-focus-e2e-'));
/** The README's picture of a focus window. */
const SCREENSHOT = join(import.meta.dirname, '../../docs/screenshots/focus-window.png');

/** A datetime-local input's value (local time, to the second) for `ms`. */
function localTime(ms: number): string {
  const offset = new Date(ms).getTimezoneOffset() * 60_000;
  return new Date(ms - offset).toISOString().slice(0, 19);
}

describeWithNetwork('focus window in Chromium', (getNet) => {
  let page: Page;
  const pageErrors = appForSuite(
    getNet,
    { historyPath: join(dir, 'history.duckdb') },
    { acceptDownloads: true, viewport: { width: 1360, height: 860 } },
    (opened) => (page = opened),
    () => rmSync(dir, { recursive: true, force: true }),
  );

  it("counts the chosen focus's rounds in Snt and exports only the window", async () => {
    const net = getNet();
    const ttl = net.destinationTtl;
    await startTrace(page, { target: net.target.v4, protocol: 'icmp', count: ROUNDS, intervalSec: 0.05 });
    await expect.poll(() => statusText(page, 'status-state'), LONG).toContain('Finished');
    const destinationSnt = () => tableSnt(page, ttl);

    // A finished live trace's default focus is its last minutes: every round of this short trace.
    await expect
      .poll(() => statusText(page, 'focus-status'), LONG)
      .toMatch(new RegExp(`^Statistics for the last 10 min, .* \\(${ROUNDS} rounds\\)$`));
    await expect.poll(destinationSnt, LONG).toBe(ROUNDS);
    expect(await page.locator('thead abbr', { hasText: 'p95' }).count()).toBe(1);

    await page.locator(tid('focus-select')).selectOption('whole');
    await expect
      .poll(() => statusText(page, 'focus-status'), LONG)
      .toBe(`Statistics for the whole session (${ROUNDS} rounds)`);
    expect(await destinationSnt()).toBe(ROUNDS);

    // The whole session's export: the times its probes went out.
    const whole = await download(page);
    expect(whole.focusWindow).toBeUndefined();
    const times = whole.hops.find((h) => h.ttl === ttl)!.samples.map((s) => s.at);
    expect(times).toHaveLength(ROUNDS);
    // A window starting on the whole second nearest the middle round, ending after the last.
    const from = Math.round(times[ROUNDS / 2]! / 1000) * 1000;
    const to = Math.ceil((times.at(-1)! + 1) / 1000) * 1000;
    const inWindow = times.filter((at) => at >= from && at < to).length;
    expect(inWindow).toBeGreaterThan(0);
    expect(inWindow).toBeLessThan(ROUNDS);

    await page.locator(tid('focus-select')).selectOption('custom-new');
    await page.locator(tid('focus-from')).fill(localTime(from));
    await page.locator(tid('focus-to')).fill(localTime(to));
    await page.locator(tid('focus-apply')).click();
    await expect.poll(destinationSnt, LONG).toBe(inWindow);
    expect(await statusText(page, 'focus-status')).toMatch(
      /^Statistics for \d\d:\d\d:\d\d–\d\d:\d\d:\d\d \(\d+ rounds\)$/,
    );

    await page.screenshot({ path: SCREENSHOT });

    const focused = await download(page);
    expect(focused.focusWindow).toEqual({ from, to });
    const samples = focused.hops.find((h) => h.ttl === ttl)!.samples;
    expect(samples).toHaveLength(inWindow);
    expect(samples.every((s) => s.at >= from && s.at < to)).toBe(true);
    expect(focused.hops.find((h) => h.ttl === ttl)!.sent).toBe(inWindow);

    // Clearing the window goes back to the whole session.
    await page.locator(tid('focus-clear')).click();
    await expect.poll(destinationSnt, LONG).toBe(ROUNDS);
    expect(pageErrors).toEqual([]);
  });
});

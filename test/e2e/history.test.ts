/**
 * Session history end to end: Chromium drives the built renderer through the
 * browser harness recording into a temporary history file, while the real
 * mtr-packet probes the namespace test network. A finished trace is in the
 * sessions list; reopened, it draws the same hops, and its JSON export holds
 * every sample.
 *
 * Reverse DNS is off: lookups must not leave the machine.
 */
import { expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describeWithNetwork } from '../net/vitestNetwork';
import { appForSuite } from './namespaceHarness';
import { traceDocumentSchema } from '@shared/traceFile';
import { activeTabId, nodes, rows, startTrace, statusText, tid } from './uiSteps';

const LONG = { timeout: 60_000, interval: 200 };
const dir = mkdtempSync(join(tmpdir(), 'hopscope-history-e2e-'));

describeWithNetwork('session history in Chromium', (getNet) => {
  // What `--history FILE` gives the harness, with the namespace's lookups.
  let page: Page;
  const pageErrors = appForSuite(
    getNet,
    { historyPath: join(dir, 'history.duckdb') },
    { acceptDownloads: true, viewport: { width: 1360, height: 860 } },
    (opened) => (page = opened),
    () => rmSync(dir, { recursive: true, force: true }),
  );

  it('lists a finished live trace; reopened, it draws the same hops and exports every sample', async () => {
    const net = getNet();
    const ROUNDS = 5;
    await startTrace(page, { target: net.target.v4, protocol: 'icmp', count: ROUNDS, intervalSec: 0.1 });
    await expect.poll(() => statusText(page, 'status-state'), LONG).toContain('Finished');
    const liveNodes = await nodes(page);
    const liveRows = await rows(page);
    expect(liveNodes.length).toBeGreaterThanOrEqual(net.destinationTtl);
    const liveTab = await activeTabId(page);

    await page.locator(tid('history-toggle')).click();
    const items = page.locator(tid('session-item'));
    await expect.poll(() => items.count(), LONG).toBe(1);
    expect(await items.first().textContent()).toContain(net.target.v4);
    expect(await page.locator(tid('sessions-list')).isVisible()).toBe(true);

    await items.first().locator(tid('session-open')).click();
    await expect.poll(() => activeTabId(page), LONG).not.toBe(liveTab);
    await expect.poll(() => page.locator(tid('file-panel')).textContent(), LONG).toContain('Stored session');
    expect(await nodes(page)).toEqual(liveNodes);
    expect(await rows(page)).toEqual(liveRows);

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(tid('export-json')).click()]);
    const doc = traceDocumentSchema.parse(JSON.parse(await readFile((await download.path())!, 'utf8')));
    expect(doc.version).toBe(2);
    expect(doc.segments).toHaveLength(1);
    expect(doc.hops.map((h) => h.samples.length)).toEqual(doc.hops.map(() => ROUNDS));
    expect(pageErrors).toEqual([]);
  });
});

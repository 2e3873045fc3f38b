/**
 * Export session and opening the file again, in Chromium through the
 * browser harness on a history file written for the test (no probing:
 * nothing leaves the machine). The export is a download of a DuckDB file
 * holding every sample; Open uploads it and the tab is a read-only stored
 * session whose timeline and statistics the harness reads from that file,
 * as for a session from the list; closing the tab closes the file. Dropped
 * on the window, it opens the same way. A
 * damaged file gets a banner naming the problem and the view stays as it was.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isSessionFileId } from '@shared/sessionFileFormat';
import { HistoryStore } from '../../src/main/history';
import { activeTabId, tableSnt, tid } from './uiSteps';
import { openLongSessionPage, ROOT, ROUNDS, TTLS, type LongSessionPage } from './longStoredSession';

const LONG = { timeout: 30_000 };
let opened: LongSessionPage;
let page: Page;
let dir: string;
/** Calls the page made over the socket, by request id, and whether they succeeded. */
const calls = new Map<number, { name: string; id?: number; ok?: boolean }>();

beforeAll(async () => {
  opened = await openLongSessionPage('hopscope-session-file-e2e-');
  ({ page, dir } = opened);
  page.on('websocket', (socket) => {
    socket.on('framesent', ({ payload }) => {
      const m = JSON.parse(String(payload)) as { t?: string; id?: number; name?: string; payload?: { id?: unknown } };
      if (m.t !== 'invoke' || typeof m.id !== 'number') return;
      calls.set(m.id, { name: String(m.name), ...(typeof m.payload?.id === 'number' ? { id: m.payload.id } : {}) });
    });
    socket.on('framereceived', ({ payload }) => {
      const m = JSON.parse(String(payload)) as { t?: string; id?: number; result?: { ok: boolean } };
      const call = m.t === 'result' && typeof m.id === 'number' ? calls.get(m.id) : undefined;
      if (call) call.ok = m.result?.ok === true;
    });
  });
  await page.goto(opened.harness.url);
});

afterAll(async () => {
  await opened?.close();
});

const fileCalls = (name: string) => [...calls.values()].filter((c) => c.name === name && isSessionFileId(c.id ?? 0));
let exported = '';

it('Export session downloads one DuckDB file with every sample of the session', async () => {
  // A tab without a stored session has nothing to export this way.
  expect(await page.locator(tid('export-session')).isDisabled()).toBe(true);
  await page.locator(tid('history-toggle')).click();
  await page.locator(`${tid('session-item')} ${tid('session-open')}`).click();
  await page.locator(`${tid('timeline')}[data-state="ready"]`).waitFor(LONG);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(tid('export-session')).click()]);
  expect(download.suggestedFilename()).toMatch(/\.duckdb$/);
  exported = join(dir, 'exported.duckdb');
  await download.saveAs(exported);
  expect(readFileSync(exported).toString('latin1', 8, 12)).toBe('DUCK');
  const store = await HistoryStore.open(exported, { readOnly: true });
  const sessions = await store.sessions();
  await store.close();
  expect(sessions.map((s) => [s.target, s.samples])).toEqual([['long.example', ROUNDS * TTLS]]);
  expect(opened.pageErrors).toEqual([]);
});

it('Open uploads it: a stored tab whose timeline and statistics come from the file', async () => {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator(tid('open-trace')).click()]);
  await chooser.setFiles({
    name: 'colleague.duckdb',
    mimeType: 'application/octet-stream',
    buffer: readFileSync(exported),
  });
  await expect.poll(() => page.locator(tid('file-panel')).textContent(), LONG).toContain('colleague.duckdb');
  await page.locator(`${tid('timeline')}[data-state="ready"]`).waitFor(LONG);
  // Every round counted, though the tab holds each hop's newest samples only.
  await expect.poll(() => tableSnt(page, 1)).toBe(ROUNDS);
  // The timeline, its markers and the focus window's statistics asked the harness about the file's
  // session, and were answered.
  for (const name of ['getTimeline', 'getTimelineMarkers', 'getWindowStats']) {
    await expect.poll(() => fileCalls(name).length).toBeGreaterThan(0);
    await expect.poll(() => fileCalls(name).every((c) => c.ok)).toBe(true);
  }
  expect(await page.locator(tid('export-session')).isDisabled()).toBe(false);
  expect(opened.pageErrors).toEqual([]);
  await page.screenshot({ path: join(ROOT, 'docs/screenshots/sessionfile-opened.png') });
});

it('closing its tab closes the file', async () => {
  const tab = await activeTabId(page);
  await page.locator(`${tid('tab')}[data-tab-id="${tab}"] .hs-tab-close`).click();
  await expect.poll(() => fileCalls('closeSessionFile').map((c) => c.ok)).toEqual([true]);
});

it('dropped on the window, it opens as with Open (its bytes uploaded): a stored tab read from the file', async () => {
  const before = await page.locator(tid('tab')).count();
  const asked = fileCalls('getTimeline').length;
  // A page expression (as ui.test.ts's drop): this file is compiled without the DOM's types.
  const dataTransfer = await page.evaluateHandle(`(() => {
    const bytes = Uint8Array.from(atob(${JSON.stringify(readFileSync(exported).toString('base64'))}), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], 'dropped.duckdb', { type: 'application/octet-stream' }));
    return transfer;
  })()`);
  await page.dispatchEvent('main', 'dragenter', { dataTransfer });
  await page.dispatchEvent('main', 'drop', { dataTransfer });
  await expect.poll(() => page.locator(tid('file-panel')).textContent(), LONG).toContain('dropped.duckdb');
  expect(await page.locator(tid('tab')).count()).toBe(before + 1);
  await page.locator(`${tid('timeline')}[data-state="ready"]`).waitFor(LONG);
  await expect.poll(() => tableSnt(page, 1)).toBe(ROUNDS);
  expect(await page.locator(tid('error-banner')).count()).toBe(0);
  expect(await page.locator(tid('export-session')).isDisabled()).toBe(false);
  // It is a session file the harness opened (the timeline asked it under a session-file id), and closes with its tab.
  await expect.poll(() => fileCalls('getTimeline').length).toBeGreaterThan(asked);
  expect(fileCalls('getTimeline').every((c) => c.ok)).toBe(true);
  const tab = await activeTabId(page);
  await page.locator(`${tid('tab')}[data-tab-id="${tab}"] .hs-tab-close`).click();
  await expect.poll(() => fileCalls('closeSessionFile').map((c) => c.ok)).toEqual([true, true]);
  expect(opened.pageErrors).toEqual([]);
});

it('a damaged session file gets a banner naming the problem, and the view stays', async () => {
  const before = { tab: await activeTabId(page), count: await page.locator(tid('tab')).count() };
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator(tid('open-trace')).click()]);
  const truncated = readFileSync(exported).subarray(0, 20_000);
  await chooser.setFiles({ name: 'cut.duckdb', mimeType: 'application/octet-stream', buffer: truncated });
  const banner = page.locator(tid('error-banner'));
  await banner.waitFor(LONG);
  const message = await banner.textContent();
  expect(message).toContain('Could not open cut.duckdb');
  expect(message).toContain('damaged or truncated');
  expect(await activeTabId(page)).toBe(before.tab);
  expect(await page.locator(tid('tab')).count()).toBe(before.count);
  expect(opened.pageErrors).toEqual([]);
});

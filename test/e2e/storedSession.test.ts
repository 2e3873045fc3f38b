/**
 * An opened stored session in Chromium through the browser harness, on a
 * history file written for the test (no probing: nothing leaves the
 * machine): the tab is sent each hop's newest DEFAULT_SAMPLES_PER_HOP
 * samples, not the session's every sample, yet its table counts every round
 * and its Export JSON (a download the harness builds from the store) holds
 * every sample.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_SAMPLES_PER_HOP } from '@shared/limits';
import type { TraceDocument } from '@shared/traceFile';
import { startHarness, type Harness } from '../../src/harness/server';
import { launchChromium } from '../fixtures/chromium';
import { ensureBuilt } from '../fixtures/ensureBuilt';
import { writeRepliedSession } from '../fixtures/historyFiles';
import { exportJson, tableSnt, tid } from './uiSteps';

const ROOT = resolve(import.meta.dirname, '../..');
const ROUNDS = 2000;
const TTLS = 4;
// Recent, so the retention applied at start-up keeps it.
const T0 = Math.floor(Date.now() / 1000) * 1000 - 3 * 3600_000;
const dir = mkdtempSync(join(tmpdir(), 'hopscope-stored-e2e-'));
let harness: Harness;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
/** Every document the page was sent over the harness's socket. */
const received: TraceDocument[] = [];

beforeAll(async () => {
  ensureBuilt();
  const historyPath = join(dir, 'history.duckdb');
  await writeRepliedSession(historyPath, {
    uid: 'long',
    target: 'long.example',
    startedAt: T0,
    rounds: ROUNDS,
    ttlsAt: () => TTLS,
    lastAt: T0 + (ROUNDS - 1) * 1000 + TTLS,
  });
  harness = await startHarness({ rendererDir: join(ROOT, 'out/renderer'), historyPath });
  browser = await launchChromium();
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1360, height: 860 } });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('websocket', (socket) =>
    socket.on('framereceived', ({ payload }) => {
      const message = JSON.parse(String(payload)) as { t?: string; result?: { ok: boolean; value?: unknown } };
      const value = message.t === 'result' && message.result?.ok ? message.result.value : undefined;
      if (value !== null && typeof value === 'object' && 'hops' in value && 'target' in value)
        received.push(value as TraceDocument);
    }),
  );
  await page.goto(harness.url);
});

afterAll(async () => {
  await browser?.close();
  await harness?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('opens bounded like a live tab, counts every round and exports every sample', async () => {
  await page.locator(tid('history-toggle')).click();
  await page.locator(`${tid('session-item')} ${tid('session-open')}`).click();
  await page.locator(`${tid('timeline')}[data-state="ready"]`).waitFor();
  // One document reached the page: each hop's newest samples only.
  expect(received).toHaveLength(1);
  const opened = received[0]!;
  expect(opened.hops.map((h) => h.samples.length)).toEqual(opened.hops.map(() => DEFAULT_SAMPLES_PER_HOP));
  // The table's statistics are the whole session's, from the store.
  await expect.poll(() => tableSnt(page, 1)).toBe(ROUNDS);
  expect(await page.locator(tid('focus-select')).inputValue()).toBe('whole');

  const exported = await exportJson(page);
  expect(exported.hops.map((h) => h.samples.length)).toEqual(exported.hops.map(() => ROUNDS));
  expect(exported.hops.map((h) => h.sent)).toEqual(exported.hops.map(() => ROUNDS));
  // The export did not pass through the socket as a document.
  expect(received).toHaveLength(1);
  expect(pageErrors).toEqual([]);
});

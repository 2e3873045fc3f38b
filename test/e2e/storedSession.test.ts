/**
 * An opened stored session in Chromium through the browser harness, on a
 * history file written for the test (no probing: nothing leaves the
 * machine): the tab is sent each hop's newest DEFAULT_SAMPLES_PER_HOP
 * samples, not the session's every sample, yet its table counts every round
 * and its Export JSON (a download the harness builds from the store) holds
 * every sample.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_SAMPLES_PER_HOP } from '@shared/limits';
import type { TraceDocument } from '@shared/traceFile';
import { exportJson, tableSnt, tid } from './uiSteps';
import { openLongSessionPage, ROUNDS, type LongSessionPage } from './longStoredSession';

/** Every document the page was sent over the harness's socket. */
const received: TraceDocument[] = [];
let opened: LongSessionPage;
let page: Page;

beforeAll(async () => {
  opened = await openLongSessionPage('hopscope-stored-e2e-');
  page = opened.page;
  page.on('websocket', (socket) =>
    socket.on('framereceived', ({ payload }) => {
      const message = JSON.parse(String(payload)) as { t?: string; result?: { ok: boolean; value?: unknown } };
      const value = message.t === 'result' && message.result?.ok ? message.result.value : undefined;
      if (value !== null && typeof value === 'object' && 'hops' in value && 'target' in value)
        received.push(value as TraceDocument);
    }),
  );
  await page.goto(opened.harness.url);
});

afterAll(async () => {
  await opened?.close();
});

it('opens bounded like a live tab, counts every round and exports every sample', async () => {
  await page.locator(tid('history-toggle')).click();
  await page.locator(`${tid('session-item')} ${tid('session-open')}`).click();
  await page.locator(`${tid('timeline')}[data-state="ready"]`).waitFor();
  // One document reached the page: each hop's newest samples only.
  expect(received).toHaveLength(1);
  const sent = received[0]!;
  expect(sent.hops.map((h) => h.samples.length)).toEqual(sent.hops.map(() => DEFAULT_SAMPLES_PER_HOP));
  // The table's statistics are the whole session's, from the store.
  await expect.poll(() => tableSnt(page, 1)).toBe(ROUNDS);
  expect(await page.locator(tid('focus-select')).inputValue()).toBe('whole');

  const exported = await exportJson(page);
  expect(exported.hops.map((h) => h.samples.length)).toEqual(exported.hops.map(() => ROUNDS));
  expect(exported.hops.map((h) => h.sent)).toEqual(exported.hops.map(() => ROUNDS));
  // The export did not pass through the socket as a document.
  expect(received).toHaveLength(1);
  expect(opened.pageErrors).toEqual([]);
});

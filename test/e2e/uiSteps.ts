/**
 * Steps of the Chromium UI test (ui.test.ts), done the way a person would:
 * typing into fields, picking options, reading what the page shows.
 */
import { expect } from 'vitest';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { traceDocumentSchema, type TraceDocument } from '@shared/traceFile';

export interface TraceForm {
  target: string;
  protocol: 'icmp' | 'udp' | 'tcp';
  port?: number;
  /** Rounds; omitted runs continuously. */
  count?: number;
  intervalSec: number;
}

/**
 * Decodes a PNG in the page (an <img> and a canvas): its size, how many
 * distinct colours (4 bits a channel) and the share of pixels unlike the
 * corner. Page code, so it is a string: this file is typed without the DOM.
 */
export const DECODE_PNG = `async (base64) => {
  const image = new Image();
  image.src = 'data:image/png;base64,' + base64;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const colours = new Set();
  let differing = 0;
  for (let i = 0; i < data.length; i += 4) {
    colours.add(((data[i] >> 4) << 8) | ((data[i + 1] >> 4) << 4) | (data[i + 2] >> 4));
    const distance = Math.abs(data[i] - data[0]) + Math.abs(data[i + 1] - data[1]) + Math.abs(data[i + 2] - data[2]);
    if (distance > 30) differing++;
  }
  return { width: image.naturalWidth, height: image.naturalHeight, colours: colours.size, share: differing / (data.length / 4) };
}`;

export const tid = (id: string) => `[data-testid="${id}"]`;

/** Clicks into a field and types over what it holds. */
export async function typeInto(page: Page, testId: string, text: string): Promise<void> {
  const field = page.locator(tid(testId));
  await field.click({ clickCount: 3 });
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
}

/** Fills the form of the active tab by pointing and typing, then presses Start. */
export async function startTrace(page: Page, form: TraceForm): Promise<void> {
  await typeInto(page, 'target-input', form.target);
  await page.locator(tid('protocol-select')).selectOption(form.protocol);
  if (form.port !== undefined) await typeInto(page, 'port-input', String(form.port));
  if (form.count !== undefined) await typeInto(page, 'count-input', String(form.count));
  // New tabs start from the last trace's options: make "continuous" explicit.
  else if (!(await page.locator('input[name="continuous"]').isChecked())) {
    await page.locator('label:has(input[name="continuous"])').click();
  }
  await typeInto(page, 'interval-input', String(form.intervalSec));
  await page.locator(tid('advanced-toggle')).click();
  const dns = page.locator(tid('dns-checkbox'));
  if (await dns.isChecked()) await dns.click();
  await expect.poll(() => dns.isChecked()).toBe(false);
  await page.locator(tid('start-button')).click();
}

export const statusText = (page: Page, id: string) => page.locator(tid(id)).textContent();

export async function nodes(page: Page): Promise<{ ttl: number; address: string; destination: boolean }[]> {
  return page.locator(tid('hop-node')).evaluateAll((els) =>
    els.map((el) => ({
      ttl: Number(el.getAttribute('data-ttl')),
      address: el.getAttribute('data-address') ?? '',
      destination: el.classList.contains('is-destination'),
    })),
  );
}

export async function rows(page: Page): Promise<string[]> {
  const list = await page
    .locator(tid('hop-row'))
    .evaluateAll((els) => els.map((el) => `${el.getAttribute('data-ttl')}:${el.getAttribute('data-address')}`));
  return list.sort();
}

/** Confirmations fade by themselves; screenshots should not wait for that. */
export async function dismissNotes(page: Page): Promise<void> {
  const notes = page.locator(`${tid('info-banner')} [aria-label="Dismiss"]`);
  while ((await notes.count()) > 0) await notes.first().click();
}

export const activeTabId = (page: Page) => page.locator(`${tid('tab')}.is-active`).getAttribute('data-tab-id');

/** Points in the RTT line of the first hop's sparkline. */
export async function sparklinePoints(page: Page): Promise<number> {
  const d = await page
    .locator(`${tid('hop-node')}[data-ttl="1"] ${tid('sparkline')} path`)
    .first()
    .getAttribute('d')
    .catch(() => null);
  return d === null ? 0 : (d.match(/[ML]/g) ?? []).length;
}

/** Export JSON of the active tab, as the file the browser saved (the page needs `acceptDownloads`). */
export async function exportJson(page: Page): Promise<TraceDocument> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator(tid('export-json')).click()]);
  return traceDocumentSchema.parse(JSON.parse(await readFile((await file.path())!, 'utf8')));
}

/** The Snt the table shows for a TTL. */
export const tableSnt = (page: Page, ttl: number) =>
  page
    .locator(`${tid('hop-row')}[data-ttl="${ttl}"]`)
    .first()
    .getAttribute('data-snt')
    .then(Number);

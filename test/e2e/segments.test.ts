/**
 * Segments end to end: Chromium drives the built renderer through the
 * browser harness; the real mtr-packet probes the namespace test network.
 * Applying ICMP → UDP → TCP and then a narrower TTL range gives four
 * segments whose statistics never mix, and a target that does not resolve
 * leaves the running trace exactly as it was.
 *
 * Reverse DNS is off: lookups must not leave the machine.
 */
import { expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describeWithNetwork } from '../net/vitestNetwork';
import { TEST_DOMAIN } from '../net/testNetwork';
import { appForSuite } from './namespaceHarness';
import { traceDocumentSchema, type TraceDocument } from '@shared/traceFile';

const LONG = { timeout: 60_000, interval: 200 };
const tid = (id: string) => `[data-testid="${id}"]`;

async function typeInto(page: Page, testId: string, text: string): Promise<void> {
  await page.locator(tid(testId)).click({ clickCount: 3 });
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
}

const text = (page: Page, id: string) => page.locator(tid(id)).textContent();

/** Session rounds completed, from the status bar of the current segment. */
async function segmentRounds(page: Page): Promise<number> {
  const match = /(\d+) rounds/.exec((await text(page, 'status-rounds')) ?? '');
  return match ? Number(match[1]) : -1;
}

async function segmentCount(page: Page): Promise<number> {
  return page.locator(`${tid('segment-select')} option`).count();
}

/** Applies the edited options and waits for the next segment to be on screen. */
async function applyAndWait(page: Page, segments: number): Promise<void> {
  await page.locator(tid('apply-button')).click();
  await expect.poll(() => segmentCount(page), LONG).toBe(segments);
  await expect.poll(() => segmentRounds(page), LONG).toBeGreaterThanOrEqual(3);
}

describeWithNetwork('segments in Chromium', (getNet) => {
  let page: Page;
  const pageErrors = appForSuite(
    getNet,
    {},
    { acceptDownloads: true, viewport: { width: 1360, height: 860 } },
    (opened) => (page = opened),
  );

  it('gives each of ICMP, UDP, TCP and a new TTL range its own segment, with numbers that never mix', async () => {
    const net = getNet();
    await typeInto(page, 'target-input', net.target.v4);
    await page.locator(tid('protocol-select')).selectOption('icmp');
    if (!(await page.locator('input[name="continuous"]').isChecked())) {
      await page.locator('label:has(input[name="continuous"])').click();
    }
    await typeInto(page, 'interval-input', '0.1');
    await page.locator(tid('advanced-toggle')).click();
    const dns = page.locator(tid('dns-checkbox'));
    if (await dns.isChecked()) await dns.click();
    await page.locator(tid('start-button')).click();
    await expect
      .poll(() => text(page, 'status-destination'), LONG)
      .toBe(`Destination reached at hop ${net.destinationTtl}`);
    await expect.poll(() => segmentRounds(page), LONG).toBeGreaterThanOrEqual(5);
    expect(await page.locator(tid('segment-select')).count()).toBe(0);

    await page.locator(tid('protocol-select')).selectOption('udp');
    await applyAndWait(page, 2);
    expect(await text(page, 'status-bar')).toContain('UDP');

    await page.locator(tid('protocol-select')).selectOption('tcp');
    await typeInto(page, 'port-input', String(net.target.openTcpPort));
    await applyAndWait(page, 3);
    expect(await text(page, 'status-bar')).toContain(`TCP:${net.target.openTcpPort}`);
    await expect
      .poll(() => text(page, 'status-destination'), LONG)
      .toBe(`Destination reached at hop ${net.destinationTtl}`);

    const maxTtl = Math.max(1, net.destinationTtl - 2);
    await typeInto(page, 'max-ttl-input', String(maxTtl));
    await applyAndWait(page, 4);
    // Only the new range is probed, and the destination lies beyond it.
    const ttls = await page.locator(tid('hop-row')).evaluateAll((els) => els.map((el) => Number(el.dataset.ttl)));
    expect(Math.max(...ttls)).toBeLessThanOrEqual(maxTtl);
    expect(await text(page, 'status-destination')).toContain('Destination not reached');

    // The ICMP segment is still there, unchanged by what came after.
    const select = page.locator(tid('segment-select'));
    await select.selectOption('0');
    expect(await text(page, 'status-bar')).toContain('ICMP');
    expect(await text(page, 'status-destination')).toBe(`Destination reached at hop ${net.destinationTtl}`);
    const icmpRows = await page.locator(tid('hop-row')).count();
    expect(icmpRows).toBeGreaterThanOrEqual(net.destinationTtl);
    await select.selectOption('3');

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(tid('export-json')).click()]);
    const doc: TraceDocument = traceDocumentSchema.parse(JSON.parse(await readFile((await download.path())!, 'utf8')));
    expect(doc.version).toBe(2);
    const segments = doc.segments!;
    expect(segments.map((s) => [s.index, s.options.protocol, s.options.maxTtl])).toEqual([
      [0, 'icmp', 30],
      [1, 'udp', 30],
      [2, 'tcp', 30],
      [3, 'tcp', maxTtl],
    ]);
    segments.forEach((segment, i) => {
      const hops = i === segments.length - 1 ? doc.hops : segment.hops!;
      const next = segments[i + 1]?.firstRound ?? Infinity;
      for (const hop of hops) {
        for (const s of hop.samples) {
          expect(s.segment, `segment ${i} TTL ${hop.ttl}`).toBe(segment.index);
          expect(s.round).toBeGreaterThanOrEqual(segment.firstRound);
          expect(s.round).toBeLessThan(next);
        }
        // A hop's count covers its own segment's rounds only: one probe per round the segment sent.
        if (next !== Infinity)
          expect(hop.sent, `segment ${i} TTL ${hop.ttl}`).toBeLessThanOrEqual(next - segment.firstRound);
      }
      if (i < 3) expect(segment.endedAt).toBeGreaterThanOrEqual(segment.startedAt);
    });
    expect(Math.max(...doc.hops.map((h) => h.ttl))).toBeLessThanOrEqual(maxTtl);
  });

  it('leaves the running trace alone when a new target does not resolve', async () => {
    const net = getNet();
    const tabLabel = await page.locator(`${tid('tab')}.is-active`).textContent();
    const before = await segmentRounds(page);
    const name = `no-such-host.${TEST_DOMAIN}`;
    await typeInto(page, 'target-input', name);
    await page.locator(tid('apply-button')).click();
    const alert = page.locator('[role="alert"]');
    await expect.poll(() => alert.textContent(), LONG).toContain(`Cannot resolve ${name}`);
    const message = (await alert.textContent())!;
    expect(message.toLowerCase().split(`resolve ${name}`)).toHaveLength(2);
    expect(await text(page, 'status-state')).toContain('Running');
    expect(await text(page, 'status-target')).toContain(net.target.v4);
    expect(await page.locator(`${tid('tab')}.is-active`).textContent()).toBe(tabLabel);
    expect(await segmentCount(page)).toBe(4);
    await expect.poll(() => segmentRounds(page), LONG).toBeGreaterThan(before);
    await page.locator(tid('stop-button')).click();
    await expect.poll(() => text(page, 'status-state'), LONG).toContain('Stopped');
    expect(pageErrors).toEqual([]);
  });
});

/**
 * The desktop UI end to end: Debian's Chromium drives the built renderer
 * through the browser harness, which runs the real mtr-packet inside the
 * namespace test network. Everything is done the way a person would: typing
 * into the form, clicking buttons, picking files.
 *
 * Reverse DNS is switched off in every trace: the harness resolves in the
 * host's namespace, and lookups must not leave the machine.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describeWithNetwork } from '../net/vitestNetwork';
import type { Harness } from '../../src/harness/server';
import { openAppInChromium } from './namespaceHarness';
import {
  DECODE_PNG,
  activeTabId,
  dismissNotes,
  nodes,
  rows,
  sparklinePoints,
  startTrace,
  statusText,
  tid,
  typeInto,
} from './uiSteps';

const ROOT = resolve(import.meta.dirname, '../..');
/** The screenshots the README shows, refreshed by every run. */
const SHOTS = join(ROOT, 'docs/screenshots');
const LONG = { timeout: 60_000, interval: 200 };

describeWithNetwork('desktop UI in Chromium', (getNet) => {
  let harness: Harness;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  /** Tab ids by what they traced. */
  const tabs: Record<string, string> = {};

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    // Names and routes are looked up inside the test namespace, never by the host's resolver or table.
    ({ harness, browser, page } = await openAppInChromium(
      getNet(),
      {},
      { acceptDownloads: true, viewport: { width: 1440, height: 900 }, colorScheme: 'light' },
      pageErrors,
    ));
  });

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  it('opens on an empty state that says what to do', async () => {
    await page.locator(tid('empty-state')).waitFor();
    expect(await page.locator(tid('empty-state')).textContent()).toContain('Enter a host name or address');
    expect(await page.locator(tid('tab')).count()).toBe(1);
    // mtr-packet was checked: the status bar names its version.
    await expect.poll(() => statusText(page, 'status-bar'), LONG).toContain('mtr-packet');
    await page.screenshot({ path: join(SHOTS, 'ui-empty.png') });
  });

  it('runs an ICMP trace filled in by point and click', async () => {
    const net = getNet();
    tabs.icmp = (await activeTabId(page))!;
    await startTrace(page, { target: net.target.v4, protocol: 'icmp', count: 4, intervalSec: 0.2 });
    await expect.poll(() => statusText(page, 'status-state'), LONG).toContain('Finished');
    expect(await statusText(page, 'status-destination')).toBe(`Destination reached at hop ${net.destinationTtl}`);
    expect(await statusText(page, 'status-rounds')).toContain('4 / 4 rounds');

    const seen = await nodes(page);
    for (const spec of net.hops) {
      const at = seen.filter((n) => n.ttl === spec.ttl);
      expect(at.length, `TTL ${spec.ttl}`).toBeGreaterThan(0);
      if (spec.silent) expect(at.map((n) => n.address)).toEqual(['']);
      else for (const n of at) expect(spec.v4, `TTL ${spec.ttl}`).toContain(n.address);
    }
    expect(seen.filter((n) => n.destination).map((n) => n.address)).toEqual([net.target.v4]);
    expect((await rows(page)).length).toBeGreaterThanOrEqual(net.hops.length);
  });

  it('runs UDP without a port in a new tab and shows both ECMP branches', async () => {
    const net = getNet();
    await page.locator(tid('new-tab')).click();
    await expect.poll(() => page.locator(tid('tab')).count()).toBe(2);
    tabs.udp = (await activeTabId(page))!;
    await page.locator(tid('protocol-select')).selectOption('udp');
    const port = page.locator(tid('port-input'));
    expect(await port.isEnabled()).toBe(true);
    expect(await port.inputValue()).toBe('');
    await startTrace(page, { target: net.target.v4, protocol: 'udp', count: 16, intervalSec: 0.1 });

    const expected = [...net.hops[net.ecmpTtl - 1]!.v4].sort();
    await expect
      .poll(async () => {
        const at = (await nodes(page)).filter((n) => n.ttl === net.ecmpTtl).map((n) => n.address);
        return at.sort();
      }, LONG)
      .toEqual(expected);
    await expect.poll(() => statusText(page, 'status-state'), LONG).toContain('Finished');
    // The first tab kept its own trace.
    await page.locator(`${tid('tab')}[data-tab-id="${tabs.icmp}"] [role="tab"]`).click();
    expect(await statusText(page, 'status-state')).toContain('Finished');
    expect(await statusText(page, 'status-target')).toContain(net.target.v4);
  });

  it('reaches the destination with TCP to the open port', async () => {
    const net = getNet();
    await page.keyboard.press('Control+T').catch(() => {});
    if ((await page.locator(tid('tab')).count()) < 3) await page.locator(tid('new-tab')).click();
    tabs.tcp = (await activeTabId(page))!;
    await startTrace(page, {
      target: net.target.v4,
      protocol: 'tcp',
      port: net.target.openTcpPort,
      count: 3,
      intervalSec: 0.2,
    });
    await expect.poll(() => statusText(page, 'status-state'), LONG).toContain('Finished');
    expect(await statusText(page, 'status-destination')).toBe(`Destination reached at hop ${net.destinationTtl}`);
    const destination = (await nodes(page)).filter((n) => n.destination);
    expect(destination).toEqual([{ ttl: net.destinationTtl, address: net.target.v4, destination: true }]);
    expect(await statusText(page, 'status-bar')).toContain(`TCP:${net.target.openTcpPort}`);
  });

  it('grows sparklines while running, pauses, applies new options as a marked restart, and stops', async () => {
    const net = getNet();
    await page.locator(tid('new-tab')).click();
    tabs.live = (await activeTabId(page))!;
    await startTrace(page, { target: net.target.v4, protocol: 'icmp', intervalSec: 0.15 });
    await expect.poll(() => sparklinePoints(page), LONG).toBeGreaterThan(2);
    const early = await sparklinePoints(page);
    await expect.poll(() => sparklinePoints(page), LONG).toBeGreaterThan(early);

    await page.locator(tid('pause-button')).click();
    await expect.poll(() => statusText(page, 'status-state'), LONG).toContain('Paused');
    await page.locator(tid('pause-button')).click();
    await expect.poll(() => statusText(page, 'status-state'), LONG).toContain('Running');

    await typeInto(page, 'interval-input', '0.2');
    await page.locator(tid('apply-button')).click();
    await expect.poll(() => statusText(page, 'restart-marker'), LONG).toMatch(/Restarted at round \d+/);
    await expect.poll(() => statusText(page, 'status-rounds'), LONG).toContain('every 0.2 s');
    expect(await page.locator(tid('apply-button')).count()).toBe(0);

    await page.locator(tid('stop-button')).click();
    await expect.poll(() => statusText(page, 'status-state'), LONG).toContain('Stopped');
    expect(await page.locator(tid('start-button')).isVisible()).toBe(true);
  });

  it('exports the whole graph as a PNG that decodes and is not blank', async () => {
    await page.locator(`${tid('tab')}[data-tab-id="${tabs.udp}"] [role="tab"]`).click();
    await page.locator(tid('hop-node')).first().waitFor();
    const layout = await page.locator('svg.hs-path-graph-svg').evaluate((svg) => ({
      width: Number(svg.getAttribute('data-layout-width')),
      height: Number(svg.getAttribute('data-layout-height')),
    }));
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(tid('export-png')).click()]);
    expect(download.suggestedFilename()).toMatch(/^hopscope-.+\.png$/);
    const png = await readFile((await download.path())!);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    const ihdr = { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
    // The whole layout at twice its size, not the zoomed window on screen, under a header saying what was measured.
    expect(ihdr.width).toBeGreaterThanOrEqual(Math.ceil(layout.width * 2));
    expect(ihdr.height).toBeGreaterThan(Math.ceil(layout.height * 2));
    await writeFile(join(SHOTS, 'exported-graph.png'), png);

    const decoded = (await page.evaluate(`(${DECODE_PNG})(${JSON.stringify(png.toString('base64'))})`)) as {
      width: number;
      height: number;
      colours: number;
      share: number;
    };
    expect(decoded.width).toBe(ihdr.width);
    expect(decoded.height).toBe(ihdr.height);
    // Boxes, text, loss colours and sparklines: many colours and a fair share of ink.
    expect(decoded.colours).toBeGreaterThan(20);
    expect(decoded.share).toBeGreaterThan(0.01);
  });

  it('exports JSON and opens it again with the same hops', async () => {
    const live = await rows(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(tid('export-json')).click()]);
    const text = await readFile((await download.path())!, 'utf8');
    const saved = JSON.parse(text) as { format: string; hops: { samples: unknown[] }[]; target: { input: string } };
    expect(saved.format).toBe('hopscope.trace');
    expect(saved.target.input).toBe(getNet().target.v4);
    expect(saved.hops.some((h) => h.samples.length > 0)).toBe(true);

    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator(tid('open-trace')).click()]);
    await chooser.setFiles({ name: 'reopened.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await expect.poll(() => page.locator(`${tid('tab')}.is-active`).getAttribute('data-mode'), LONG).toBe('file');
    tabs.file = (await activeTabId(page))!;
    expect(await rows(page)).toEqual(live);
    expect(await page.locator(tid('file-panel')).textContent()).toContain('reopened.json');
    expect(await page.locator(tid('sparkline')).count()).toBeGreaterThan(0);
    expect(await page.locator(tid('target-input')).count()).toBe(0);
  });

  it('shows an error banner for a malformed file and leaves the view alone', async () => {
    await dismissNotes(page);
    const before = {
      tab: await activeTabId(page),
      rows: await rows(page),
      count: await page.locator(tid('tab')).count(),
    };
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator(tid('open-trace')).click()]);
    await chooser.setFiles({
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"format": "hopscope.trace",\n  "hops": [ }\n'),
    });
    const banner = page.locator(tid('error-banner'));
    await banner.waitFor(LONG);
    const message = await banner.textContent();
    expect(message).toContain('Could not open broken.json');
    expect(message).toMatch(/invalid JSON at line 2/);
    expect(await activeTabId(page)).toBe(before.tab);
    expect(await page.locator(tid('tab')).count()).toBe(before.count);
    expect(await rows(page)).toEqual(before.rows);
    await page.screenshot({ path: join(SHOTS, 'ui-error.png') });
    await banner.locator('[aria-label="Dismiss"]').click();
    expect(await banner.count()).toBe(0);
  });

  it('opens an mtr --json report dropped on the window', async () => {
    const net = getNet();
    const hubs = net.hops.map((spec) => ({
      count: spec.ttl,
      host: spec.silent ? '???' : spec.v4[0]!,
      'Loss%': spec.silent ? 100 : 0,
      Snt: 3,
      Last: 0.1,
      Avg: 0.1,
      Best: 0.1,
      Wrst: 0.2,
      StDev: 0.05,
    }));
    const report = JSON.stringify({
      report: {
        mtr: { src: 'client', dst: net.target.v4, tos: 0, tests: 3, psize: '64', bitpattern: '0x00' },
        hubs,
      },
    });
    const before = await page.locator(tid('tab')).count();
    const dataTransfer = await page.evaluateHandle(`(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([${JSON.stringify(report)}], 'mtr-report.json', { type: 'application/json' }));
      return transfer;
    })()`);
    await page.dispatchEvent('main', 'dragenter', { dataTransfer });
    await page.dispatchEvent('main', 'drop', { dataTransfer });
    await expect.poll(() => page.locator(tid('tab')).count(), LONG).toBe(before + 1);
    expect(await page.locator(`${tid('tab')}.is-active`).getAttribute('data-mode')).toBe('file');
    const expected = net.hops
      .filter((spec) => spec.ttl <= net.destinationTtl)
      .map((spec) => `${spec.ttl}:${spec.silent ? '' : spec.v4[0]}`)
      .sort();
    expect(await rows(page)).toEqual(expected);
    expect(await page.locator(tid('file-panel')).textContent()).toContain('mtr-report.json');
  });

  it('reads the path one way at 1024×700 and 1440×900, with verdicts and sent counts in the rows', async () => {
    const net = getNet();
    await dismissNotes(page);
    await page.locator(`${tid('tab')}[data-tab-id="${tabs.udp}"] [role="tab"]`).click();
    for (const viewport of [
      { width: 1024, height: 700 },
      { width: 1440, height: 900 },
    ]) {
      await page.setViewportSize(viewport);
      await page.locator(tid('hop-node')).first().waitFor();
      await page.locator('.hs-graph-controls button', { hasText: '1:1' }).click();
      // Let the measured width reach the layout.
      await expect
        .poll(() => page.locator('svg.hs-path-graph-svg').getAttribute('data-layout-width'), LONG)
        .not.toBe(null);
      const boxes = await page.locator(tid('hop-node')).evaluateAll((els) =>
        els.map((el) => {
          const box = el.getBoundingClientRect();
          return { ttl: Number(el.getAttribute('data-ttl')), x: box.x, y: box.y, width: box.width };
        }),
      );
      const firstOfTtl = new Map<number, { x: number; y: number; width: number }>();
      for (const b of boxes) if (!firstOfTtl.has(b.ttl)) firstOfTtl.set(b.ttl, b);
      const ordered = [...firstOfTtl.entries()].sort(([a], [b]) => a - b).map(([, b]) => b);
      for (let i = 1; i < ordered.length; i++) {
        const prev = ordered[i - 1]!;
        const next = ordered[i]!;
        // The next TTL is to the right in the same row, or starts a new row further down: never to the left.
        if (next.x < prev.x) expect(next.y, `TTL ${i + 1} at ${viewport.width}px`).toBeGreaterThan(prev.y);
      }
      // Text at 1:1 stays its size: no box shrinks below its minimum width.
      expect(Math.min(...boxes.map((b) => b.width))).toBeGreaterThanOrEqual(184);
      await page.mouse.move(0, 0);
      await page.screenshot({ path: join(SHOTS, `ui-${viewport.width}x${viewport.height}.png`) });
    }
    // Every row carries its TTL and the sent count it shows.
    const sent = await page
      .locator(tid('hop-row'))
      .evaluateAll((els) => els.map((el) => [el.getAttribute('data-ttl'), el.getAttribute('data-snt')]));
    expect(sent.length).toBeGreaterThanOrEqual(net.hops.length);
    for (const [ttl, snt] of sent) expect(Number(snt), `TTL ${ttl}`).toBeGreaterThan(0);
    // The end-to-end line says what matters.
    expect(await page.locator(tid('end-to-end')).textContent()).toMatch(/End to end: .*% loss/);
    // UDP without fixed ports varies the flow: the legend says links at the split are only possible.
    expect(await page.locator(tid('link-legend')).textContent()).toContain('possible');
    expect(await page.locator(tid('sparkline-scale')).textContent()).toMatch(/same for all boxes/);
  });

  it('follows the OS theme, light and dark', async () => {
    const net = getNet();
    await dismissNotes(page);
    await page.locator(`${tid('tab')}[data-tab-id="${tabs.udp}"] [role="tab"]`).click();
    await page
      .locator(`${tid('hop-node')}[data-ttl="${net.ecmpTtl}"]`)
      .first()
      .click();
    await page.mouse.move(0, 0);
    const background = () => page.evaluate('getComputedStyle(document.body).backgroundColor');

    await page.emulateMedia({ colorScheme: 'light' });
    const light = await background();
    await page.screenshot({ path: join(SHOTS, 'ui-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await background();
    await page.screenshot({ path: join(SHOTS, 'ui-dark.png') });
    expect(dark).not.toBe(light);

    // The form with its Advanced section and an inline validation message.
    await page.emulateMedia({ colorScheme: 'light' });
    await page.locator(`${tid('tab')}[data-tab-id="${tabs.tcp}"] [role="tab"]`).click();
    await typeInto(page, 'max-ttl-input', '300');
    await page.locator(tid('advanced-toggle')).click();
    expect(await page.locator('.hs-field-error').first().textContent()).toContain('max TTL must be between');
    await page.locator('aside').screenshot({ path: join(SHOTS, 'ui-options.png') });
    await typeInto(page, 'max-ttl-input', '30');

    await page.locator(`${tid('tab')}[data-tab-id="${tabs.file}"] [role="tab"]`).click();
    await dismissNotes(page);
    await page.screenshot({ path: join(SHOTS, 'ui-file.png') });
    expect(pageErrors).toEqual([]);
  });

  it('re-attaches a running trace after the page reloads', async () => {
    const net = getNet();
    await page.locator(tid('new-tab')).click();
    await startTrace(page, { target: net.target.v4, protocol: 'icmp', intervalSec: 0.2 });
    await expect.poll(() => statusText(page, 'status-state'), LONG).toContain('Running');
    await expect.poll(() => page.locator(tid('hop-row')).count(), LONG).toBeGreaterThan(1);
    await page.reload();
    // The new page finds the session and shows it, with its history.
    await expect.poll(() => statusText(page, 'status-state'), LONG).toContain('Running');
    expect(await page.locator(tid('tab')).count()).toBe(1);
    await expect.poll(() => page.locator(tid('hop-row')).count(), LONG).toBeGreaterThanOrEqual(net.destinationTtl);
    const sentAtFirst = Number(
      await page
        .locator(`${tid('hop-row')}[data-ttl="1"]`)
        .first()
        .getAttribute('data-snt'),
    );
    expect(sentAtFirst).toBeGreaterThan(1);
    await page.locator(tid('stop-button')).click();
    await expect.poll(() => statusText(page, 'status-state'), LONG).toContain('Stopped');
    expect(pageErrors).toEqual([]);
  });
});

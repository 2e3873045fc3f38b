/**
 * Other tools' files, opened in Chromium through the browser harness as a
 * person would (the Open button and its file chooser). The real mtr writes
 * --json, --csv and --xml reports on the namespace test network at the start
 * of the test; each opens as a read-only tab showing mtr's hops, with what
 * mtr does not record (protocol, TTL range, interval) shown as unknown and
 * "Recorded" as the file's own time or unknown. A PNG is refused as "not a
 * trace file" and the tab on screen stays exactly as it was.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describeWithNetwork } from '../net/vitestNetwork';
import { ensureBuilt } from '../fixtures/ensureBuilt';
import { launchChromium } from '../fixtures/chromium';
import type { TestNetwork } from '../net/testNetwork';
import type { Harness } from '../../src/harness/server';
import { startNamespaceHarness } from './namespaceHarness';
import { activeTabId, rows, tid } from './uiSteps';

const ROOT = resolve(import.meta.dirname, '../..');
const LONG = { timeout: 30_000, interval: 200 };

/** mtr's report of three rounds to the target in `format`, written by the real mtr in the client namespace. */
async function mtrReport(net: TestNetwork, format: '--json' | '--csv' | '--xml'): Promise<string> {
  const run = await net.runInClient(['mtr', format, '-n', '-c', '3', '-i', '0.2', net.target.v4], {
    timeoutMs: 60_000,
  });
  expect(run.code, run.stderr).toBe(0);
  return run.stdout;
}

/** The file panel's facts, term → value ("Protocol" → "unknown"). */
function facts(page: Page): Promise<Record<string, string>> {
  return page
    .locator(`${tid('file-panel')} dl > div`)
    .evaluateAll((els) =>
      Object.fromEntries(
        els.map((el) => [el.firstElementChild?.textContent ?? '', el.lastElementChild?.textContent ?? '']),
      ),
    );
}

/** Hop rows as `ttl:address:sent`, in TTL order. */
function hopRows(page: Page): Promise<string[]> {
  return page
    .locator(tid('hop-row'))
    .evaluateAll((els) =>
      els.map(
        (el) => `${el.getAttribute('data-ttl')}:${el.getAttribute('data-address')}:${el.getAttribute('data-snt')}`,
      ),
    );
}

async function openFile(page: Page, name: string, mimeType: string, buffer: Buffer): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator(tid('open-trace')).click()]);
  await chooser.setFiles({ name, mimeType, buffer });
}

describeWithNetwork('files of other tools in Chromium', (getNet) => {
  let harness: Harness;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const files: Record<'--json' | '--csv' | '--xml', string> = { '--json': '', '--csv': '', '--xml': '' };

  beforeAll(async () => {
    ensureBuilt();
    const net = getNet();
    for (const format of ['--json', '--csv', '--xml'] as const) files[format] = await mtrReport(net, format);
    harness = await startNamespaceHarness(net);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(harness.url);
    await page.locator(tid('open-trace')).waitFor(LONG);
  });

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  /** What mtr saw: every TTL up to the target, the silent hop without an address, three probes each. */
  function expectMtrPath(shown: string[]): void {
    const net = getNet();
    expect(shown).toHaveLength(net.destinationTtl);
    for (const spec of net.hops) {
      const [ttl, address, sent] = shown[spec.ttl - 1]!.split(':');
      expect(Number(ttl)).toBe(spec.ttl);
      expect(sent).toBe('3');
      if (spec.silent) expect(address).toBe('');
      else expect(spec.v4).toContain(address);
    }
  }

  const cases = [
    { format: '--json', name: 'mtr-report.json', mime: 'application/json', label: 'mtr-json' },
    { format: '--csv', name: 'mtr-report.csv', mime: 'text/csv', label: 'mtr-csv' },
    { format: '--xml', name: 'mtr-report.xml', mime: 'application/xml', label: 'mtr-xml' },
  ] as const;

  for (const { format, name, mime, label } of cases) {
    it(`opens a real mtr ${format} report as a read-only tab with mtr's hops`, async () => {
      const tabsBefore = await page.locator(tid('tab')).count();
      await openFile(page, name, mime, Buffer.from(files[format]));
      await expect.poll(() => page.locator(tid('tab')).count(), LONG).toBe(tabsBefore + 1);
      expect(await page.locator(`${tid('tab')}.is-active`).getAttribute('data-mode')).toBe('file');
      // Read-only: no form to start or change a trace.
      expect(await page.locator(tid('target-input')).count()).toBe(0);
      expect(await page.locator(tid('apply-button')).count()).toBe(0);
      const panel = (await page.locator(tid('file-panel')).textContent()) ?? '';
      expect(panel).toContain(name);
      expect(panel).toContain(label);

      expectMtrPath(await hopRows(page));

      const shown = await facts(page);
      expect(shown.Target).toBe(getNet().target.v4);
      // mtr does not record these: unknown, never ICMP / 1-30 / 1 s.
      expect(shown.Protocol).toBe('unknown');
      expect(shown.TTL).toBe('unknown');
      expect(shown.Interval).toBe('unknown');
      const status = (await page.locator(tid('status-bar')).textContent()) ?? '';
      if (format === '--csv') {
        // The CSV's Start_Time (seconds), as this browser prints a time: the file's own, not the time of opening.
        const startSec = Number(files['--csv'].split('\n')[1]!.split(',')[1]);
        const expected = await page.evaluate((ms) => new Date(ms).toLocaleString(), startSec * 1000);
        expect(shown.Recorded).toBe(expected);
        expect(status).toContain(expected);
      } else {
        expect(shown.Recorded).toBe('unknown');
        expect(status).toContain('recorded: unknown');
      }
    });
  }

  it('refuses a PNG as "not a trace file" and leaves the tab on screen untouched', async () => {
    const before = {
      tab: await activeTabId(page),
      count: await page.locator(tid('tab')).count(),
      rows: await rows(page),
      panel: await page.locator(tid('file-panel')).textContent(),
    };
    const png = await readFile(join(ROOT, 'docs/screenshots/ui-1024x700.png'));
    await openFile(page, 'picture.png', 'image/png', png);
    const banner = page.locator(tid('error-banner'));
    await banner.waitFor(LONG);
    const message = (await banner.textContent()) ?? '';
    expect(message).toContain('Could not open picture.png');
    expect(message).toContain('not a trace file');
    expect(message).toContain('a PNG image');
    expect(message).not.toMatch(/JSON at position|Unexpected token/);
    expect(await activeTabId(page)).toBe(before.tab);
    expect(await page.locator(tid('tab')).count()).toBe(before.count);
    expect(await rows(page)).toEqual(before.rows);
    expect(await page.locator(tid('file-panel')).textContent()).toBe(before.panel);
    expect(pageErrors).toEqual([]);
  });
});

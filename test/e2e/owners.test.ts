/**
 * Who owns each hop, end to end: Chromium drives the built renderer through
 * the browser harness, the real mtr-packet probes the namespace test
 * network, and the engine looks owners up in the committed test databases
 * (the `--asn-db` CSV and `--geo-db` mmdb mapping the test links to invented
 * private ASes and countries). The graph groups hops into AS bands, each node
 * and the table's AS column name the AS, the map draws the path through
 * NL → DE → JP, and the session document carries the owners.
 *
 * Reverse DNS is off: lookups must not leave the machine.
 */
import { expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { describeWithNetwork } from '../net/vitestNetwork';
import { appForSuite } from './namespaceHarness';
import { TEST_NETWORK_ASN_DB, TEST_NETWORK_GEO_DB, testNetworkOwnerOf } from '../fixtures/enrich/testNetworkOwners';
import type { TraceDocument } from '@shared/traceFile';
import { startTrace, statusText, tid } from './uiSteps';

/** The part of the page's API this test calls. */
interface HarnessApi {
  listSessions(): Promise<{ value: { id: string }[] }>;
  getSessionDocument(request: { sessionId: string }): Promise<{ value: unknown }>;
}

const ROOT = resolve(import.meta.dirname, '../..');
/** The screenshots the README shows, refreshed by every run. */
const SHOTS = join(ROOT, 'docs/screenshots');
const LONG = { timeout: 60_000, interval: 200 };

describeWithNetwork('owners of each hop in Chromium', (getNet) => {
  // As `--asn-db` / `--geo-db` give them; the shipped data never names these addresses anyway.
  let page: Page;
  const pageErrors = appForSuite(
    getNet,
    {
      enrichment: { asnDb: TEST_NETWORK_ASN_DB, geoDb: TEST_NETWORK_GEO_DB, shipped: false },
    },
    { acceptDownloads: true, viewport: { width: 1440, height: 900 } },
    (opened) => (page = opened),
  );

  it('groups the hops into AS bands and names the AS in every node and in the table', async () => {
    const net = getNet();
    await startTrace(page, { target: net.target.v4, protocol: 'icmp', count: 4, intervalSec: 0.2 });
    await expect.poll(() => statusText(page, 'status-state'), LONG).toContain('Finished');

    // Every answering hop's owner, from the fixture's own table.
    const expectedAsn = new Map<number, number>();
    for (const hop of net.hops) {
      if (hop.silent) continue;
      const asns = new Set(hop.v4.map((a) => testNetworkOwnerOf(a)?.asn));
      expect(asns.size, `TTL ${hop.ttl}`).toBe(1);
      expectedAsn.set(hop.ttl, [...asns][0]!);
    }

    const bands = await page.locator(tid('as-band')).evaluateAll((els) =>
      els.map((el) => ({
        asn: Number(el.getAttribute('data-asn')),
        first: Number(el.getAttribute('data-first-ttl')),
        last: Number(el.getAttribute('data-last-ttl')),
        label: el.querySelector('text')?.textContent ?? '',
      })),
    );
    // Each band covers hops of its AS only, every answering hop is in one band, and the path
    // crosses the four networks in order (a band may be split where the graph wraps a row).
    const covered: number[] = [];
    for (const band of bands) {
      expect(band.label).toMatch(new RegExp(`^AS${band.asn}\\b`));
      for (let ttl = band.first; ttl <= band.last; ttl++) {
        expect(expectedAsn.get(ttl), `TTL ${ttl} in the AS${band.asn} band`).toBe(band.asn);
        covered.push(ttl);
      }
    }
    expect(covered.sort((a, b) => a - b)).toEqual([...expectedAsn.keys()].sort((a, b) => a - b));
    expect(bands.map((b) => b.asn).filter((asn, i, all) => asn !== all[i - 1])).toEqual([64512, 64513, 64514, 64515]);

    const nodeOwners = await page.locator(tid('hop-node')).evaluateAll((els) =>
      els
        .filter((el) => el.getAttribute('data-address'))
        .map((el) => ({
          ttl: Number(el.getAttribute('data-ttl')),
          owner: el.querySelector('[data-testid="hop-owner"]')?.textContent ?? '',
        })),
    );
    expect(nodeOwners.length).toBeGreaterThanOrEqual(expectedAsn.size);
    for (const { ttl, owner } of nodeOwners) expect(owner, `node at TTL ${ttl}`).toMatch(`AS${expectedAsn.get(ttl)}`);

    const tableAs = await page.locator(`${tid('hop-row')}`).evaluateAll((els) =>
      els
        .filter((el) => el.getAttribute('data-address'))
        .map((el) => ({
          ttl: Number(el.getAttribute('data-ttl')),
          as: el.querySelector('td.hs-col-as')?.textContent ?? '',
          country: el.querySelector('td.hs-col-country')?.textContent ?? '',
        })),
    );
    for (const row of tableAs) {
      expect(row.as, `row at TTL ${row.ttl}`).toMatch(new RegExp(`^AS${expectedAsn.get(row.ttl)} Hopscope`));
      expect(row.country).toMatch(/^(NL|DE|JP)$/);
    }
    await page.screenshot({ path: join(SHOTS, 'ui-owners.png') });
  });

  it('draws the path on the map through NL, DE and JP, with the data date and attribution', async () => {
    await page.locator(tid('view-map')).click();
    await page.locator(tid('map-stop')).first().waitFor({ timeout: 60_000 });
    const stops = await page
      .locator(tid('map-stop'))
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-country')));
    expect(stops).toEqual(['NL', 'DE', 'JP']);
    expect(await page.locator(tid('map-route')).count()).toBe(1);
    await expect.poll(() => statusText(page, 'enrichment-status'), LONG).toContain('AS data');
    expect(await statusText(page, 'enrichment-status')).toContain('your file');
    expect(await statusText(page, 'enrichment-attribution')).toContain('RouteViews');
    await page.screenshot({ path: join(SHOTS, 'ui-map.png') });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator(`${tid('map-panel')} .hs-world-map-export`).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^hopscope-.+-map\.png$/);

    // Back to the graph: it is still there.
    await page.locator(tid('view-graph')).click();
    expect(await page.locator(tid('map-panel')).count()).toBe(0);
    expect(await page.locator(tid('as-band')).count()).toBeGreaterThan(0);
  });

  it('puts the owners and their data into the session document', async () => {
    const doc = (await page.evaluate(async () => {
      // Page code: the harness client the page itself uses (see src/renderer/src/api/index.ts).
      const api = (globalThis as unknown as { __hopscopeApi: HarnessApi }).__hopscopeApi;
      const sessions = await api.listSessions();
      const id = sessions.value[sessions.value.length - 1]!.id;
      return (await api.getSessionDocument({ sessionId: id })).value;
    })) as TraceDocument;
    expect(doc.enrichment?.map((s) => [s.kind, s.origin])).toEqual([
      ['asn', 'user'],
      ['country', 'user'],
    ]);
    const target = doc.hops.flatMap((h) => h.hosts).find((h) => h.address === getNet().target.v4);
    expect(target?.owner?.as?.asn).toBe(64515);
    expect(target?.owner?.country?.code).toBe('JP');
    expect(pageErrors).toEqual([]);
  });
});

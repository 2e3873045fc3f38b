/**
 * The About box and the database settings, end to end: Chromium drives the
 * built renderer through the browser harness, which runs the real engine
 * with the shipped AS and country data and the real mtr-packet on the
 * namespace test network. The About box names the shipped data sets, their
 * data dates and licences; pointing the settings at the committed test AS
 * database (no restart) gives a running trace's hops the fixture's private
 * ASes, while a file that cannot be used is refused by name and changes nothing.
 *
 * Reverse DNS is off: lookups must not leave the machine.
 */
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeWithNetwork } from '../net/vitestNetwork';
import { appForSuite } from './namespaceHarness';
import { TEST_NETWORK_ASN_DB, testNetworkOwnerOf } from '../fixtures/enrich/testNetworkOwners';
import { startTrace, statusText, tid, typeInto } from './uiSteps';

const LONG = { timeout: 60_000, interval: 200 };
interface NodeOwner {
  ttl: number;
  address: string;
  owner: string;
}

/** The AS label of every answering node. */
function nodeOwners(page: Page): Promise<NodeOwner[]> {
  return page.locator(tid('hop-node')).evaluateAll((els) =>
    els
      .filter((el) => el.getAttribute('data-address'))
      .map((el) => ({
        ttl: Number(el.getAttribute('data-ttl')),
        address: el.getAttribute('data-address') ?? '',
        owner: el.querySelector('[data-testid="hop-owner"]')?.textContent ?? '',
      })),
  );
}

describeWithNetwork('About box and database settings in Chromium', (getNet) => {
  // The shipped data only, as the app starts without settings.
  let page: Page;
  const pageErrors = appForSuite(
    getNet,
    { enrichment: {} },
    { viewport: { width: 1440, height: 900 } },
    (opened) => (page = opened),
  );

  it('shows the shipped data sets with their data dates and attribution in the About box', async () => {
    await page.locator(tid('open-about')).click();
    const about = page.locator(tid('about-box'));
    await about.waitFor();
    // The data loads in the background; the box fills in its dates when it has.
    await expect.poll(() => about.locator(tid('about-data-date')).count(), LONG).toBe(2);
    const dates = await about.locator(tid('about-data-date')).allTextContents();
    for (const date of dates) expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const shippedAsn = await statusText(page, 'about-shipped-asn');
    expect(shippedAsn).toContain('@ip-location-db/asn');
    expect(shippedAsn).toMatch(/RouteViews.*DB-IP.*CC BY 4\.0/s);
    expect(await statusText(page, 'about-shipped-country')).toContain('CC0');
    expect(await about.locator('a[href="https://creativecommons.org/licenses/by/4.0/"]').count()).toBe(1);
    expect(await statusText(page, 'about-mtr-packet')).toContain(getNet().mtrPacketPath);
    expect(await statusText(page, 'status-data-date')).toBe(`AS data ${dates[0]}`);
    await page.keyboard.press('Escape');
    expect(await about.count()).toBe(0);
  });

  it('applies a user AS database without a restart: the running trace gets the fixture ASes', async () => {
    const net = getNet();
    await startTrace(page, { target: net.target.v4, protocol: 'icmp', intervalSec: 0.5 });
    await expect.poll(() => statusText(page, 'status-state'), LONG).toContain('Running');
    await expect.poll(async () => (await nodeOwners(page)).length, LONG).toBeGreaterThan(3);
    // Test-network addresses are private: the shipped data names no AS for them.
    for (const node of await nodeOwners(page)) expect(node.owner).not.toMatch(/AS\d/);

    await page.locator(tid('status-data-date')).click();
    const settings = page.locator(tid('enrichment-settings'));
    await settings.waitFor();

    // A file that is not there is refused by name, and nothing changes.
    const missing = `${TEST_NETWORK_ASN_DB}.missing`;
    await typeInto(page, 'asn-db-path', missing);
    await page.locator(tid('enrichment-settings-apply')).click();
    await expect
      .poll(() => statusText(page, 'enrichment-settings-problems'), LONG)
      .toContain(`${missing}: file not found`);

    await typeInto(page, 'asn-db-path', TEST_NETWORK_ASN_DB);
    await page.locator(tid('enrichment-settings-apply')).click();
    await expect.poll(() => statusText(page, 'enrichment-settings-applied'), LONG).toContain('Applied');
    expect(await statusText(page, 'enrichment-settings-status')).toMatch(
      /^In use: AS data \d{4}-\d{2}-\d{2} \(your file\)/,
    );
    await page.keyboard.press('Escape');
    expect(await statusText(page, 'status-data-date')).toMatch(/\(yours\)$/);

    // The open trace's nodes now carry the fixture's ASes.
    await expect
      .poll(async () => {
        const nodes = await nodeOwners(page);
        return nodes.every((n) => n.owner.includes(`AS${testNetworkOwnerOf(n.address)?.asn}`));
      }, LONG)
      .toBe(true);
    expect(await page.locator(tid('as-band')).count()).toBeGreaterThan(0);
    await page.locator(tid('stop-button')).click();
    expect(pageErrors).toEqual([]);
  });
});

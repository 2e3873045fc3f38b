/**
 * The harness as the e2e tests run it: on the host, with mtr-packet, name
 * lookups and the route pre-check all inside the test network's client
 * namespace. The route check must be asked there: on the host it would
 * consult the host's table, and a machine without a default route would
 * fail every trace with "Network is unreachable".
 */
import { join, resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { startHarness, type Harness, type HarnessOptions } from '../../src/harness/server';
import { launchChromium, openAppPage } from '../fixtures/chromium';
import { ensureBuilt } from '../fixtures/ensureBuilt';
import { namespaceResolvers } from '../net/namespaceResolvers';
import { namespaceRouteLookup } from '../net/namespaceRouteLookup';
import type { TestNetwork } from '../net/testNetwork';

const RENDERER_DIR = join(resolve(__dirname, '../..'), 'out/renderer');

/** What a test may set on the harness beyond the namespace's own lookups. */
export type HarnessExtras = Pick<HarnessOptions, 'orphanGraceMs' | 'host' | 'enrichment' | 'historyPath'>;

/** Start the built renderer's harness on a fresh service bound to `net`'s client namespace. */
export function startNamespaceHarness(net: TestNetwork, extra: HarnessExtras = {}): Promise<Harness> {
  return startHarness({
    rendererDir: RENDERER_DIR,
    mtrPacketPath: net.mtrPacketPath,
    resolvers: namespaceResolvers(net),
    routeLookup: namespaceRouteLookup(net),
    ...extra,
  });
}

/** The app as the UI tests drive it: built, served by a namespace harness, open in one Chromium page. */
export async function openAppInChromium(
  net: TestNetwork,
  extra: HarnessExtras,
  context: BrowserContextOptions,
  pageErrors: string[],
): Promise<{ harness: Harness; browser: Browser; page: Page }> {
  ensureBuilt();
  const harness = await startNamespaceHarness(net, extra);
  const browser = await launchChromium();
  const page = await openAppPage(browser, harness.url, context, pageErrors);
  return { harness, browser, page };
}

/**
 * The app in Chromium for one suite: opened before its tests (`use` gets the
 * page) and closed after them, then `cleanup` runs. Returns the page's errors,
 * which each test expects to be empty.
 */
export function appForSuite(
  getNet: () => TestNetwork,
  extra: HarnessExtras,
  context: BrowserContextOptions,
  use: (page: Page) => void,
  cleanup?: () => void,
): string[] {
  const pageErrors: string[] = [];
  let opened: Awaited<ReturnType<typeof openAppInChromium>> | undefined;
  beforeAll(async () => {
    opened = await openAppInChromium(getNet(), extra, context, pageErrors);
    use(opened.page);
  });
  afterAll(async () => {
    await opened?.browser.close();
    await opened?.harness.close();
    cleanup?.();
  });
  return pageErrors;
}

/**
 * A browser harness whose history file holds one long stored session
 * ('long.example', ROUNDS rounds of TTLS hops, written for the test: no
 * probing), and a Chromium page that accepts downloads. The page is not yet
 * navigated, so a test can watch its socket before it connects.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startHarness, type Harness } from '../../src/harness/server';
import { launchChromium } from '../fixtures/chromium';
import { ensureBuilt } from '../fixtures/ensureBuilt';
import { writeLongSession } from '../fixtures/historyFiles';

export const ROOT = resolve(import.meta.dirname, '../..');
export const ROUNDS = 2000;
export const TTLS = 4;

export interface LongSessionPage {
  dir: string;
  harness: Harness;
  browser: Browser;
  page: Page;
  /** Uncaught errors on the page. */
  pageErrors: string[];
  close: () => Promise<void>;
}

export async function openLongSessionPage(dirPrefix: string): Promise<LongSessionPage> {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), dirPrefix));
  const historyPath = join(dir, 'history.duckdb');
  // Recent, so the retention applied at start-up keeps it.
  const startedAt = Math.floor(Date.now() / 1000) * 1000 - 3 * 3600_000;
  await writeLongSession(historyPath, { rounds: ROUNDS, ttls: TTLS, startedAt });
  const harness = await startHarness({ rendererDir: join(ROOT, 'out/renderer'), historyPath });
  const browser = await launchChromium();
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1360, height: 860 } });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const close = async () => {
    await browser.close();
    await harness.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { dir, harness, browser, page, pageErrors, close };
}

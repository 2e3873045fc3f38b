/**
 * What the renderer's first screen costs: the JavaScript it loads and the
 * time from navigation to the drawn empty state, each build in fresh pages
 * (no cache), loads of several builds interleaved so a busy machine slows
 * them alike; the median load is reported. Part of `npm run bench:renderer`;
 * with BENCH_FIRST_SCREEN_BASELINE=DIR (another build's out/renderer, e.g. of
 * the commit before a change) it measures both in the same run.
 */
import { statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openRendererPage } from './rendererPage';

/**
 * The empty state in the DOM, then one animation frame and a task after it,
 * by which time it is painted. The scripts it needed are those requested
 * before it was in the DOM: the ones the app asked for to draw it, not what
 * it preloads afterwards for a trace (which starts once it is drawn).
 */
const EMPTY_STATE_PROBE = `new MutationObserver((_, observer) => {
  if (!document.querySelector('[data-testid="empty-state"]')) return;
  observer.disconnect();
  window.__emptyStateInDomMs = performance.now();
  requestAnimationFrame(() => setTimeout(() => (window.__emptyStateDrawnMs = performance.now())));
}).observe(document, { childList: true, subtree: true });`;

/** Scripts requested before the empty state was in the DOM; read once they have all arrived. */
const FIRST_SCREEN_SCRIPTS = `performance.getEntriesByType('resource')
  .filter((e) => e.name.endsWith('.js') && e.startTime <= window.__emptyStateInDomMs)
  .map((e) => new URL(e.name).pathname)`;

export interface FirstScreen {
  /** Navigation to the drawn empty state, median of the loads. */
  emptyStateDrawnMs: number;
  /** Every load's time, in the order measured. */
  loadsMs: number[];
  /** Minified JavaScript the first screen loaded, as built. */
  jsBytes: number;
  jsFiles: Record<string, number>;
}

interface Load {
  ms: number;
  jsFiles: Record<string, number>;
}

const round2 = (ms: number) => Math.round(ms * 100) / 100;

/**
 * The probe's reading, polled from outside: page.waitForFunction with a string
 * polls by evaluating it inside the page, which the app's CSP (no eval) blocks
 * whenever the first check comes too early.
 */
async function emptyStateDrawnMs(page: Page): Promise<number> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const ms = (await page.evaluate('window.__emptyStateDrawnMs')) as number | undefined;
    if (typeof ms === 'number') return ms;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the empty state was not drawn within 30 s');
}

async function loadOnce(browser: Browser, rendererDir: string, origin: string, errors: string[]): Promise<Load> {
  const page = await openRendererPage(browser, { rendererDir, origin, initScripts: [EMPTY_STATE_PROBE], errors });
  try {
    await page.goto(`${origin}/index.html`);
    const ms = await emptyStateDrawnMs(page);
    // Scripts still arriving (a part drawn lazily) are in the resource entries once the network is quiet.
    await page.waitForLoadState('networkidle');
    const scripts = (await page.evaluate(FIRST_SCREEN_SCRIPTS)) as string[];
    const jsFiles = Object.fromEntries(
      scripts.map((path) => [path.replace(/^\/+/, ''), statSync(join(rendererDir, normalize(path))).size]),
    );
    return { ms, jsFiles };
  } finally {
    await page.context().close();
  }
}

function summarise(loads: Load[]): FirstScreen {
  const byTime = [...loads].sort((a, b) => a.ms - b.ms);
  const median = byTime[Math.floor((byTime.length - 1) / 2)]!;
  const jsBytes = Object.values(median.jsFiles).reduce((a, b) => a + b, 0);
  return {
    emptyStateDrawnMs: round2(median.ms),
    loadsMs: loads.map((l) => round2(l.ms)),
    jsBytes,
    jsFiles: median.jsFiles,
  };
}

/** Each build's first screen, `loads` times, interleaved; keyed like `builds`. */
export async function measureFirstScreens(
  browser: Browser,
  builds: Record<string, string>,
  loads: number,
  errors: string[],
): Promise<Record<string, FirstScreen>> {
  const names = Object.keys(builds);
  const measured = new Map<string, Load[]>(names.map((name) => [name, []]));
  // Untimed: the first loads of a browser pay for starting its processes.
  for (const [n, name] of names.entries())
    await loadOnce(browser, builds[name]!, `http://warmup${n}.hopscope.bench`, errors);
  for (let i = 0; i < loads; i++) {
    // Alternate which build goes first, so neither always gets the machine as the other left it.
    for (const name of i % 2 === 0 ? names : [...names].reverse()) {
      const origin = `http://build${names.indexOf(name)}.hopscope.bench`;
      measured.get(name)!.push(await loadOnce(browser, builds[name]!, origin, errors));
    }
  }
  return Object.fromEntries(names.map((name) => [name, summarise(measured.get(name)!)]));
}

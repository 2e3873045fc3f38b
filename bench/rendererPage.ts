/**
 * The built renderer in a Chromium page, as the renderer benchmarks load it:
 * served from disk under a made-up origin (no server, nothing on the
 * network), with the fake engine (rendererBenchPage.js) injected before it
 * loads. Each page is its own browser context: nothing cached between them.
 */
import { readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import type { Browser, Page } from 'playwright-core';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface RendererPageOptions {
  /** A built renderer (out/renderer). */
  rendererDir: string;
  /** Made-up origin to serve it under. */
  origin: string;
  /** Init scripts run before the app, after the fake engine. */
  initScripts?: string[];
  /** Collects the page's uncaught errors. */
  errors: string[];
}

export async function openRendererPage(browser: Browser, options: RendererPageOptions): Promise<Page> {
  const { rendererDir, origin, initScripts = [], errors } = options;
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route(`${origin}/**`, async (route) => {
    const path = normalize(decodeURIComponent(new URL(route.request().url()).pathname)).replace(/^\/+/, '');
    const file = join(rendererDir, path || 'index.html');
    if (!file.startsWith(rendererDir)) return route.fulfill({ status: 404 });
    try {
      await route.fulfill({ status: 200, contentType: TYPES[extname(file)], body: readFileSync(file) });
    } catch {
      await route.fulfill({ status: 404 });
    }
  });
  await page.addInitScript({ path: join(import.meta.dirname, 'rendererBenchPage.js') });
  for (const content of initScripts) await page.addInitScript(content);
  return page;
}

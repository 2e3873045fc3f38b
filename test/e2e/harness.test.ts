/**
 * The browser harness end to end, in Debian's Chromium: the built renderer
 * loads under the CSP, a trace over the namespace test network runs through
 * the same HopscopeApi the renderer uses, and a browser without the token gets
 * nothing. What the server refuses at the HTTP and WebSocket level, and how it
 * holds sessions, is in harnessSockets.test.ts.
 *
 * The build (electron-vite build) happens in beforeAll through
 * test/fixtures/ensureBuilt.ts, only when out/ is missing or older than src/.
 * The harness server itself runs from source (startNamespaceHarness).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import { describeWithNetwork } from '../net/vitestNetwork';
import { ensureBuilt } from '../fixtures/ensureBuilt';
import type { Harness } from '../../src/harness/server';
import { startNamespaceHarness } from './namespaceHarness';
import { CONTENT_SECURITY_POLICY } from '../../src/main/electron/contentSecurity';
import type { HopscopeApi, IpcResult } from '@shared/ipc';
import type { SessionEventBatch } from '@shared/session';
import { launchChromium } from '../fixtures/chromium';
import { ROOT } from './harnessConnections';

const API_SCRIPT_PATH = '/__e2e__/hopscope-api.js';
const EVAL_PROBE_PATH = '/__e2e__/eval-probe.js';
const EVAL_PROBE = `try { window.__evalResult = String(eval('1 + 1')); } catch (e) { window.__evalResult = e.name; }`;

/** What the page's globals look like to the functions evaluated in it. */
interface PageGlobals {
  __cspViolations: string[];
  __hopscopeApi?: HopscopeApi;
  __hopscopeModule: { getHopscopeApi(): HopscopeApi };
  __batches: SessionEventBatch[];
  __openResult?: unknown;
}

/**
 * The renderer's API module (src/renderer/src/api) bundled on its own as an
 * IIFE, so the test drives exactly that module whatever the UI does. It is
 * served from the page's own origin (script-src 'self' allows it).
 */
async function bundleApiModule(): Promise<string> {
  const output = await build({
    configFile: false,
    root: ROOT,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      emptyOutDir: false,
      lib: { entry: join(ROOT, 'src/renderer/src/api/index.ts'), formats: ['iife'], name: '__hopscopeModule' },
    },
  });
  const results = Array.isArray(output) ? output : [output];
  for (const result of results) {
    if (!('output' in result)) continue;
    for (const chunk of result.output) if (chunk.type === 'chunk' && chunk.isEntry) return chunk.code;
  }
  throw new Error('no bundle produced for the API module');
}

describeWithNetwork('browser harness in Chromium', (getNet) => {
  let harness: Harness;
  let browser: Browser;
  let apiBundle: string;
  let context: BrowserContext;
  let page: Page;
  const consoleLines: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    apiBundle = await bundleApiModule();
    // Names and routes are looked up inside the test namespace, never by the host's resolver or table.
    harness = await startNamespaceHarness(getNet());
    browser = await launchChromium();
    context = await browser.newContext({ acceptDownloads: true });
    page = await context.newPage();
    page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // Record violations from the very first script on (init scripts are not subject to the page's CSP).
    await page.addInitScript({
      content: `window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) => {
          window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
        });`,
    });
    await page.route(`**${API_SCRIPT_PATH}`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/javascript; charset=utf-8', body: apiBundle }),
    );
    await page.route(`**${EVAL_PROBE_PATH}`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/javascript; charset=utf-8', body: EVAL_PROBE }),
    );
  });

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  it('a browser without the token gets 401', async () => {
    const stranger = await browser.newContext();
    try {
      const p = await stranger.newPage();
      const response = await p.goto(`http://127.0.0.1:${harness.port}/`);
      expect(response?.status()).toBe(401);
    } finally {
      await stranger.close();
    }
  });

  it('loads the renderer with the CSP in force and no violations', async () => {
    const response = await page.goto(harness.url, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    // The token was traded for the cookie and is gone from the address bar.
    expect(page.url()).toBe(`http://127.0.0.1:${harness.port}/`);
    await page.waitForSelector('#root', { state: 'attached' });
    // Give the app's module a moment to run and render.
    await page.waitForFunction(`document.readyState === 'complete'`);
    const violations = await page.evaluate(() => (globalThis as unknown as PageGlobals).__cspViolations);
    expect(violations).toEqual([]);
    // frame-ancestors lives in the header only: in a meta policy Chromium ignores it with a console error.
    const cspMessages = consoleLines.filter((l) => /Content.Security.Policy|Refused to|frame-ancestors/i.test(l));
    expect(cspMessages).toEqual([]);
    expect(consoleLines.filter((l) => l.startsWith('error:'))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('enforces the CSP: inline script, eval and other origins are blocked', async () => {
    const inlineRan = await page.evaluate(`(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.head.appendChild(s);
      return window.__inlineRan === true;
    })()`);
    expect(inlineRan).toBe(false);
    // eval must be tried from the page's own script: code evaluated over CDP is exempt from CSP.
    await page.addScriptTag({ url: EVAL_PROBE_PATH });
    const evalResult = await page.evaluate(`window.__evalResult`);
    expect(evalResult).toBe('EvalError');
    // A loopback address on another origin (a closed port): refused by CSP before any request.
    await page.evaluate(`(() => {
      const s = document.createElement('script');
      s.src = 'http://127.0.0.2:9/x.js';
      document.head.appendChild(s);
    })()`);
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__cspViolations.length >= 3);
    const violations = await page.evaluate(() => (globalThis as unknown as PageGlobals).__cspViolations);
    expect(violations.some((v) => v.startsWith('script-src') && v.endsWith('inline'))).toBe(true);
    expect(violations.some((v) => v.startsWith('script-src') && v.endsWith('eval'))).toBe(true);
    expect(violations.some((v) => v.includes('127.0.0.2'))).toBe(true);
  });

  it('runs a trace through the harness API and receives the expected hops', async () => {
    const net = getNet();
    // Only violations from here on count (the previous test provoked some on purpose).
    await page.evaluate(() => {
      (globalThis as unknown as PageGlobals).__cspViolations.length = 0;
    });
    await page.addScriptTag({ url: API_SCRIPT_PATH });
    const setup = await page.evaluate(async (target) => {
      const g = globalThis as unknown as PageGlobals;
      const api = g.__hopscopeModule.getHopscopeApi();
      g.__batches = [];
      api.on('sessionEvents', (batch) => g.__batches.push(batch));
      const ready = await api.rendererReady();
      const started = await api.startSession({ target, count: 3, intervalSec: 0.5, timeoutSec: 2, dns: false });
      return { ready, started, transport: api.transport, platform: api.platform, exposed: g.__hopscopeApi === api };
    }, net.target.v4);
    expect(setup.transport).toBe('harness');
    expect(setup.platform).toBe(process.platform);
    expect(setup.exposed).toBe(true);
    expect(setup.ready).toEqual({ ok: true, value: null });
    expect(setup.started).toMatchObject({ ok: true, value: { options: { target: net.target.v4 } } });
    const sessionId = (setup.started as IpcResult<{ id: string }> & { ok: true }).value.id;

    // Wait for the session to finish its three rounds.
    await page.waitForFunction(
      (id) =>
        (globalThis as unknown as PageGlobals).__batches.some(
          (b) =>
            b.sessionId === id &&
            b.events.some((e) => e.type === 'state' && ['finished', 'failed', 'stopped'].includes(e.summary.state)),
        ),
      sessionId,
      { timeout: 90_000, polling: 250 },
    );
    const batches = await page.evaluate(() => (globalThis as unknown as PageGlobals).__batches);
    const events = batches.filter((b) => b.sessionId === sessionId).flatMap((b) => b.events);
    const finalState = events.filter((e) => e.type === 'state').at(-1);
    expect(finalState).toMatchObject({ summary: { state: 'finished', destinationTtl: net.destinationTtl } });
    expect(events).toContainEqual({ type: 'destination-reached', ttl: net.destinationTtl });

    const seen = new Map<number, Set<string>>();
    for (const e of events) {
      if (e.type !== 'hops') continue;
      for (const hop of e.hops) {
        const set = seen.get(hop.ttl) ?? new Set<string>();
        for (const host of hop.hosts) set.add(host.address);
        seen.set(hop.ttl, set);
      }
    }
    for (const spec of net.hops) {
      const addresses = [...(seen.get(spec.ttl) ?? [])];
      if (spec.silent) {
        expect(addresses, `TTL ${spec.ttl} is silent`).toEqual([]);
      } else {
        expect(addresses.length, `TTL ${spec.ttl} answered`).toBeGreaterThan(0);
        for (const address of addresses) expect(spec.v4, `TTL ${spec.ttl}`).toContain(address);
      }
    }
    // Batches of a session are numbered without gaps.
    const seqs = batches.filter((b) => b.sessionId === sessionId).map((b) => b.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));

    // Saving goes to a browser download with the same content the Electron dialog path would write.
    const document = await page.evaluate(
      (id) =>
        (globalThis as unknown as PageGlobals).__hopscopeModule.getHopscopeApi().getSessionDocument({ sessionId: id }),
      sessionId,
    );
    expect(document.ok).toBe(true);
    if (!document.ok) return;
    const [download, saved] = await Promise.all([
      page.waitForEvent('download'),
      page.evaluate(
        (doc) =>
          (globalThis as unknown as PageGlobals).__hopscopeModule
            .getHopscopeApi()
            .saveTraceJson({ suggestedName: 'e2e trace', document: doc }),
        document.value,
      ),
    ]);
    expect(saved).toEqual({ ok: true, value: { saved: true, path: 'e2e trace.json' } });
    expect(download.suggestedFilename()).toBe('e2e trace.json');
    const savedText = await readFile((await download.path())!, 'utf8');
    expect(JSON.parse(savedText)).toMatchObject({ format: 'hopscope.trace', destinationReached: true });

    // Opening goes through a file input and importTraceText.
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.evaluate(() => {
        const g = globalThis as unknown as PageGlobals;
        void g.__hopscopeModule
          .getHopscopeApi()
          .openTraceFile()
          .then((r) => (g.__openResult = r));
      }),
    ]);
    expect(chooser.isMultiple()).toBe(false);
    await chooser.setFiles({ name: 'opened.json', mimeType: 'application/json', buffer: Buffer.from(savedText) });
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__openResult !== undefined);
    const opened = await page.evaluate(() => (globalThis as unknown as PageGlobals).__openResult);
    expect(opened).toMatchObject({
      ok: true,
      value: { ok: true, fileName: 'opened.json', sourceFormat: expect.any(String) },
    });

    const closed = await page.evaluate(
      (id) => (globalThis as unknown as PageGlobals).__hopscopeModule.getHopscopeApi().closeSession({ sessionId: id }),
      sessionId,
    );
    expect(closed).toEqual({ ok: true, value: null });
    const violations = await page.evaluate(() => (globalThis as unknown as PageGlobals).__cspViolations);
    expect(violations).toEqual([]);
  });
});

/**
 * The browser harness end to end, in Debian's Chromium: the built renderer
 * loads under the CSP, a trace over the namespace test network runs through
 * the same HopscopeApi the renderer uses, and nothing gets in without the token.
 *
 * The build (electron-vite build) happens in beforeAll through
 * test/fixtures/ensureBuilt.ts, only when out/ is missing or older than src/.
 * The harness server itself runs from source (startNamespaceHarness).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { request } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import WebSocket from 'ws';
import { build } from 'vite';
import { describeWithNetwork } from '../net/vitestNetwork';
import { ensureBuilt } from '../fixtures/ensureBuilt';
import type { Harness } from '../../src/harness/server';
import { startNamespaceHarness } from './namespaceHarness';
import { CONTENT_SECURITY_POLICY } from '../../src/main/electron/contentSecurity';
import type { HopscopeApi, IpcResult } from '@shared/ipc';
import type { SessionEventBatch } from '@shared/session';
import { launchChromium } from '../fixtures/chromium';

const ROOT = resolve(__dirname, '../..');
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

interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw GET (fetch would not let the test choose the Host header). */
function httpGet(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  host = '127.0.0.1',
): Promise<HttpResult> {
  return new Promise((resolvePromise, reject) => {
    const req = request({ host, port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface OpenSocket {
  ws: WebSocket;
  /** Resolves with the next message, including ones that arrived before anyone asked. */
  next(): Promise<Record<string, unknown>>;
  /** Every message so far, in order (events included). */
  seen: Record<string, unknown>[];
}

/** Open a WebSocket; resolves with the socket or the HTTP status that refused it. */
function tryWebSocket(
  url: string,
  headers: Record<string, string>,
): Promise<({ opened: true } & OpenSocket) | { opened: false; status: number }> {
  return new Promise((resolvePromise, reject) => {
    const ws = new WebSocket(url, { headers });
    // Queue from the start: the server's hello can arrive in the same packet as the handshake.
    const queue: Record<string, unknown>[] = [];
    const seen: Record<string, unknown>[] = [];
    const waiters: ((m: Record<string, unknown>) => void)[] = [];
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      seen.push(message);
      const waiter = waiters.shift();
      if (waiter) waiter(message);
      else queue.push(message);
    });
    const next = () =>
      new Promise<Record<string, unknown>>((r) => {
        const queued = queue.shift();
        if (queued) r(queued);
        else waiters.push(r);
      });
    ws.once('open', () => resolvePromise({ opened: true, ws, next, seen }));
    ws.once('unexpected-response', (_req, res) => {
      resolvePromise({ opened: false, status: res.statusCode ?? 0 });
      res.resume();
      ws.terminate();
    });
    ws.once('error', (err) => reject(err));
  });
}

/** A socket to `harness` as its own page would open it. */
async function openPage(harness: Harness): Promise<OpenSocket> {
  const origin = `http://127.0.0.1:${harness.port}`;
  const socket = await tryWebSocket(`ws://127.0.0.1:${harness.port}/ws?token=${harness.token}`, { Origin: origin });
  if (!socket.opened) throw new Error(`socket refused: ${socket.status}`);
  return socket;
}

/** Send one call and wait for its result (events in between are skipped). */
async function invoke(socket: OpenSocket, id: number, name: unknown, payload?: unknown): Promise<IpcResult<unknown>> {
  socket.ws.send(
    JSON.stringify(payload === undefined ? { t: 'invoke', id, name } : { t: 'invoke', id, name, payload }),
  );
  return resultOf(socket, id);
}

async function resultOf(socket: OpenSocket, id: number): Promise<IpcResult<unknown>> {
  await expect.poll(() => socket.seen.some((m) => m.t === 'result' && m.id === id), { timeout: 30_000 }).toBe(true);
  return socket.seen.find((m) => m.t === 'result' && m.id === id)!.result as IpcResult<unknown>;
}

/** The socket's close code and reason, once it is closed. */
function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((r) => ws.once('close', (code, reason) => r({ code, reason: reason.toString() })));
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

  it('refuses HTTP requests without the token', async () => {
    const { port, token } = harness;
    expect((await httpGet(port, '/')).status).toBe(401);
    expect((await httpGet(port, '/index.html')).status).toBe(401);
    expect((await httpGet(port, '/assets/anything.js')).status).toBe(401);
    expect((await httpGet(port, '/?token=wrong')).status).toBe(403);
    expect((await httpGet(port, '/', { Cookie: `hopscope_token_${port}=wrong` })).status).toBe(401);
    // Another port's cookie name does not count.
    expect((await httpGet(port, '/', { Cookie: `hopscope_token_1=${token}` })).status).toBe(401);
    // DNS rebinding: the right token under a foreign Host name is still refused.
    expect((await httpGet(port, `/?token=${token}`, { Host: `attacker.example:${port}` })).status).toBe(403);

    const first = await httpGet(port, `/?token=${token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toContain(`hopscope_token_${port}=${token}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);

    const withCookie = await httpGet(port, '/', { Cookie: `hopscope_token_${port}=${token}` });
    expect(withCookie.status).toBe(200);
    expect(withCookie.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(withCookie.body).toContain('<div id="root">');
    expect((await httpGet(port, '/../../etc/passwd', { Cookie: `hopscope_token_${port}=${token}` })).status).toBe(404);
  });

  it('redirects the token URL to / whatever path it carries', async () => {
    const { port, token } = harness;
    for (const path of [
      `/.//evil.example/x?token=${token}`,
      `//evil.example/?token=${token}`,
      `/a/b?x=1&token=${token}`,
    ]) {
      const response = await httpGet(port, path);
      expect(response.status, path).toBe(303);
      expect(response.headers.location, path).toBe('/');
    }
  });

  it('a page cannot crash the harness: a call name with a non-function toString is refused', async () => {
    const socket = await openPage(harness);
    try {
      for (const name of [{ toString: 1 }, { toString: null, valueOf: 1 }, [1], null, 42]) {
        const id = Math.floor(Math.random() * 1e9);
        socket.ws.send(JSON.stringify({ t: 'invoke', id, name }));
        expect(await resultOf(socket, id)).toMatchObject({
          ok: false,
          error: { code: 'invalid-request', field: 'name', message: expect.stringMatching(/^unknown call /) },
        });
      }
      // Still serving, on this socket and on a new one.
      expect(await invoke(socket, 1, 'listSessions')).toMatchObject({ ok: true });
      const other = await openPage(harness);
      expect(await invoke(other, 1, 'getLastTraceOptions')).toMatchObject({ ok: true });
      other.ws.close();
    } finally {
      socket.ws.close();
    }
  });

  it('refuses a message larger than its call needs, before parsing it, and keeps serving', async () => {
    const socket = await openPage(harness);
    try {
      const padding = 'x'.repeat(2 * 1024 * 1024);
      // A startSession of 2 MB: options are a few hundred bytes.
      socket.ws.send(JSON.stringify({ t: 'invoke', id: 1, name: 'startSession', payload: { target: padding } }));
      expect(await resultOf(socket, 1)).toMatchObject({
        ok: false,
        error: {
          code: 'invalid-request',
          message: expect.stringMatching(/^message too large for startSession: \d+ bytes, at most \d+$/),
        },
      });
      // The head names a large call, the last (winning) key another: checked again after parsing.
      socket.ws.send(
        `{"t":"invoke","id":2,"name":"importTraceText","payload":{"fileName":"a","text":"${padding}"},"name":"listSessions"}`,
      );
      expect(await resultOf(socket, 2)).toMatchObject({
        ok: false,
        error: { message: expect.stringMatching(/^message too large for listSessions/) },
      });
      // A trace file of that size is what importTraceText is for.
      const imported = await invoke(socket, 3, 'importTraceText', { fileName: 'big.json', text: padding });
      expect(imported).toMatchObject({ ok: true, value: { ok: false, fileName: 'big.json' } });
      expect(await invoke(socket, 4, 'listSessions')).toMatchObject({ ok: true });
      // Large and unnamed: nothing to answer, the socket is closed with the reason.
      const closing = closed(socket.ws);
      socket.ws.send(JSON.stringify({ padding }));
      expect(await closing).toEqual({ code: 1003, reason: expect.stringMatching(/too large for an unnamed call/) });
    } finally {
      socket.ws.close();
    }
    const again = await openPage(harness);
    expect(await invoke(again, 1, 'listSessions')).toMatchObject({ ok: true });
    again.ws.close();
  });

  it('refuses WebSocket upgrades without the token or from another origin', async () => {
    const { port, token } = harness;
    const origin = `http://127.0.0.1:${port}`;
    const base = `ws://127.0.0.1:${port}/ws`;
    expect(await tryWebSocket(base, { Origin: origin })).toEqual({ opened: false, status: 401 });
    expect(await tryWebSocket(`${base}?token=wrong`, { Origin: origin })).toEqual({ opened: false, status: 401 });
    expect(await tryWebSocket(`${base}?token=${token}`, { Origin: 'http://evil.example' })).toEqual({
      opened: false,
      status: 403,
    });
    expect(await tryWebSocket(`${base}?token=${token}`, {})).toEqual({ opened: false, status: 403 });

    const ok = await tryWebSocket(`${base}?token=${token}`, { Origin: origin });
    expect(ok.opened).toBe(true);
    if (!ok.opened) return;
    const hello = await ok.next();
    expect(hello).toEqual({ t: 'hello', platform: process.platform });
    // The socket is as strict as IPC: bad payloads and unknown calls are typed errors.
    ok.ws.send(JSON.stringify({ t: 'invoke', id: 1, name: 'startSession', payload: { target: 'a\nb' } }));
    expect(await ok.next()).toMatchObject({
      t: 'result',
      id: 1,
      result: { ok: false, error: { code: 'invalid-request', field: 'target' } },
    });
    ok.ws.send(JSON.stringify({ t: 'invoke', id: 2, name: 'toString' }));
    expect(await ok.next()).toMatchObject({
      id: 2,
      result: { ok: false, error: { code: 'invalid-request', field: 'name' } },
    });
    // Without dialogs the engine refuses file calls; the browser client never sends them.
    ok.ws.send(JSON.stringify({ t: 'invoke', id: 3, name: 'openTraceFile' }));
    expect(await ok.next()).toMatchObject({ id: 3, result: { ok: false, error: { code: 'forbidden' } } });
    ok.ws.close();
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
  /** A second harness on a fresh service (mtr-packet not yet open), closed by the caller. */
  async function freshHarness(options: { orphanGraceMs?: number; host?: string } = {}): Promise<Harness> {
    return startNamespaceHarness(getNet(), options);
  }

  it('holds the session cap against 1,000 parallel startSession calls over sockets', async () => {
    const capped = await freshHarness();
    try {
      const pages = await Promise.all(Array.from({ length: 4 }, () => openPage(capped)));
      const results = await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          invoke(pages[i % pages.length]!, i, 'startSession', { target: getNet().target.v4, count: 1, dns: false }),
        ),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(32);
      expect(results.filter((r) => !r.ok).every((r) => !r.ok && /at most 32/.test(r.error.message))).toBe(true);
      const list = await invoke(pages[0]!, 5000, 'listSessions');
      expect(list.ok && (list.value as unknown[]).length).toBe(32);
    } finally {
      await capped.close();
    }
  });

  it("a closed page's sessions are attached by the next page and keep streaming; the others are closed after the grace period", async () => {
    const leasing = await freshHarness({ orphanGraceMs: 2000 });
    try {
      const net = getNet();
      const first = await openPage(leasing);
      expect(await invoke(first, 1, 'rendererReady')).toEqual({ ok: true, value: null });
      const ids: string[] = [];
      for (let i = 0; i < 32; i++) {
        const started = await invoke(first, 10 + i, 'startSession', {
          target: net.target.v4,
          intervalSec: 0.2,
          dns: false,
        });
        if (!started.ok) throw new Error(started.error.message);
        ids.push((started.value as { id: string }).id);
      }
      const closing = closed(first.ws);
      first.ws.close();
      await closing;

      // The next page sees the sessions it did not start and takes two back.
      const second = await openPage(leasing);
      expect(await invoke(second, 1, 'rendererReady')).toEqual({ ok: true, value: null });
      const listed = await invoke(second, 2, 'listSessions');
      expect(listed.ok && (listed.value as { id: string }[]).map((s) => s.id).sort()).toEqual([...ids].sort());
      const kept = ids.slice(0, 2);
      for (const [i, sessionId] of kept.entries()) {
        expect(await invoke(second, 3 + i, 'attachSession', { sessionId })).toMatchObject({
          ok: true,
          value: { id: sessionId },
        });
      }
      expect(await invoke(second, 9, 'attachSession', { sessionId: 'not a valid id' })).toMatchObject({
        ok: false,
        error: { code: 'invalid-request', field: 'sessionId' },
      });

      await expect
        .poll(
          async () => {
            const now = await invoke(second, 100 + Math.floor(Math.random() * 1e6), 'listSessions');
            return now.ok ? (now.value as { id: string }[]).map((s) => s.id).sort() : null;
          },
          { timeout: 20_000 },
        )
        .toEqual([...kept].sort());
      // The attached sessions are still probing and their events reach the new page.
      const batchesOf = (id: string) =>
        second.seen.filter((m) => m.t === 'event' && (m.payload as SessionEventBatch).sessionId === id).length;
      const before = kept.map(batchesOf);
      await expect.poll(() => kept.map(batchesOf).every((n, i) => n > before[i]!), { timeout: 20_000 }).toBe(true);
      // The abandoned slots are free: this page can start new sessions again.
      const fresh = await invoke(second, 50, 'startSession', { target: net.target.v4, count: 1, dns: false });
      expect(fresh.ok).toBe(true);
      second.ws.close();
    } finally {
      await leasing.close();
    }
  });

  it('accepts its own URL when listening on another loopback address (--host 127.0.0.2)', async () => {
    const other = await freshHarness({ host: '127.0.0.2' });
    try {
      const url = new URL(other.url);
      expect(url.hostname).toBe('127.0.0.2');
      const response = await httpGet(other.port, url.pathname + url.search, { Host: url.host }, '127.0.0.2');
      expect(response.status).toBe(303);
      const page = await httpGet(
        other.port,
        '/',
        { Host: url.host, Cookie: `hopscope_token_${other.port}=${other.token}` },
        '127.0.0.2',
      );
      expect(page.status).toBe(200);
      // Still a DNS-rebinding guard: a foreign name is refused.
      expect(
        (await httpGet(other.port, url.pathname + url.search, { Host: `attacker.example:${other.port}` }, '127.0.0.2'))
          .status,
      ).toBe(403);
    } finally {
      await other.close();
    }
  });
});

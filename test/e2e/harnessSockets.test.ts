/**
 * The browser harness at the HTTP and WebSocket level, without a browser:
 * nothing gets in without the token or from another origin, oversized or
 * malformed calls are refused without hurting the server, the session cap
 * holds, and a closed page's sessions wait for the next page.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithNetwork } from '../net/vitestNetwork';
import { ensureBuilt } from '../fixtures/ensureBuilt';
import type { Harness } from '../../src/harness/server';
import { CONTENT_SECURITY_POLICY } from '../../src/main/electron/contentSecurity';
import type { SessionEventBatch } from '@shared/session';
import { startNamespaceHarness } from './namespaceHarness';
import { closed, httpGet, invoke, openPage, resultOf, tryWebSocket } from './harnessConnections';

describeWithNetwork('browser harness over HTTP and WebSocket', (getNet) => {
  let harness: Harness;

  beforeAll(async () => {
    ensureBuilt();
    harness = await startNamespaceHarness(getNet());
  });

  afterAll(async () => {
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
      const padding = 'x'.repeat(512 * 1024);
      // A startSession of 512 KB: options are a few hundred bytes.
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
      // A (not so big) trace file is what importTraceText is for.
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
    // Over the socket's limit (100 MB, as in the audit): ws drops it from the frame header, unbuffered.
    const flooding = await openPage(harness);
    const dropped = closed(flooding.ws);
    flooding.ws.send(Buffer.alloc(100 * 1024 * 1024, 0x20));
    expect(await dropped).toMatchObject({ code: 1009 });
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
    expect(hello).toEqual({ t: 'hello', platform: process.platform, connection: expect.any(String) });
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

  /** A second harness on a fresh service (mtr-packet not yet open), closed by the caller. */
  const freshHarness = (options: { orphanGraceMs?: number; host?: string } = {}): Promise<Harness> =>
    startNamespaceHarness(getNet(), options);

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

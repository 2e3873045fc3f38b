/**
 * The agent's read-only view: who may connect (the token, as a header; never
 * a browser), what it answers, and what it refuses; and its token file.
 */
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { READ_ONLY_AGENT_VIEW } from '@shared/remoteAgent';
import { AgentViewFeed, viewSessionId } from '../../../src/agent/viewServer/viewFeed';
import { AgentViewServer, parseViewListen } from '../../../src/agent/viewServer/viewServer';
import { readOrCreateViewToken, ViewTokenError } from '../../../src/agent/viewServer/viewToken';
import { FULL_TRACE_OPTIONS } from '../ipc/payloads';
import { summary } from '../../fixtures/traceBuilders';
import type { SessionEventBatch } from '@shared/session';
import type { TraceSession } from '../../../src/main/trace/traceSession';

const TOKEN = 'v'.repeat(43);

type Reply = { t: string; id?: number; result?: { ok: boolean; error?: { code: string; message: string } } };

/** Opens a socket; resolves with the HTTP status of a refused upgrade, or the open socket. */
function open(url: string, headers: Record<string, string>): Promise<number | WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('open', () => resolve(ws));
    ws.once('error', (err) => reject(err));
  });
}

describe('the agent view server', () => {
  let server: AgentViewServer;
  let url: string;
  let ws: WebSocket;
  const replies: Reply[] = [];

  const call = async (id: number, name: string, payload?: unknown): Promise<Reply> => {
    ws.send(JSON.stringify({ t: 'invoke', id, name, ...(payload === undefined ? {} : { payload }) }));
    for (;;) {
      const found = replies.find((r) => r.id === id);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  beforeAll(async () => {
    server = new AgentViewServer(new AgentViewFeed(() => []), TOKEN, () => {});
    const bound = await server.listen({ host: '127.0.0.1', port: 0 });
    url = `ws://127.0.0.1:${bound.port}/view`;
    ws = new WebSocket(url, { headers: { Authorization: `Bearer ${TOKEN}` } });
    // Listening before the socket opens: the hello comes first.
    ws.on('message', (data) => replies.push(JSON.parse(String(data)) as Reply));
    await new Promise((resolve) => ws.once('open', resolve));
  });

  afterAll(async () => {
    ws?.terminate();
    await server?.close();
  });

  it('lets in only the token, as a bearer header, and never a browser page', async () => {
    expect(await open(url, {})).toBe(401);
    expect(await open(url, { Authorization: `Bearer ${'w'.repeat(43)}` })).toBe(401);
    expect(await open(`${url}?token=${TOKEN}`, {})).toBe(401);
    expect(await open(url, { Authorization: `Bearer ${TOKEN}`, Origin: 'http://127.0.0.1:1' })).toBe(403);
    expect(await open(url.replace('/view', '/ws'), { Authorization: `Bearer ${TOKEN}` })).toBe(404);
  });

  it('says hello as a read-only view and lists its sessions', async () => {
    expect(replies[0]).toMatchObject({ t: 'hello', readOnly: true });
    expect((await call(1, 'listSessions')).result).toEqual({ ok: true, value: [] });
  });

  it.each([
    ['stopSession', { sessionId: 't-1' }, 101],
    ['updateSession', { sessionId: 't-1', options: { target: '192.0.2.1' } }, 102],
    ['startSession', FULL_TRACE_OPTIONS, 103],
    ['closeSession', { sessionId: 't-1' }, 104],
  ])('refuses %s as a read-only view', async (name, payload, id) => {
    const reply = await call(id, name, payload);
    expect(reply.result).toEqual({
      ok: false,
      error: { code: 'forbidden', message: `${name}: ${READ_ONLY_AGENT_VIEW}` },
    });
  });

  it('checks payloads before anything, and answers unknown sessions and unserved calls clearly', async () => {
    expect((await call(20, 'startSession', { target: 'a b' })).result?.error?.code).toBe('invalid-request');
    expect((await call(21, 'getSessionDocument', { sessionId: viewSessionId('x') })).result?.error).toMatchObject({
      code: 'not-found',
    });
    expect((await call(22, 'checkMtrPacket')).result?.error?.message).toBe(
      'checkMtrPacket is not served by an agent view',
    );
  });

  it('closes a socket that sends garbage without an id, and stays up for others', async () => {
    const other = (await open(url, { Authorization: `Bearer ${TOKEN}` })) as WebSocket;
    const closed = new Promise<number>((resolve) => other.once('close', (code) => resolve(code)));
    other.send('not json');
    expect(await closed).toBe(1003);
    expect((await call(30, 'listSessions')).result?.ok).toBe(true);
  });
});

describe('the view token file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-view-token-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is created with a fresh token, readable by its owner only, and read back the same', async () => {
    const file = join(dir, 'new.token');
    const created = await readOrCreateViewToken(file);
    expect(created.created).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(created.token);
    expect(await readOrCreateViewToken(file)).toEqual({ token: created.token, created: false });
  });

  it('refuses a file others can read, and a token too short to guard anything', async () => {
    const open = join(dir, 'open.token');
    writeFileSync(open, `${TOKEN}\n`);
    chmodSync(open, 0o644);
    await expect(readOrCreateViewToken(open)).rejects.toThrow(/can be read by others \(mode 644\)/);
    const short = join(dir, 'short.token');
    writeFileSync(short, 'abc\n', { mode: 0o600 });
    await expect(readOrCreateViewToken(short)).rejects.toThrow(ViewTokenError);
    await expect(readOrCreateViewToken(short)).rejects.toThrow(/token is too short/);
  });
});

describe('--view-listen', () => {
  it('binds loopback for a bare port, and takes ADDR:PORT as the metrics flag does', () => {
    expect(parseViewListen('9465')).toEqual({ host: '127.0.0.1', port: 9465 });
    expect(parseViewListen('[::1]:9465')).toEqual({ host: '::1', port: 9465 });
    expect(() => parseViewListen('70000')).toThrow(/out of range/);
    expect(() => parseViewListen('localhost:9465')).toThrow(/not an IP address/);
  });
});

describe('the view feed', () => {
  const session = (startedAt: number) =>
    ({
      summary: () => summary({ id: `edge#${startedAt}`, startedAt }, { target: '192.0.2.9' }),
      snapshotHops: () => [],
      snapshotEarlierSegments: () => ({}),
    }) as unknown as TraceSession;

  it('serves each target under one id across its sessions, and its batches only to listeners', () => {
    let current = session(1);
    const feed = new AgentViewFeed(() => [{ name: 'edge', session: current }]);
    const id = viewSessionId('edge');
    expect(id).toMatch(/^t-[0-9a-f]{32}$/);
    expect(feed.summaries().map((s) => s.id)).toEqual([id]);
    const seen: SessionEventBatch[] = [];
    feed.record('edge', { sessionId: 'edge#1', seq: 1, events: [] });
    const off = feed.onBatch((b) => seen.push(b));
    current = session(2);
    feed.sessionStarted('edge', current.summary());
    feed.record('edge', { sessionId: 'edge#2', seq: 1, events: [{ type: 'state', summary: current.summary() }] });
    off();
    feed.record('edge', { sessionId: 'edge#2', seq: 2, events: [] });
    expect(seen.map((b) => b.sessionId)).toEqual([id, id]);
    expect(seen[1]?.events[0]).toMatchObject({ type: 'state', summary: { id, startedAt: 2 } });
    expect(feed.document(id)?.target.input).toBe('192.0.2.9');
    expect(feed.document(viewSessionId('other'))).toBeNull();
  });
});

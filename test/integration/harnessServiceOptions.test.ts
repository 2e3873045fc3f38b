/**
 * The harness hands its name-lookup and route-check options to the service it
 * makes. The e2e tests rely on this: their mtr-packet runs in a namespace, so
 * the route pre-check must be asked there, not in the host's routing table
 * (a CI machine without a default route would otherwise fail every trace with
 * "Network is unreachable"). The scripted fake mtr-packet stands in for the
 * helper; no packet is sent.
 */
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startHarness, type Harness } from '../../src/harness/server';
import type { RouteCheck } from '../../src/main/net/checkRoute';
import type { ForwardLookup } from '../../src/main/net/resolveTarget';
import type { IpcResult } from '@shared/ipc';
import type { SessionSummary } from '@shared/session';

const FAKE = fileURLToPath(new URL('../fixtures/fake-mtr-packet.mjs', import.meta.url));
/** Only a name the test's own resolver knows; the system resolver is never asked. */
const NAME = 'target.harness-options.test';
const ADDRESS = '192.0.2.77';

/** A page's socket that sends calls and collects results by id. */
async function connect(harness: Harness) {
  const ws = new WebSocket(`ws://127.0.0.1:${harness.port}/ws?token=${harness.token}`, {
    headers: { Origin: `http://127.0.0.1:${harness.port}` },
  });
  const results = new Map<number, IpcResult<unknown>>();
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { t: string; id?: number; result?: IpcResult<unknown> };
    if (message.t === 'result' && message.id !== undefined) results.set(message.id, message.result!);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let nextId = 1;
  const call = async <T>(name: string, payload?: unknown): Promise<T> => {
    const id = nextId++;
    ws.send(JSON.stringify(payload === undefined ? { t: 'invoke', id, name } : { t: 'invoke', id, name, payload }));
    await expect.poll(() => results.has(id), { timeout: 10_000 }).toBe(true);
    const result = results.get(id)!;
    if (!result.ok) throw new Error(result.error.message);
    return result.value as T;
  };
  const session = async (id: string) => (await call<SessionSummary[]>('listSessions')).find((s) => s.id === id)!;
  return { ws, call, session };
}

describe('harness service options (fake mtr-packet)', () => {
  let harness: Harness | undefined;
  const rendererDir = mkdtempSync(join(tmpdir(), 'hopscope-harness-options-'));
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });
  afterAll(() => rmSync(rendererDir, { recursive: true, force: true }));

  const forward = vi.fn<ForwardLookup>(async (host) => (host === NAME ? [{ address: ADDRESS, family: 4 }] : []));

  it('asks its routeLookup, with the address its resolvers gave, and fails the trace when it says unreachable', async () => {
    const routeLookup = vi.fn(async (): Promise<RouteCheck> => ({
      routable: false,
      code: 'ENETUNREACH',
      message: 'Network is unreachable',
    }));
    harness = await startHarness({ rendererDir, mtrPacketPath: FAKE, resolvers: { forward }, routeLookup });
    const page = await connect(harness);
    const { id } = await page.call<SessionSummary>('startSession', { target: NAME, dns: false, intervalSec: 0.1 });
    await expect.poll(async () => (await page.session(id)).state, { timeout: 10_000 }).toBe('failed');
    const failed = await page.session(id);
    expect(failed.error?.title).toBe('Network is unreachable');
    expect(failed.error?.detail).toContain(ADDRESS);
    expect(failed.rounds).toBe(0);
    expect(forward).toHaveBeenCalledWith(NAME, expect.anything());
    expect(routeLookup).toHaveBeenCalledWith(ADDRESS);
    page.ws.close();
  });

  it('traces when its routeLookup finds a route, whatever the host table says', async () => {
    const routeLookup = vi.fn(async (): Promise<RouteCheck> => ({ routable: true, source: null }));
    process.env.FAKE_MTR_HOPS4 = `192.0.2.1,${ADDRESS}`;
    try {
      harness = await startHarness({ rendererDir, mtrPacketPath: FAKE, resolvers: { forward }, routeLookup });
      const page = await connect(harness);
      const { id } = await page.call<SessionSummary>('startSession', { target: NAME, dns: false, intervalSec: 0.1 });
      await expect.poll(async () => (await page.session(id)).rounds, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
      const running = await page.session(id);
      expect(running.state).toBe('running');
      expect(running.targetAddress).toBe(ADDRESS);
      expect(routeLookup).toHaveBeenCalledWith(ADDRESS);
      page.ws.close();
    } finally {
      delete process.env.FAKE_MTR_HOPS4;
    }
  });
});

/**
 * Talking to the browser harness without a browser: raw HTTP (to choose the
 * Host header), WebSockets with chosen headers, and invoke calls over them.
 * (The e2e tests start their harness with namespaceHarness.ts.)
 */
import { request } from 'node:http';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import WebSocket from 'ws';
import type { Harness } from '../../src/harness/server';
import type { IpcResult } from '@shared/ipc';

export const ROOT = resolve(__dirname, '../..');

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw GET (fetch would not let the test choose the Host header). */
export function httpGet(
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

export interface OpenSocket {
  ws: WebSocket;
  /** Resolves with the next message, including ones that arrived before anyone asked. */
  next(): Promise<Record<string, unknown>>;
  /** Every message so far, in order (events included). */
  seen: Record<string, unknown>[];
}

/** Open a WebSocket; resolves with the socket or the HTTP status that refused it. */
export function tryWebSocket(
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
export async function openPage(harness: Harness): Promise<OpenSocket> {
  const origin = `http://127.0.0.1:${harness.port}`;
  const socket = await tryWebSocket(`ws://127.0.0.1:${harness.port}/ws?token=${harness.token}`, { Origin: origin });
  if (!socket.opened) throw new Error(`socket refused: ${socket.status}`);
  return socket;
}

/** Send one call and wait for its result (events in between are skipped). */
export async function invoke(
  socket: OpenSocket,
  id: number,
  name: unknown,
  payload?: unknown,
): Promise<IpcResult<unknown>> {
  socket.ws.send(
    JSON.stringify(payload === undefined ? { t: 'invoke', id, name } : { t: 'invoke', id, name, payload }),
  );
  return resultOf(socket, id);
}

export async function resultOf(socket: OpenSocket, id: number): Promise<IpcResult<unknown>> {
  await expect.poll(() => socket.seen.some((m) => m.t === 'result' && m.id === id), { timeout: 30_000 }).toBe(true);
  return socket.seen.find((m) => m.t === 'result' && m.id === id)!.result as IpcResult<unknown>;
}

/** The socket's close code and reason, once it is closed. */
export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((r) => ws.once('close', (code, reason) => r({ code, reason: reason.toString() })));
}

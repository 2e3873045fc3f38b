/**
 * The browser harness: the built renderer over HTTP and the TraceService
 * over a WebSocket, so the app runs in a plain browser (and in Chromium
 * end-to-end tests) without Electron. There are no file dialogs here: the
 * browser client saves by download and opens with a file input.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { TraceService } from '../main/service/traceService';
import { EventOutbox } from '../main/service/eventOutbox';
import { securityHeaders } from '../main/electron/contentSecurity';
import { readAsset } from '../main/electron/staticAssets';
import { isInvokeName, type IpcResult } from '@shared/ipc';
import {
  allowedHostHeaders,
  cookieName,
  isLoopbackHost,
  newToken,
  readCookie,
  sessionCookie,
  tokenMatches,
} from './auth';

export const WS_PATH = '/ws';
/** Room for the largest PNG (64 MB of base64) and trace file (50 MB) the contract accepts. */
const MAX_MESSAGE_BYTES = 128 * 1024 * 1024;
/** A client that stops reading is dropped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

export interface HarnessOptions {
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 or absent: a random free port. */
  port?: number;
  /** Default 127.0.0.1. Anything else exposes the harness to the network. */
  host?: string;
  mtrPacketPath?: string;
  /** Use this service instead of making one (it is still disposed on close). */
  service?: TraceService;
  log?: (message: string) => void;
}

export interface Harness {
  /** The URL to open, token included. */
  url: string;
  token: string;
  port: number;
  host: string;
  close(): Promise<void>;
}

/** What the browser client may send. */
interface InvokeMessage {
  t: 'invoke';
  id: number;
  name: unknown;
  payload?: unknown;
}

function parseInvoke(data: RawData, isBinary: boolean): InvokeMessage | { error: string; id?: number } {
  if (isBinary) return { error: 'binary messages are not accepted' };
  let value: unknown;
  try {
    value = JSON.parse(data.toString());
  } catch {
    return { error: 'message is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'message is not an object' };
  const message = value as Record<string, unknown>;
  const id = message.id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0)
    return { error: 'message id must be a whole number' };
  if (message.t !== 'invoke') return { error: 'unknown message type', id };
  for (const key of Object.keys(message)) {
    if (key !== 't' && key !== 'id' && key !== 'name' && key !== 'payload')
      return { error: `unexpected key ${key}`, id };
  }
  return { t: 'invoke', id, name: message.name, payload: message.payload };
}

function bracketed(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => {});
  const token = newToken();
  const service =
    options.service ?? new TraceService(options.mtrPacketPath ? { mtrPacketPath: options.mtrPacketPath } : {});
  const checkHost = isLoopbackHost(host);
  let port = 0;
  let allowedHosts = new Set<string>();

  const hostAllowed = (req: IncomingMessage): boolean => !checkHost || allowedHosts.has(req.headers.host ?? '');
  const hasValidCookie = (req: IncomingMessage): boolean => tokenMatches(readCookie(req, cookieName(port)), token);

  const reply = (res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void => {
    res.writeHead(status, { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8', ...extra });
    res.end(text);
  };

  const server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return reply(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
      if (!hostAllowed(req)) return reply(res, 403, 'unexpected Host header\n');
      const url = new URL(req.url ?? '/', 'http://harness.invalid');
      const queryToken = url.searchParams.get('token');
      if (queryToken !== null) {
        if (!tokenMatches(queryToken, token)) return reply(res, 403, 'wrong token\n');
        // Trade the token in the URL for a cookie, and drop it from the address bar and history.
        url.searchParams.delete('token');
        const search = url.searchParams.toString();
        res.writeHead(303, {
          ...securityHeaders(),
          'Set-Cookie': sessionCookie(cookieName(port), token),
          Location: url.pathname + (search ? `?${search}` : ''),
        });
        return res.end();
      }
      if (!hasValidCookie(req)) {
        return reply(res, 401, 'this harness needs its token: open the URL it printed at start (…/?token=…)\n');
      }
      if (url.pathname === WS_PATH) return reply(res, 426, 'WebSocket only\n', { Upgrade: 'websocket' });
      const asset = await readAsset(options.rendererDir, url.pathname);
      if (!asset) return reply(res, 404, 'not found\n');
      res.writeHead(200, {
        ...securityHeaders(),
        'Content-Type': asset.contentType,
        'Content-Length': asset.body.length,
      });
      res.end(req.method === 'HEAD' ? undefined : asset.body);
    })().catch((err: unknown) => {
      log(`request failed: ${String(err)}`);
      if (!res.headersSent) reply(res, 500, 'internal error\n');
      else res.destroy();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  const refuseUpgrade = (socket: Socket, status: number, text: string): void => {
    socket.end(
      `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length + 1}\r\n\r\n${text}\n`,
    );
  };

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://harness.invalid');
    if (url.pathname !== WS_PATH) return refuseUpgrade(socket, 404, 'Not Found');
    if (!hostAllowed(req)) return refuseUpgrade(socket, 403, 'Forbidden');
    // Only our own page may connect: a page on another origin could otherwise ride the cookie.
    if (req.headers.origin !== `http://${req.headers.host ?? ''}`) return refuseUpgrade(socket, 403, 'Forbidden');
    const authorized = hasValidCookie(req) || tokenMatches(url.searchParams.get('token'), token);
    if (!authorized) return refuseUpgrade(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    const sendJson = (message: unknown): void => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        ws.close(1008, 'client is not reading');
        return;
      }
      ws.send(JSON.stringify(message));
    };
    const outbox = new EventOutbox((delivery) =>
      sendJson({ t: 'event', event: delivery.event, payload: delivery.payload }),
    );
    const unsubscribe = service.onEvents((batch) => outbox.post('sessionEvents', batch));
    ws.on('close', unsubscribe);
    ws.on('error', (err) => log(`websocket error: ${err.message}`));
    sendJson({ t: 'hello', platform: process.platform });

    ws.on('message', (data, isBinary) => {
      const message = parseInvoke(data, isBinary);
      if ('error' in message) {
        if (message.id === undefined) {
          ws.close(1003, message.error);
        } else {
          const result: IpcResult<never> = {
            ok: false,
            error: { code: 'invalid-request', message: message.error, field: '' },
          };
          sendJson({ t: 'result', id: message.id, result });
        }
        return;
      }
      const { id, name, payload } = message;
      if (!isInvokeName(name)) {
        const result: IpcResult<never> = {
          ok: false,
          error: { code: 'invalid-request', message: `unknown call ${String(name).slice(0, 100)}`, field: 'name' },
        };
        sendJson({ t: 'result', id, result });
        return;
      }
      void service.dispatch(name, payload).then((result) => {
        if (result.ok && name === 'rendererReady') outbox.markReady();
        sendJson({ t: 'result', id, result });
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  allowedHosts = allowedHostHeaders(port);

  const displayHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const url = `http://${bracketed(displayHost)}:${port}/?token=${token}`;

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await service.dispose();
    })();
    return closing;
  };

  return { url, token, port, host, close };
}

/**
 * The browser harness: the built renderer over HTTP and the TraceService
 * over a WebSocket, so the app runs in a plain browser (and in Chromium
 * end-to-end tests) without Electron. There are no file dialogs here: the
 * browser client saves by download and opens with a file input.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { TraceService, type TraceServiceOptions } from '../main/service/traceService';
import { EventOutbox } from '../main/service/eventOutbox';
import { securityHeaders } from '../main/electron/contentSecurity';
import { readAsset } from '../main/electron/staticAssets';
import type { IpcResult } from '@shared/ipc';
import { STORED_EXPORT_PATH } from '@shared/storedSessions';
import { serveStoredExport } from './storedExport';
import { SESSION_FILE_EXPORT_PATH, SESSION_FILE_UPLOAD_PATH } from '@shared/sessionFileFormat';
import { receiveSessionFile, serveSessionFileExport } from './sessionFileTransfer';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_SOCKET_MESSAGE_BYTES, parseInvoke, type InvokeMessage } from './messages';
import {
  allowedHostHeaders,
  hostWithPort,
  cookieName,
  isLoopbackHost,
  newToken,
  readCookie,
  sessionCookie,
  tokenMatches,
} from './auth';

export const WS_PATH = '/ws';
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
  /** How long the sessions of a closed page wait for a page to attach them (default 60 s); ignored with `service`. */
  orphanGraceMs?: number;
  /**
   * Name lookups for the service the harness makes (the system resolver by
   * default); ignored with `service`. Tests confine them to their namespace.
   */
  resolvers?: TraceServiceOptions['resolvers'];
  /**
   * The route pre-check's question to the kernel (checkRoute on this host by
   * default); ignored with `service`. Tests whose mtr-packet runs in a
   * namespace ask there, so a host without a default route still traces.
   */
  routeLookup?: TraceServiceOptions['routeLookup'];
  /** AS and country data (`--asn-db`, `--geo-db`); default the shipped data. Ignored with `service`. */
  enrichment?: TraceServiceOptions['enrichment'];
  /** Record every session in this history file (default: none, nothing written); ignored with `service`. */
  historyPath?: string;
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

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : typeof err;
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => {});
  const token = newToken();
  const service =
    options.service ??
    new TraceService({
      ...(options.mtrPacketPath ? { mtrPacketPath: options.mtrPacketPath } : {}),
      ...(options.orphanGraceMs !== undefined ? { orphanGraceMs: options.orphanGraceMs } : {}),
      ...(options.resolvers ? { resolvers: options.resolvers } : {}),
      ...(options.routeLookup ? { routeLookup: options.routeLookup } : {}),
      enrichment: options.enrichment ?? {},
      ...(options.historyPath ? { history: { path: options.historyPath, log } } : {}),
    });
  // Session files on their way to or from the page (sessionFileTransfer.ts); removed on close.
  const transferFolder = mkdtempSync(join(tmpdir(), 'hopscope-harness-files-'));
  /** Each open page connection's owner, by the id its hello told the page. */
  const connections = new Map<string, object>();
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
      const upload = req.method === 'POST' && req.url?.startsWith(`${SESSION_FILE_UPLOAD_PATH}?`) === true;
      if (req.method !== 'GET' && req.method !== 'HEAD' && !upload)
        return reply(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
      if (!hostAllowed(req)) return reply(res, 403, 'unexpected Host header\n');
      const url = new URL(req.url ?? '/', 'http://harness.invalid');
      const queryToken = url.searchParams.get('token');
      if (queryToken !== null) {
        if (!tokenMatches(queryToken, token)) return reply(res, 403, 'wrong token\n');
        // Trade the token in the URL for a cookie, and drop it from the address bar and history.
        // Always to the app's root: a path copied from the request (`//evil.example/x`) could leave the site.
        res.writeHead(303, {
          ...securityHeaders(),
          'Set-Cookie': sessionCookie(cookieName(port), token),
          Location: '/',
        });
        return res.end();
      }
      if (!hasValidCookie(req)) {
        return reply(res, 401, 'this harness needs its token: open the URL it printed at start (…/?token=…)\n');
      }
      if (url.pathname === WS_PATH) return reply(res, 426, 'WebSocket only\n', { Upgrade: 'websocket' });
      if (url.pathname === STORED_EXPORT_PATH && req.method === 'GET') {
        return serveStoredExport(service, url.searchParams, res);
      }
      if (url.pathname === SESSION_FILE_EXPORT_PATH && req.method === 'GET') {
        return serveSessionFileExport(service, url.searchParams, res, transferFolder);
      }
      if (upload) {
        // As for the socket: only our own page may send a file (another local origin could ride the cookie).
        if (req.headers.origin !== `http://${req.headers.host ?? ''}`) return reply(res, 403, 'wrong origin\n');
        const owner = connections.get(url.searchParams.get('connection') ?? '');
        if (!owner) return reply(res, 409, 'this page is not connected to the harness; reload it\n');
        return receiveSessionFile(service, url.searchParams, req, res, { folder: transferFolder, owner });
      }
      const asset = await readAsset(options.rendererDir, url.pathname);
      if (!asset) return reply(res, 404, 'not found\n');
      res.writeHead(200, {
        ...securityHeaders(),
        'Content-Type': asset.contentType,
        'Content-Length': asset.body.length,
      });
      res.end(req.method === 'HEAD' ? undefined : asset.body);
    })().catch((err: unknown) => {
      log(`request failed: ${describeError(err)}`);
      if (!res.headersSent) reply(res, 500, 'internal error\n');
      else res.destroy();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_SOCKET_MESSAGE_BYTES });

  const refuseUpgrade = (socket: Socket, status: number, text: string): void => {
    socket.end(
      `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length + 1}\r\n\r\n${text}\n`,
    );
  };

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      upgrade(req, socket, head);
    } catch (err) {
      log(`upgrade failed: ${describeError(err)}`);
      socket.destroy();
    }
  });

  const upgrade = (req: IncomingMessage, socket: Socket, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://harness.invalid');
    if (url.pathname !== WS_PATH) return refuseUpgrade(socket, 404, 'Not Found');
    if (!hostAllowed(req)) return refuseUpgrade(socket, 403, 'Forbidden');
    // Only our own page may connect: a page on another origin could otherwise ride the cookie.
    if (req.headers.origin !== `http://${req.headers.host ?? ''}`) return refuseUpgrade(socket, 403, 'Forbidden');
    const authorized = hasValidCookie(req) || tokenMatches(url.searchParams.get('token'), token);
    if (!authorized) return refuseUpgrade(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };

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
    // The sessions this page starts or attaches, and the session files it sends, belong to this socket.
    const owner = {};
    const connection = randomUUID();
    connections.set(connection, owner);
    ws.on('close', () => {
      unsubscribe();
      connections.delete(connection);
      service.release(owner);
    });
    ws.on('error', (err) => log(`websocket error: ${err.message}`));
    // The page names its connection when it sends a session file (an HTTP request, not on the socket).
    sendJson({ t: 'hello', platform: process.platform, connection });

    const invoke = ({ id, name, payload }: InvokeMessage): void => {
      void service
        .dispatch(name, payload, { owner })
        .then((result) => {
          if (result.ok && name === 'rendererReady') outbox.markReady();
          sendJson({ t: 'result', id, result });
        })
        .catch((err: unknown) => {
          log(`${name} failed: ${describeError(err)}`);
          const result: IpcResult<never> = { ok: false, error: { code: 'failed', message: 'internal error' } };
          sendJson({ t: 'result', id, result });
        });
    };

    ws.on('message', (data, isBinary) => {
      // Nothing a client sends may end the process: a throw here would be uncaught.
      try {
        const message = parseInvoke(data, isBinary);
        if ('error' in message) {
          if (message.id === undefined) {
            ws.close(1003, message.error.slice(0, 120));
          } else {
            const result: IpcResult<never> = {
              ok: false,
              error: { code: 'invalid-request', message: message.error, field: message.field },
            };
            sendJson({ t: 'result', id: message.id, result });
          }
          return;
        }
        invoke(message);
      } catch (err) {
        log(`message handling failed: ${describeError(err)}`);
        ws.close(1011, 'internal error');
      }
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
  allowedHosts = allowedHostHeaders(port, host);

  const displayHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const url = `http://${hostWithPort(displayHost, port)}/?token=${token}`;

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
      rmSync(transferFolder, { recursive: true, force: true });
    })();
    return closing;
  };

  return { url, token, port, host, close };
}

/**
 * `hopscope agent --view-listen`: the agent's sessions, read-only, over the
 * harness's WebSocket protocol (`{t:'invoke',id,name,payload}` in,
 * `hello` / `result` / `event` out, the harness's size limits). Only a
 * client holding the view token may connect, sent as `Authorization: Bearer`:
 * never in the URL, where proxies and logs would keep it. A browser always
 * sends `Origin` and cannot set that header, so a web page can never reach
 * it; requests with an `Origin` are refused outright.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { tokenMatches } from '../../harness/auth';
import { MAX_SOCKET_MESSAGE_BYTES, parseInvoke } from '../../harness/messages';
import type { IpcResult } from '@shared/ipc';
import { MAX_AGENT_MESSAGE_BYTES } from '@shared/limits';
import { parseListenAddress, type ListenAddress } from '../metricsServer';
import type { AgentViewFeed } from './viewFeed';
import { answerViewCall, type ViewHistory } from './viewCalls';
import { parseSessionFileInvoke, SessionFileTransfers } from './sessionFileTransfers';

export const VIEW_PATH = '/view';
/** Loopback only unless the operator says otherwise; reach it from elsewhere through an SSH tunnel. */
export const DEFAULT_VIEW_HOST = '127.0.0.1';
/**
 * A viewer that stops reading is dropped rather than buffered without bound;
 * the bound holds the largest answer (MAX_AGENT_MESSAGE_BYTES) with the batches queued behind it.
 */
const MAX_BUFFERED_BYTES = 2 * MAX_AGENT_MESSAGE_BYTES;
/** Viewers at once: each costs a copy of every batch. */
export const MAX_VIEWERS = 32;

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/**
 * The `result` message answering call `id`, as sent. An answer larger than a
 * viewer takes (it would drop the connection) becomes an error saying so:
 * the app then asks for a shorter window, as it does for a long stored session.
 */
export function resultMessage(id: number, result: IpcResult<unknown>): string {
  const text = JSON.stringify({ t: 'result', id, result });
  const bytes = Buffer.byteLength(text);
  if (bytes <= MAX_AGENT_MESSAGE_BYTES) return text;
  const refusal: IpcResult<never> = {
    ok: false,
    error: {
      code: 'too-large',
      message:
        `the answer is ${megabytes(bytes)}, more than the ${megabytes(MAX_AGENT_MESSAGE_BYTES)} ` +
        'a viewer takes at once; ask for a shorter window',
    },
  };
  return JSON.stringify({ t: 'result', id, result: refusal });
}

function bearer(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : null;
}

export class AgentViewServer {
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_SOCKET_MESSAGE_BYTES });
  /** The stored-session calls, once the history file is open (`--history`). */
  history: ViewHistory = null;

  constructor(
    private readonly feed: AgentViewFeed,
    private readonly token: string,
    private readonly log: (message: string) => void,
  ) {
    this.server = createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain; charset=utf-8', upgrade: 'websocket' });
      res.end('the agent view speaks WebSocket only\n');
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      socket.on('error', () => socket.destroy());
      const refusal = this.refusal(req);
      if (refusal) {
        socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.serve(ws));
    });
  }

  async listen(address: ListenAddress): Promise<ListenAddress> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(address.port, address.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const bound = this.server.address() as AddressInfo;
    return { host: bound.address, port: bound.port };
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private refusal(req: IncomingMessage): string | null {
    if ((req.url ?? '').split('?')[0] !== VIEW_PATH) return '404 Not Found';
    if (req.headers.origin !== undefined) return '403 Forbidden';
    if (!tokenMatches(bearer(req), this.token)) return '401 Unauthorized';
    if (this.wss.clients.size >= MAX_VIEWERS) return '503 Service Unavailable';
    return null;
  }

  private serve(ws: WebSocket): void {
    const sendText = (text: string): void => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        ws.close(1008, 'viewer is not reading');
        return;
      }
      ws.send(text);
    };
    const sendJson = (message: unknown): void => sendText(JSON.stringify(message));
    const unsubscribe = this.feed.onBatch((batch) => sendJson({ t: 'event', event: 'sessionEvents', payload: batch }));
    // Export session's files for this viewer, removed when it goes.
    const files = new SessionFileTransfers(() => this.history?.exportSessionFile ?? null);
    ws.on('close', () => {
      unsubscribe();
      files.close();
    });
    ws.on('error', (err) => this.log(`view connection error: ${err.message}`));
    sendJson({ t: 'hello', platform: process.platform, view: 'agent', readOnly: true });
    ws.on('message', (data, isBinary) => {
      // Nothing a viewer sends may end the agent.
      try {
        const fileCall = parseSessionFileInvoke(data, isBinary);
        if (fileCall) {
          void files
            .answer(fileCall.name, fileCall.payload)
            .then((result) => sendText(resultMessage(fileCall.id, result)))
            .catch((err: unknown) => {
              this.log(`view call ${fileCall.name} failed: ${(err as Error).message}`);
              ws.close(1011, 'internal error');
            });
          return;
        }
        const message = parseInvoke(data, isBinary);
        if ('error' in message) {
          if (message.id === undefined) return ws.close(1003, message.error.slice(0, 120));
          const result: IpcResult<never> = {
            ok: false,
            error: { code: 'invalid-request', message: message.error, field: message.field },
          };
          return sendJson({ t: 'result', id: message.id, result });
        }
        const id = message.id;
        void answerViewCall(this.feed, this.history, message.name, message.payload).then(
          (result) => sendText(resultMessage(id, result)),
          (err: unknown) => {
            this.log(`view call ${message.name} failed: ${(err as Error).message}`);
            ws.close(1011, 'internal error');
          },
        );
      } catch (err) {
        this.log(`view message handling failed: ${(err as Error).message}`);
        ws.close(1011, 'internal error');
      }
    });
  }
}

/** `PORT` (on loopback), `ADDR:PORT` or `[IPv6]:PORT`. Throws with the reason. */
export function parseViewListen(text: string): ListenAddress {
  if (/^\d{1,5}$/.test(text)) {
    const port = Number(text);
    if (port > 65535) throw new Error(`port ${port} is out of range (0..65535)`);
    return { host: DEFAULT_VIEW_HOST, port };
  }
  return parseListenAddress(text);
}

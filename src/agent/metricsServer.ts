import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { gzip } from 'node:zlib';
import { EXPOSITION_CONTENT_TYPE } from './exposition';

/**
 * Fastest zlib level: the text is so repetitive that level 1 already shrinks
 * it about eight times (50 targets: 350 KB to 45 KB) for about 1 ms of CPU,
 * done on libuv's thread pool rather than the event loop the probes share.
 */
const GZIP_LEVEL = 1;

/** Whether an Accept-Encoding header takes gzip (Prometheus sends `gzip`); `gzip;q=0` refuses it. */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  for (const part of header.split(',')) {
    const [coding = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    if (coding !== 'gzip' && coding !== 'x-gzip') continue;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

/** Loopback only unless the operator says otherwise. */
export const DEFAULT_METRICS_LISTEN = '127.0.0.1:9464';

export interface ListenAddress {
  host: string;
  port: number;
}

/** `ADDR:PORT` with a literal IPv4 address, or `[IPv6]:PORT`. Port 0 picks a free one. Throws with the reason. */
export function parseListenAddress(text: string): ListenAddress {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  if (!match) throw new Error(`"${text}" is not ADDR:PORT (IPv6 as [ADDR]:PORT)`);
  const host = match[1] ?? match[2]!;
  const port = Number(match[3]);
  if (match[1] !== undefined ? isIP(host) !== 6 : isIP(host) !== 4) {
    throw new Error(
      `"${host}" is not an IP address${match[1] === undefined && host.includes(':') ? ' (write IPv6 as [ADDR]:PORT)' : ''}`,
    );
  }
  if (port > 65535) throw new Error(`port ${port} is out of range (0..65535)`);
  return { host, port };
}

/**
 * Serves `GET /metrics` (and `HEAD`) and nothing else. `render` runs per scrape,
 * so a scrape always sees the current state.
 */
export class MetricsServer {
  private readonly server: Server;

  constructor(private readonly render: () => string) {
    this.server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      if (path !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found; metrics are at /metrics\n');
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      let body: string;
      try {
        body = this.render();
      } catch (err) {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`${(err as Error).message}\n`);
        return;
      }
      if (acceptsGzip(req.headers['accept-encoding'])) sendGzip(req, res, body);
      else send(req, res, Buffer.from(body), {});
    });
    // Scrapers keep connections alive; idle ones should not pile up.
    this.server.keepAliveTimeout = 65_000;
    this.server.requestTimeout = 10_000;
  }

  /** Binds; resolves with the actual address (port 0 gets a free one). */
  listen(address: ListenAddress): Promise<ListenAddress> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(address.port, address.host, () => {
        this.server.off('error', reject);
        const bound = this.server.address();
        resolve(typeof bound === 'object' && bound ? { host: bound.address, port: bound.port } : address);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}

function send(req: IncomingMessage, res: ServerResponse, body: Buffer, headers: Record<string, string>): void {
  if (res.destroyed) return; // the scraper gave up while the text was being compressed
  res.writeHead(200, {
    'content-type': EXPOSITION_CONTENT_TYPE,
    'content-length': body.length,
    vary: 'Accept-Encoding',
    ...headers,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function sendGzip(req: IncomingMessage, res: ServerResponse, body: string): void {
  gzip(body, { level: GZIP_LEVEL }, (err, compressed) => {
    // zlib does not fail on a string in memory; should it, the text goes uncompressed.
    if (err) send(req, res, Buffer.from(body), {});
    else send(req, res, compressed, { 'content-encoding': 'gzip' });
  });
}

import { createServer, type Server } from 'node:http';
import { isIP } from 'node:net';
import { EXPOSITION_CONTENT_TYPE } from './exposition';

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
      // Never compressed, though Prometheus asks for gzip: scraping one agent with 50 targets on
      // loopback, alternating encodings, gzip (level 1, inline or on the thread pool) was slower
      // at the median and p95 than the 350 KB of plain text. The Buffer gives the exact length.
      const bytes = Buffer.from(body);
      res.writeHead(200, { 'content-type': EXPOSITION_CONTENT_TYPE, 'content-length': bytes.length });
      res.end(req.method === 'HEAD' ? undefined : bytes);
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

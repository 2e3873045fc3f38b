/**
 * The /metrics endpoint: the text with its exact byte length (UTF-8 labels),
 * HEAD with the GET's headers, and clear answers for other paths, methods
 * and a failing render.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { MetricsServer } from '../../../src/agent/metricsServer';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const TEXT = `# HELP x_total A counter.\n# TYPE x_total counter\n${Array.from({ length: 2000 }, (_, i) => `x_total{target="t${i}",label="é"} ${i}`).join('\n')}\n`;

describe('MetricsServer', () => {
  let server: MetricsServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  async function serve(render: () => string): Promise<number> {
    server = new MetricsServer(render);
    return (await server.listen({ host: '127.0.0.1', port: 0 })).port;
  }

  it.each([undefined, 'identity', 'gzip;q=0', 'br, deflate'])(
    'sends plain text for Accept-Encoding %s',
    async (accept) => {
      const port = await serve(() => TEXT);
      const reply = await get(port, '/metrics', accept === undefined ? {} : { 'accept-encoding': accept });
      expect(reply.headers['content-encoding']).toBeUndefined();
      expect(reply.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(Number(reply.headers['content-length'])).toBe(Buffer.byteLength(TEXT));
      expect(reply.body.toString('utf8')).toBe(TEXT);
    },
  );

  it("answers HEAD with the GET's headers and no body", async () => {
    const port = await serve(() => TEXT);
    const head = await get(port, '/metrics', {}, 'HEAD');
    const full = await get(port, '/metrics');
    expect(head.body.length).toBe(0);
    expect(head.headers['content-length']).toBe(full.headers['content-length']);
    expect(head.headers['content-type']).toBe(full.headers['content-type']);
  });

  it('names what it serves, refuses other methods, and reports a render that throws', async () => {
    let fail = false;
    const port = await serve(() => {
      if (fail) throw new Error('snapshot failed');
      return TEXT;
    });
    expect((await get(port, '/')).status).toBe(404);
    expect((await get(port, '/metrics', {}, 'POST')).status).toBe(405);
    fail = true;
    const broken = await get(port, '/metrics');
    expect(broken.status).toBe(500);
    expect(broken.body.toString()).toBe('snapshot failed\n');
  });
});

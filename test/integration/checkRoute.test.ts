/**
 * checkRoute against the real kernel: loopback on this host (routable), and inside a namespace of
 * its own with `unreachable` routes and no default route (a tiny bundled script run by `ip netns exec`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { checkRoute, type RouteCheck } from '../../src/main/net/checkRoute';
import { testNetworkUnavailableReason } from '../net/testNetwork';

describe('checkRoute on loopback', () => {
  it('reports loopback as routable, with its source address', async () => {
    expect(await checkRoute('127.0.0.1')).toEqual({ routable: true, source: '127.0.0.1' });
    expect(await checkRoute('::1')).toEqual({ routable: true, source: '::1' });
  });

  it('refuses what is not an IP literal, without throwing', async () => {
    expect(await checkRoute('host.example')).toMatchObject({ routable: false, code: 'other' });
  });
});

const unavailable = testNetworkUnavailableReason();

describe.skipIf(unavailable !== null)('checkRoute in a namespace with unreachable routes', () => {
  const ns = `hs${process.pid}-route-${randomBytes(3).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-route-'));
  const script = join(dir, 'check.mjs');
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] });

  beforeAll(() => {
    const entry = join(dir, 'entry.ts');
    const source = fileURLToPath(new URL('../../src/main/net/checkRoute.ts', import.meta.url));
    writeFileSync(
      entry,
      `import { checkRoute } from ${JSON.stringify(source)};\n` +
        'const out = {};\nfor (const a of process.argv.slice(2)) out[a] = await checkRoute(a);\n' +
        'process.stdout.write(JSON.stringify(out));\n',
    );
    buildSync({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: script,
      alias: { '@shared': fileURLToPath(new URL('../../src/shared', import.meta.url)) },
      logLevel: 'error',
    });
    ip('netns', 'add', ns);
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    ip('-n', ns, 'route', 'add', 'unreachable', '198.51.100.0/24');
    ip('-n', ns, '-6', 'route', 'add', 'unreachable', '2001:db8:77::/48');
  });

  afterAll(() => {
    try {
      ip('netns', 'delete', ns);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const run = (...addresses: string[]): Record<string, RouteCheck> =>
    JSON.parse(
      execFileSync('ip', ['netns', 'exec', ns, process.execPath, script, ...addresses], { encoding: 'utf8' }),
    ) as Record<string, RouteCheck>;

  it('an `unreachable` route is "Network is unreachable" (typed, not thrown), for IPv4 and IPv6', () => {
    const results = run('198.51.100.7', '2001:db8:77::7');
    for (const address of ['198.51.100.7', '2001:db8:77::7']) {
      const r = results[address];
      expect(r, address).toMatchObject({ routable: false, message: 'Network is unreachable' });
      expect(['ENETUNREACH', 'EHOSTUNREACH'], address).toContain((r as { code: string }).code);
    }
  });

  it('no route at all (no default route) is unreachable too; loopback inside is routable', () => {
    const results = run('203.0.113.9', '127.0.0.1');
    expect(results['203.0.113.9']).toEqual({
      routable: false,
      code: 'ENETUNREACH',
      message: 'Network is unreachable',
    });
    expect(results['127.0.0.1']).toEqual({ routable: true, source: '127.0.0.1' });
  });
});

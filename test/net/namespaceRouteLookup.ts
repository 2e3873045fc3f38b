import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import type { RouteCheck } from '../../src/main/net/checkRoute';
import type { TestNetwork } from './testNetwork';

let bundled: string | undefined;

/** checkRoute bundled into one script, so the real code can run in a namespace under plain node. */
function checkRouteScript(): string {
  if (bundled) return bundled;
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-routecheck-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const entry = join(dir, 'entry.ts');
  const source = fileURLToPath(new URL('../../src/main/net/checkRoute.ts', import.meta.url));
  writeFileSync(
    entry,
    `import { checkRoute } from ${JSON.stringify(source)};\n` +
      'process.stdout.write(JSON.stringify(await checkRoute(process.argv[2])));\n',
  );
  const out = join(dir, 'checkRoute.mjs');
  buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: out,
    alias: { '@shared': fileURLToPath(new URL('../../src/shared', import.meta.url)) },
    logLevel: 'error',
  });
  bundled = out;
  return out;
}

/**
 * The route pre-check asked inside the client namespace, where mtr-packet
 * runs: the engine on the host would otherwise consult the host's table.
 */
export function namespaceRouteLookup(net: TestNetwork): (address: string) => Promise<RouteCheck> {
  const script = checkRouteScript();
  return async (address) => {
    const run = await net.runInClient([process.execPath, script, address], { timeoutMs: 10_000 });
    if (run.code !== 0) return { routable: false, code: 'other', message: `route check failed: ${run.stderr.trim()}` };
    return JSON.parse(run.stdout) as RouteCheck;
  };
}

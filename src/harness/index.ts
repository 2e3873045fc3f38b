/**
 * `npm run web`: serve the app to a browser. Prints the URL with the
 * per-run token; listens on 127.0.0.1 unless --host says otherwise.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isLoopbackHost } from './auth';
import { startHarness } from './server';

const USAGE = `usage: node out/main/harness.js [--port N] [--host ADDR] [--mtr-packet PATH] [--renderer-dir DIR]
                                 [--session-grace S] [--asn-db FILE] [--geo-db FILE] [--history FILE]

  --port N           listen on port N (default: a random free port)
  --host ADDR        listen on ADDR instead of 127.0.0.1 (exposes the harness to the network)
  --mtr-packet PATH  mtr-packet to run (default: $MTR_PACKET, then PATH)
  --renderer-dir DIR the built renderer (default: out/renderer next to this script)
  --session-grace S  seconds the traces of a closed page keep running for a reloaded page to
                     take them back before they are stopped (default 60)
  --asn-db FILE      AS ranges (CSV: first address,last address,AS number,organisation),
                     asked before the shipped data
  --geo-db FILE      a country mmdb, asked before the shipped data
  --history FILE     record every session in this history file (DuckDB; one process may write it at a
                     time). Default: no history, so tests and a casual run write nothing to disk`;

function fail(message: string): never {
  console.error(`hopscope harness: ${message}\n\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'mtr-packet': { type: 'string' },
        'renderer-dir': { type: 'string' },
        'session-grace': { type: 'string' },
        'asn-db': { type: 'string' },
        'geo-db': { type: 'string' },
        history: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  let port = 0;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) fail(`--port must be 0..65535, not ${values.port}`);
  }
  let orphanGraceMs: number | undefined;
  if (values['session-grace'] !== undefined) {
    const seconds = Number(values['session-grace']);
    if (!/^\d+(\.\d+)?$/.test(values['session-grace']) || seconds > 86_400) {
      fail(`--session-grace must be 0..86400 seconds, not ${values['session-grace']}`);
    }
    orphanGraceMs = seconds * 1000;
  }
  const host = values.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) {
    console.error(
      `WARNING: listening on ${host}: anyone who can reach this address and has the token can run traceroutes from this machine.`,
    );
  }
  const harness = await startHarness({
    rendererDir: resolve(values['renderer-dir'] ?? join(__dirname, '../renderer')),
    port,
    host,
    ...(values['mtr-packet'] ? { mtrPacketPath: resolve(values['mtr-packet']) } : {}),
    ...(orphanGraceMs !== undefined ? { orphanGraceMs } : {}),
    enrichment: {
      ...(values['asn-db'] ? { asnDb: resolve(values['asn-db']) } : {}),
      ...(values['geo-db'] ? { geoDb: resolve(values['geo-db']) } : {}),
    },
    ...(values.history ? { historyPath: resolve(values.history) } : {}),
    log: (message) => console.error(`[harness] ${message}`),
  });
  console.log(harness.url);
  console.error('Open the URL above in a browser (it contains the access token). Ctrl+C stops the harness.');

  const stop = () => {
    void harness.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`hopscope harness: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

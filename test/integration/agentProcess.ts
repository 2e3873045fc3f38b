/**
 * Test helpers for the agent integration tests: the built `hopscope agent`
 * as a child process, a Prometheus server of our own, and HTTP to them.
 *
 * Both run inside the test network's client namespace (as an agent runs in
 * its host's network): mtr-packet, the agent's name lookups (the namespace's
 * hosts file, `files` only) and its source-address choice then all see the
 * same routes, and nothing they do can leave the namespace. The test talks
 * to them with a small fetch run in the namespace.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { TestNetwork } from '../net/testNetwork';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
export const HOPSCOPE = join(ROOT, 'bin/hopscope');
export const PROMETHEUS = '/usr/bin/prometheus';
export const PROMTOOL = '/usr/bin/promtool';
export const MTR_PACKET = '/usr/bin/mtr-packet';

/** Where the processes run: an argv prefix for spawn, and an HTTP GET from the same place. */
export interface Place {
  prefix: string[];
  get(url: string): Promise<{ status: number; body: string }>;
}

const FETCH_SCRIPT =
  'fetch(process.argv[1]).then(async (r) => process.stdout.write(JSON.stringify({ status: r.status, body: await r.text() })), (e) => { process.stderr.write(String(e)); process.exit(1); })';

/** The client namespace of a test network. */
export function inNamespace(net: TestNetwork): Place {
  return {
    prefix: net.clientPrefix,
    get: async (url) => {
      const r = await net.runInClient([process.execPath, '-e', FETCH_SCRIPT, url], { timeoutMs: 10_000 });
      if (r.code !== 0) throw new Error(`GET ${url} failed: ${r.stderr.trim()}`);
      return JSON.parse(r.stdout) as { status: number; body: string };
    },
  };
}

/** A fresh namespace's loopback is empty: any port of a test's choosing is free there. */
export function pickPort(): number {
  return 20_000 + Math.floor(Math.random() * 20_000);
}

export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A running child with its output collected, and a way to wait for it to exit. */
export interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function run(argv: string[], env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(argv[0]!, argv.slice(1), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return {
    child,
    output: () => output,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export function startAgent(place: Place, configFile: string, metricsPort: number, extra: string[] = []): Running {
  return run([
    ...place.prefix,
    process.execPath,
    HOPSCOPE,
    'agent',
    '--config',
    configFile,
    '--metrics-listen',
    `127.0.0.1:${metricsPort}`,
    '--mtr-packet',
    MTR_PACKET,
    '--no-watch',
    ...extra,
  ]);
}

/** Our own Prometheus on loopback: a temp config scraping the agent every second, TSDB in `dir`. */
export const ALERT_RULES = join(ROOT, 'deploy/hopscope-agent-alerts.yml');

export function startPrometheus(place: Place, dir: string, port: number, agentPort: number): Running {
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      `rule_files: ['${ALERT_RULES}']`,
      'scrape_configs:',
      '  - job_name: hopscope',
      '    static_configs:',
      `      - targets: ['127.0.0.1:${agentPort}']`,
      '',
    ].join('\n'),
  );
  return run([
    ...place.prefix,
    PROMETHEUS,
    `--config.file=${config}`,
    `--storage.tsdb.path=${join(dir, 'tsdb')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ]);
}

export async function metricsText(place: Place, port: number): Promise<string> {
  const res = await place.get(`http://127.0.0.1:${port}/metrics`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return res.body;
}

/** One sample of an exposition by its series as written (`name{a="b"}`), or undefined. */
export function sampleOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** The values of an instant PromQL query, by the JSON of their labels (without __name__, job, instance). */
export async function promQuery(
  place: Place,
  port: number,
  query: string,
): Promise<{ labels: Record<string, string>; value: number }[]> {
  const res = await place.get(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = JSON.parse(res.body) as {
    status: string;
    error?: string;
    data: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  if (body.status !== 'success') throw new Error(`query ${query} failed: ${body.error ?? res.status}`);
  return body.data.result.map((r) => {
    const { __name__: _n, job: _j, instance: _i, ...labels } = r.metric;
    return { labels, value: Number(r.value[1]) };
  });
}

/** Active (pending or firing) alerts: name, target label and state. */
export async function promAlerts(
  place: Place,
  port: number,
): Promise<{ name: string; target?: string; state: string }[]> {
  const res = await place.get(`http://127.0.0.1:${port}/api/v1/alerts`);
  const body = JSON.parse(res.body) as { data: { alerts: { labels: Record<string, string>; state: string }[] } };
  return body.data.alerts.map((a) => ({ name: a.labels.alertname!, target: a.labels.target, state: a.state }));
}

/** The single value of a query, once Prometheus has it. */
export async function promValue(place: Place, port: number, query: string): Promise<number | undefined> {
  const result = await promQuery(place, port, query);
  return result.length === 1 ? result[0]!.value : undefined;
}

/** The flags that open an agent's read-only view on `viewPort` (and, with a file, record its history there). */
export function agentViewArgs(viewPort: number, tokenFile: string, historyFile?: string): string[] {
  return [
    '--view-listen',
    String(viewPort),
    '--view-token-file',
    tokenFile,
    ...(historyFile === undefined ? [] : ['--history', historyFile]),
  ];
}

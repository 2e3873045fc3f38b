/**
 * One `hopscope agent` tracing many targets on the namespace test network at
 * one round a second: the agent's CPU and RSS (and mtr-packet's CPU), probes in
 * flight, how long a scrape of /metrics takes, and RSS growth from minute 2 to
 * the end. The agent runs with --trace-gc, so the JavaScript heap right after
 * each full (mark-compact) collection is known: live objects, apart from
 * garbage not yet collected and from RSS the allocator keeps.
 * Writes bench/results/agent.json; needs root.
 *   npm run bench:agent -- --minutes 10 --targets 50 [--cpu-prof DIR]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createTestNetwork, testNetworkUnavailableReason, type TestNetwork } from '../test/net/testNetwork';
import { ensureBuilt } from '../test/fixtures/ensureBuilt';
import { HOPSCOPE, inNamespace, MTR_PACKET, pickPort, run, type Running } from '../test/integration/agentProcess';

const ROOT = resolve(import.meta.dirname, '..');
const SCRAPE_TARGET_MS = 50;
const SAMPLE_EVERY_MS = 5_000;
const CLOCK_TICKS = 100; // USER_HZ on Linux

const { values: flags } = parseArgs({
  options: {
    minutes: { type: 'string', default: '3' },
    targets: { type: 'string', default: '50' },
    /** Write a V8 CPU profile of the agent here (written when it exits). */
    'cpu-prof': { type: 'string' },
  },
});
const MINUTES = Number(flags.minutes);
const TARGETS = Number(flags.targets);
if (!(MINUTES >= 2.5) || !Number.isInteger(TARGETS) || TARGETS < 1) {
  throw new Error(
    '--minutes must be at least 2.5 (RSS growth is measured from minute 2) and --targets a positive integer',
  );
}

/** Targets spread over the network: every responder address as a destination, IPv4 and IPv6, ICMP and UDP. */
function targetsFor(net: TestNetwork, count: number): object[] {
  const destinations = [...net.hops.flatMap((h) => (h.silent ? [] : [...h.v4, ...h.v6])), net.target.v4, net.target.v6];
  return Array.from({ length: count }, (_, i) => ({
    name: `t${String(i + 1).padStart(3, '0')}`,
    target: destinations[i % destinations.length]!,
    protocol: i % 2 === 0 ? 'icmp' : 'udp',
    intervalSec: 1,
    dns: false,
  }));
}

/** utime + stime in seconds, and RSS in MiB, of one process. */
function usage(pid: number): { cpuSec: number; rssMiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSec = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return { cpuSec, rssMiB: rssKiB / 1024 };
}

function childPid(pid: number): number | null {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return children.length ? Number(children[0]) : null;
  } catch {
    return null;
  }
}

/** The agent as the integration tests start it, plus V8 flags: GC tracing, and a CPU profile when asked. */
function startBenchAgent(prefix: string[], config: string, port: number): Running {
  const profile = flags['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${resolve(flags['cpu-prof'])}`] : [];
  return run([
    ...prefix,
    process.execPath,
    '--trace-gc',
    ...profile,
    HOPSCOPE,
    'agent',
    '--config',
    config,
    '--metrics-listen',
    `127.0.0.1:${port}`,
    '--mtr-packet',
    MTR_PACKET,
    '--no-watch',
  ]);
}

/** Heap in use (MiB) after each full collection, from --trace-gc lines like `12345 ms: Mark-Compact 40.1 (45.0) -> 31.2 (44.0) MB`. */
export function heapAfterFullGc(traceGc: string): { atMs: number; mib: number }[] {
  const points: { atMs: number; mib: number }[] = [];
  for (const match of traceGc.matchAll(/\s(\d+) ms: Mark-Compact[^>]*-> ([\d.]+) \(/g)) {
    points.push({ atMs: Number(match[1]), mib: Number(match[2]) });
  }
  return points;
}

/** A scraper inside the namespace: every interval, one timed GET of /metrics, printed as a JSON line. */
const SCRAPER = `
const [url, every] = process.argv.slice(1);
setInterval(async () => {
  const start = performance.now();
  try {
    const response = await fetch(url);
    // Headers come once the agent has rendered the whole text (it sends a Content-Length).
    const headersMs = performance.now() - start;
    const body = await response.text();
    const ms = performance.now() - start;
    const inFlight = Number(/^hopscope_agent_probes_in_flight (\\S+)$/m.exec(body)?.[1]);
    const up = (body.match(/^hopscope_target_up\\{[^}]*\\} 1$/gm) ?? []).length;
    const heap = Number(/^nodejs_heap_size_used_bytes (\\S+)$/m.exec(body)?.[1]);
    console.log(JSON.stringify({ at: Date.now(), ms, headersMs, bytes: body.length, inFlight, up, heap }));
  } catch (err) { console.log(JSON.stringify({ at: Date.now(), error: String(err) })); }
}, Number(every));
`;

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};
const round = (n: number, digits = 2) => Number(n.toFixed(digits));

async function main(): Promise<void> {
  const reason = testNetworkUnavailableReason();
  if (reason) throw new Error(`test network unavailable: ${reason}`);
  ensureBuilt();
  const net = await createTestNetwork();
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-agent-bench-'));
  let agent: Running | undefined;
  let scraper: ReturnType<typeof spawn> | undefined;
  try {
    const config = join(dir, 'agent.json');
    writeFileSync(config, JSON.stringify({ targets: targetsFor(net, TARGETS) }));
    const place = inNamespace(net);
    const port = pickPort();
    const spawnedAt = Date.now();
    agent = startBenchAgent(place.prefix, config, port);
    const pid = agent.child.pid!;
    await new Promise((r) => setTimeout(r, 3000));
    scraper = spawn(
      net.clientPrefix[0]!,
      [
        ...net.clientPrefix.slice(1),
        process.execPath,
        '-e',
        SCRAPER,
        `http://127.0.0.1:${port}/metrics`,
        String(SAMPLE_EVERY_MS),
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const scrapes: {
      at: number;
      ms?: number;
      headersMs?: number;
      bytes?: number;
      inFlight?: number;
      up?: number;
      heap?: number;
      error?: string;
    }[] = [];
    let buffered = '';
    scraper.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) if (line) scrapes.push(JSON.parse(line));
    });

    const startedAt = Date.now();
    const start = usage(pid);
    const samples: { at: number; cpuSec: number; rssMiB: number; mtrCpuSec: number | null }[] = [];
    const mtrPid = childPid(pid);
    const mtrStart = mtrPid ? usage(mtrPid).cpuSec : null;
    while (Date.now() - startedAt < MINUTES * 60_000) {
      await new Promise((r) => setTimeout(r, SAMPLE_EVERY_MS));
      const u = usage(pid);
      samples.push({ at: Date.now() - startedAt, ...u, mtrCpuSec: mtrPid ? usage(mtrPid).cpuSec : null });
      process.stderr.write(`\r${Math.round((Date.now() - startedAt) / 1000)} s: RSS ${u.rssMiB.toFixed(1)} MiB   `);
    }
    process.stderr.write('\n');
    const end = samples.at(-1)!;
    const elapsedSec = end.at / 1000;
    const atMinute2 = samples.find((s) => s.at >= 120_000)!;
    const ok = scrapes.filter((s) => s.ms !== undefined);
    const scrapeMs = ok.map((s) => s.ms!);
    const headersMs = ok.map((s) => s.headersMs!);
    const inFlight = ok.map((s) => s.inFlight!);
    // The JavaScript heap (from the agent's own metric) separates live objects from RSS the allocator keeps.
    const heapAt2 = ok.find((s) => s.at - startedAt >= 120_000)?.heap ?? NaN;
    const heapEnd = ok.at(-1)?.heap ?? NaN;
    // Full collections by bench time (the agent's clock starts about when it was spawned).
    const fullGcs = heapAfterFullGc(agent.output()).map((p) => ({ at: p.atMs + spawnedAt - startedAt, mib: p.mib }));
    const lastFullGcBy = (at: number) => fullGcs.filter((p) => p.at <= at).at(-1)?.mib ?? NaN;
    const liveAt2 = lastFullGcBy(120_000);
    const liveEnd = lastFullGcBy(end.at);
    const result = {
      benchmark: 'agent',
      date: new Date().toISOString(),
      machine: 'shared 2-core VM (other work running); figures are indicative',
      targets: TARGETS,
      intervalSec: 1,
      minutes: round(elapsedSec / 60, 1),
      agent: {
        cpuPercentOfOneCore: round(((end.cpuSec - start.cpuSec) / elapsedSec) * 100, 1),
        rssMiBAtMinute2: round(atMinute2.rssMiB, 1),
        rssMiBAtEnd: round(end.rssMiB, 1),
        rssMiBMax: round(Math.max(...samples.map((s) => s.rssMiB)), 1),
        rssGrowthRatioMinute2ToEnd: round(end.rssMiB / atMinute2.rssMiB, 3),
        heapUsedMiBAtMinute2: round(heapAt2 / 2 ** 20, 1),
        heapUsedMiBAtEnd: round(heapEnd / 2 ** 20, 1),
        heapGrowthRatioMinute2ToEnd: round(heapEnd / heapAt2, 3),
        /** Heap right after the last full collection by then (--trace-gc): live objects, no garbage. */
        heapAfterFullGcMiBAtMinute2: round(liveAt2, 1),
        heapAfterFullGcMiBAtEnd: round(liveEnd, 1),
        heapAfterFullGcGrowthRatioMinute2ToEnd: round(liveEnd / liveAt2, 3),
        fullGcs: fullGcs.length,
      },
      mtrPacket:
        mtrStart !== null && end.mtrCpuSec !== null
          ? { cpuPercentOfOneCore: round(((end.mtrCpuSec - mtrStart) / elapsedSec) * 100, 1) }
          : null,
      probesInFlight: { median: quantile(inFlight, 0.5), max: Math.max(...inFlight) },
      scrape: {
        count: ok.length,
        failed: scrapes.length - ok.length,
        medianMs: round(quantile(scrapeMs, 0.5)),
        p95Ms: round(quantile(scrapeMs, 0.95)),
        maxMs: round(Math.max(...scrapeMs)),
        /** Until the response headers: waiting for the agent's event loop, its snapshot and rendering. */
        headersMedianMs: round(quantile(headersMs, 0.5)),
        headersP95Ms: round(quantile(headersMs, 0.95)),
        bytes: ok.at(-1)?.bytes ?? null,
        targetMs: SCRAPE_TARGET_MS,
        p95OverTargetRatio: round(quantile(scrapeMs, 0.95) / SCRAPE_TARGET_MS, 3),
      },
      targetsUpAtEnd: ok.at(-1)?.up ?? null,
      rssTimeline: samples
        .filter((_, i) => i % 6 === 5)
        .map((s) => ({ sec: Math.round(s.at / 1000), rssMiB: round(s.rssMiB, 1) })),
    };
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench/results/agent.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    scraper?.kill();
    await agent?.stop();
    await net.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

/**
 * The shipped AS and country data: load time, the longest event-loop stall
 * while loading (what a probe could be held up by), memory, and lookups per
 * second for a random mix of IPv4 and IPv6 addresses, uncached and cached,
 * with the ratio against the 100,000 lookups/s target measured in the same run.
 *   npm run bench:enrich
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Enricher } from '../src/main/enrich/enricher';
import { seededRandom } from './seededRandom';

const ROOT = resolve(import.meta.dirname, '..');
const TARGET_LOOKUPS_PER_SECOND = 100_000;
const ADDRESSES = Number(process.env.BENCH_ADDRESSES ?? 200_000);
const V6_SHARE = 0.3;

/** Random IPv4 anywhere, and random IPv6 in 2000::/4 (where nearly all allocated space is). */
function addressMix(count: number): string[] {
  const next = seededRandom(20261129);
  const word = (): number => Math.floor(next() * 0x10000);
  return Array.from({ length: count }, () => {
    if (next() >= V6_SHARE) return [0, 0, 0, 0].map(() => Math.floor(next() * 256)).join('.');
    const groups = [0x2000 | (word() & 0x0fff), word(), word(), word(), word(), word(), word(), word()];
    return groups.map((g) => g.toString(16)).join(':');
  });
}

function megabytes(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

/**
 * Lookups per wall-clock second, and per second of this process's CPU time:
 * on a shared machine the second is what the code costs, the first what a
 * busy machine made of it.
 */
function lookupsPerSecond(
  enricher: Enricher,
  addresses: readonly string[],
): { perSecond: number; perCpuSecond: number; found: number } {
  let found = 0;
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (const address of addresses) if (enricher.lookup(address)?.as) found++;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    perSecond: Math.round(addresses.length / seconds),
    perCpuSecond: Math.round(addresses.length / cpuSeconds),
    found,
  };
}

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();
  const stalls = monitorEventLoopDelay({ resolution: 1 });
  stalls.enable();
  const enricher = new Enricher();
  const loadStart = process.hrtime.bigint();
  const status = await enricher.load();
  const loadMs = Number(process.hrtime.bigint() - loadStart) / 1e6;
  stalls.disable();
  if (status.problems.length > 0) throw new Error(`shipped data did not load: ${status.problems.join('; ')}`);
  gc?.();
  const after = process.memoryUsage();

  const addresses = addressMix(ADDRESSES);
  // Warm the JIT on a slice, then measure: first every address new (the cache holds 4096, so most miss),
  // then one 30-hop trace's addresses asked again and again, as a live view does.
  lookupsPerSecond(enricher, addresses.slice(0, 20_000));
  const uncached = lookupsPerSecond(enricher, addresses.slice(20_000));
  const trace = addresses.slice(0, 30);
  const repeated = Array.from({ length: 100_000 }, (_, i) => trace[i % 30] ?? '');
  const cached = lookupsPerSecond(enricher, repeated);
  const fresh = new Enricher();
  await fresh.load();
  const traceStart = process.hrtime.bigint();
  for (const address of trace) fresh.lookup(address);
  const thirtyHopMs = Number(process.hrtime.bigint() - traceStart) / 1e6;

  const result = {
    date: new Date().toISOString(),
    node: process.version,
    /** The machine is shared: a high load average explains slow runs. */
    loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    sources: status.sources,
    loadMs: Math.round(loadMs),
    longestEventLoopStallDuringLoadMs: Math.round(stalls.max / 1e6),
    memoryMB: {
      gcBeforeMeasuring: gc !== undefined,
      rssBefore: megabytes(before.rss),
      rssAfter: megabytes(after.rss),
      rssDelta: megabytes(after.rss - before.rss),
      heapUsedDelta: megabytes(after.heapUsed - before.heapUsed),
      arrayBuffersDelta: megabytes(after.arrayBuffers - before.arrayBuffers),
    },
    lookups: {
      addresses: ADDRESSES - 20_000,
      v6Share: V6_SHARE,
      uncachedPerSecond: uncached.perSecond,
      uncachedPerCpuSecond: uncached.perCpuSecond,
      uncachedWithAs: uncached.found,
      cachedPerSecond: cached.perSecond,
      thirtyHopTraceFirstLookupMs: Math.round(thirtyHopMs * 1000) / 1000,
    },
    target: {
      lookupsPerSecond: TARGET_LOOKUPS_PER_SECOND,
      uncachedRatio: Math.round((uncached.perSecond / TARGET_LOOKUPS_PER_SECOND) * 100) / 100,
      uncachedCpuRatio: Math.round((uncached.perCpuSecond / TARGET_LOOKUPS_PER_SECOND) * 100) / 100,
      cachedRatio: Math.round((cached.perSecond / TARGET_LOOKUPS_PER_SECOND) * 100) / 100,
    },
  };
  console.log(JSON.stringify(result, null, 2));
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results/enrich.json'), JSON.stringify(result, null, 2) + '\n');
}

await main();

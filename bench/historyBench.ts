/**
 * The session history under a simulated 24 h session: 30 hops × 1 sample/s,
 * with loss and two path changes, written through the real store. Prints
 * bytes per sample on disk, write cost per round, the time of a 1000-bucket
 * timeline and of focus statistics over 1 h and 24 h, and RSS at 1 h vs 24 h.
 *   npm run bench:history            (BENCH_HOURS=2 for a quick run)
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HistoryStore } from '../src/main/history';
import { seededRandom } from './seededRandom';
import { HOPS, HOUR_ROUNDS, writeRound as writeSimulatedRound } from './simulatedSession';

const ROOT = resolve(import.meta.dirname, '..');
const HOURS = Number(process.env.BENCH_HOURS ?? 24);
const ROUNDS = Math.round(HOURS * 3600);
const T0 = Date.UTC(2026, 10, 1, 0, 0, 0);
/** In real life the store flushes once a second, i.e. once a round; the bulk of the day is written in bigger steps to save time. */
const BULK_FLUSH_EVERY = 10;
const QUERY_RUNS = 7;
/** Besides 1 h and the end, RSS every this many hours (after the same queries, run once). */
const SERIES_EVERY_HOURS = 4;

const random = seededRandom(42);
const writeRound = (store: HistoryStore, session: number, round: number) =>
  writeSimulatedRound(store, session, round, T0, random);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm
  const times: number[] = [];
  for (let i = 0; i < QUERY_RUNS; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

/**
 * The bench writes hours in seconds, an allocation rate a recorder (30 samples a second) never has, and V8
 * grows its young generation for it (+17 MB committed at 24 h). V8's memory reducer gives that back once
 * allocation calms down, a few seconds later; the idle pause lets it, as a real session's idle time does.
 */
const IDLE_MS = 20_000;

/** RSS at steady state: after an idle pause and a forced GC (twice, with a pause for finalizers and DuckDB's background work). */
async function steadyRssMb(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc (npm run bench:history does)');
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  gc();
  await new Promise((resolve) => setTimeout(resolve, 500));
  gc();
  return process.memoryUsage().rss / 2 ** 20;
}

/** Fields of the kernel's memory summary of this process (Linux), in MB. */
function smapsMb(): { fileBacked: number; lazyFree: number } {
  const rollup = readFileSync('/proc/self/smaps_rollup', 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? NaN);
  return { fileBacked: (kb('Rss') - kb('Anonymous')) / 1024, lazyFree: kb('LazyFree') / 1024 };
}

/** The machine is shared: every figure is printed beside the 1-minute load average it was measured under. */
const load = () => Number(loadavg()[0]!.toFixed(2));

/** The queries each checkpoint times: the focus statistics, the service's window stats and a timeline. */
function checkpointQueries(store: HistoryStore, session: number, rounds: number) {
  const end = T0 + rounds * 1000;
  const lastHour = { from: end - 3600_000, to: end };
  // A live focus window ends "now", a little after the newest sample, never on a minute boundary.
  const liveFocus = { from: end - 600_000 + 437, to: end + 437 };
  return {
    // The focus table's figures (p50/p95/p99 included), then without them (the text reports and CSV do not show them).
    focusStatsLastHourMs: () => store.windowStats(session, lastHour, { samplesPerHop: 1 }),
    focusStatsWholeMs: () => store.windowStats(session, {}, { samplesPerHop: 1 }),
    focusStatsLastHourNoPercentilesMs: () =>
      store.windowStats(session, lastHour, { samplesPerHop: 1, percentiles: false }),
    focusStatsWholeNoPercentilesMs: () => store.windowStats(session, {}, { samplesPerHop: 1, percentiles: false }),
    // What getWindowStats asks for (jitter too): the live focus (last 10 min, about once a second) and all of it.
    liveFocusTenMinutesMs: () => store.windowStats(session, liveFocus, { jitter: true }),
    serviceWholeMs: () => store.windowStats(session, {}, { jitter: true }),
    timeline1000Ms: () => store.timeline(session, HOPS, T0, end, 1000),
  };
}

interface MemoryReading {
  hours: number;
  rssMb: number;
  /** Of the RSS: what DuckDB accounts for (buffer pool) and the JS heap, to see which one grows. */
  duckdbMb: number;
  jsHeapMb: number;
  /** What V8 keeps committed for the JS heap (it grows the young generation under allocation and keeps it). */
  jsHeapCommittedMb: number;
  /** V8's count of memory held by JS objects outside its heap (buffers, the DuckDB bindings' wrappers). */
  externalMb: number;
  /** Pages mapped from files (node, libduckdb.so): constant, part of RSS. */
  fileBackedMb: number;
  /** Pages an allocator gave back with MADV_FREE: counted in RSS until the kernel needs them. */
  lazyFreeMb: number;
  loadAverage: number;
}

async function readMemory(store: HistoryStore, rounds: number): Promise<MemoryReading> {
  const rssMb = await steadyRssMb();
  const { fileBacked, lazyFree } = smapsMb();
  const duckdbMb = (await store.engineMemoryBytes()) / 2 ** 20;
  const { heapUsed, heapTotal, external } = process.memoryUsage();
  return {
    hours: rounds / 3600,
    rssMb,
    duckdbMb,
    jsHeapMb: heapUsed / 2 ** 20,
    jsHeapCommittedMb: heapTotal / 2 ** 20,
    externalMb: external / 2 ** 20,
    fileBackedMb: fileBacked,
    lazyFreeMb: lazyFree,
    loadAverage: load(),
  };
}

type QueryTimes = Record<keyof ReturnType<typeof checkpointQueries>, number>;
type Checkpoint = MemoryReading & QueryTimes & { queryLoadAverage: number };

async function measure(store: HistoryStore, session: number, rounds: number): Promise<Checkpoint> {
  const times: Partial<QueryTimes> = {};
  for (const [name, query] of Object.entries(checkpointQueries(store, session, rounds))) {
    times[name as keyof QueryTimes] = await timeMs(query);
  }
  const queryLoadAverage = load();
  return { ...(times as QueryTimes), queryLoadAverage, ...(await readMemory(store, rounds)) };
}

/** Between the timed checkpoints: the same queries once each, then RSS, to see whether memory climbs or levels off. */
async function seriesPoint(store: HistoryStore, session: number, rounds: number): Promise<MemoryReading> {
  for (const query of Object.values(checkpointQueries(store, session, rounds))) await query();
  return readMemory(store, rounds);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-history-bench-'));
  const path = join(dir, 'bench.duckdb');
  try {
    const store = await HistoryStore.open(path);
    const session = store.beginSession({
      uid: 'bench',
      startedAt: T0,
      target: 'bench.test',
      options: { target: 'bench.test' },
      mtrPacketVersion: '0.95',
    });
    const oneHour = Math.min(HOUR_ROUNDS, ROUNDS);

    // The first hour at the real cadence: one flush (one transaction) per round.
    let start = process.hrtime.bigint();
    for (let round = 0; round < oneHour; round++) {
      writeRound(store, session, round);
      await store.flush();
    }
    const writeMsPerRoundFirstHour = Number(process.hrtime.bigint() - start) / 1e6 / oneHour;
    const atOneHour = await measure(store, session, oneHour);

    const series: MemoryReading[] = [atOneHour];
    for (let round = oneHour; round < ROUNDS - 600; round++) {
      writeRound(store, session, round);
      if (round % BULK_FLUSH_EVERY === 0) await store.flush();
      if ((round + 1) % (SERIES_EVERY_HOURS * HOUR_ROUNDS) === 0) {
        await store.flush();
        series.push(await seriesPoint(store, session, round + 1));
      }
    }
    // The last ten minutes at the real cadence again: a write must not get dearer as the session grows.
    start = process.hrtime.bigint();
    for (let round = Math.max(oneHour, ROUNDS - 600); round < ROUNDS; round++) {
      writeRound(store, session, round);
      await store.flush();
    }
    const writeMsPerRoundLast = Number(process.hrtime.bigint() - start) / 1e6 / Math.min(600, ROUNDS - oneHour || 1);
    const atEnd = await measure(store, session, ROUNDS);
    series.push(atEnd);
    const [info] = await store.sessions();
    await store.close();

    const reopened = await HistoryStore.open(path, { readOnly: true });
    const bytes = reopened.bytesOnDisk();
    await reopened.close();
    const samples = info?.samples ?? 0;
    const result = {
      hours: HOURS,
      hops: HOPS,
      samples,
      fileBytes: bytes,
      bytesPerSample: bytes / samples,
      writeMsPerRound: { firstHour: writeMsPerRoundFirstHour, lastTenMinutes: writeMsPerRoundLast },
      atOneHour,
      atEnd,
      rssRatioEndToOneHour: atEnd.rssMb / atOneHour.rssMb,
      rssSeries: series.map((m) => ({
        hours: m.hours,
        rssMb: m.rssMb,
        lazyFreeMb: m.lazyFreeMb,
        loadAverage: m.loadAverage,
      })),
      targets: {
        focusStatsMs: 50,
        timelineMs: 50,
        bytesPerSample: 16,
        rssRatio: 1.1,
      },
    };
    const f = (v: number) => v.toFixed(2);
    console.log(`history bench: ${HOURS} h × ${HOPS} hops = ${samples} samples`);
    console.log(
      `  on disk: ${(bytes / 2 ** 20).toFixed(1)} MB, ${f(result.bytesPerSample)} bytes/sample (target ≤ 16)`,
    );
    console.log(
      `  write per round (30 samples + one flush): ${f(writeMsPerRoundFirstHour)} ms in hour 1, ${f(writeMsPerRoundLast)} ms at the end`,
    );
    for (const c of [atOneHour, atEnd]) {
      console.log(
        `  at ${c.hours} h (load average ${c.queryLoadAverage} on ${cpus().length} cores): focus stats last 1 h ${f(c.focusStatsLastHourMs)} ms, ` +
          `whole session ${f(c.focusStatsWholeMs)} ms; without percentiles ${f(c.focusStatsLastHourNoPercentilesMs)} / ` +
          `${f(c.focusStatsWholeNoPercentilesMs)} ms; getWindowStats (jitter too) live 10 min ${f(c.liveFocusTenMinutesMs)} ms, ` +
          `whole ${f(c.serviceWholeMs)} ms; 1000-bucket timeline ${f(c.timeline1000Ms)} ms (targets ≤ 50)`,
      );
    }
    for (const m of series) {
      console.log(
        `  RSS at ${m.hours} h: ${m.rssMb.toFixed(0)} MB (load ${m.loadAverage}; mapped files ${m.fileBackedMb.toFixed(0)} MB, ` +
          `DuckDB ${m.duckdbMb.toFixed(0)} MB, JS heap ${m.jsHeapMb.toFixed(0)} MB used / ${m.jsHeapCommittedMb.toFixed(0)} MB ` +
          `committed, external ${m.externalMb.toFixed(0)} MB, other native ` +
          `${(m.rssMb - m.fileBackedMb - m.duckdbMb - m.jsHeapCommittedMb).toFixed(0)} MB, of it lazily freed ` +
          `${m.lazyFreeMb.toFixed(0)} MB)`,
      );
    }
    console.log(`  RSS ${HOURS} h / 1 h: ${f(result.rssRatioEndToOneHour)} (target ≤ 1.1)`);
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench/results/history.json'), JSON.stringify(result, null, 2) + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

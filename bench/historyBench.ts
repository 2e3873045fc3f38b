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

/** RSS minus anonymous memory, from the kernel's summary (Linux). */
function fileBackedMb(): number {
  const rollup = readFileSync('/proc/self/smaps_rollup', 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? NaN);
  return (kb('Rss') - kb('Anonymous')) / 1024;
}

/** The machine is shared: every figure is printed beside the 1-minute load average it was measured under. */
const load = () => Number(loadavg()[0]!.toFixed(2));

interface Checkpoint {
  hours: number;
  rssMb: number;
  /** Of the RSS: what DuckDB accounts for (buffer pool) and the JS heap, to see which one grows. */
  duckdbMb: number;
  jsHeapMb: number;
  /** What V8 keeps committed for the JS heap (it grows the young generation under allocation and keeps it). */
  jsHeapCommittedMb: number;
  /** Pages mapped from files (node, libduckdb.so): constant, part of RSS. */
  fileBackedMb: number;
  /** The bench's figures (p50/p95/p99 included, as the focus table shows them). */
  focusStatsLastHourMs: number;
  focusStatsWholeMs: number;
  /** Without p50/p95/p99 (the text reports and CSV do not show them). */
  focusStatsLastHourNoPercentilesMs: number;
  focusStatsWholeNoPercentilesMs: number;
  /** What getWindowStats asks for (jitter too): the live focus (last 10 min, called about once a second) and all of it. */
  liveFocusTenMinutesMs: number;
  serviceWholeMs: number;
  timeline1000Ms: number;
  loadAverage: number;
}

async function measure(store: HistoryStore, session: number, rounds: number): Promise<Checkpoint> {
  const end = T0 + rounds * 1000;
  const lastHour = { from: end - 3600_000, to: end };
  // A live focus window ends "now", a little after the newest sample, never on a minute boundary.
  const liveFocus = { from: end - 600_000 + 437, to: end + 437 };
  const result = {
    hours: rounds / 3600,
    focusStatsLastHourMs: await timeMs(() => store.windowStats(session, lastHour, { samplesPerHop: 1 })),
    focusStatsWholeMs: await timeMs(() => store.windowStats(session, {}, { samplesPerHop: 1 })),
    focusStatsLastHourNoPercentilesMs: await timeMs(() =>
      store.windowStats(session, lastHour, { samplesPerHop: 1, percentiles: false }),
    ),
    focusStatsWholeNoPercentilesMs: await timeMs(() =>
      store.windowStats(session, {}, { samplesPerHop: 1, percentiles: false }),
    ),
    liveFocusTenMinutesMs: await timeMs(() => store.windowStats(session, liveFocus, { jitter: true })),
    serviceWholeMs: await timeMs(() => store.windowStats(session, {}, { jitter: true })),
    timeline1000Ms: await timeMs(() => store.timeline(session, HOPS, T0, end, 1000)),
    loadAverage: load(),
  };
  const rssMb = await steadyRssMb();
  const duckdbMb = (await store.engineMemoryBytes()) / 2 ** 20;
  const { heapUsed, heapTotal } = process.memoryUsage();
  return {
    ...result,
    rssMb,
    duckdbMb,
    jsHeapMb: heapUsed / 2 ** 20,
    jsHeapCommittedMb: heapTotal / 2 ** 20,
    fileBackedMb: fileBackedMb(),
  };
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

    for (let round = oneHour; round < ROUNDS - 600; round++) {
      writeRound(store, session, round);
      if (round % BULK_FLUSH_EVERY === 0) await store.flush();
    }
    // The last ten minutes at the real cadence again: a write must not get dearer as the session grows.
    start = process.hrtime.bigint();
    for (let round = Math.max(oneHour, ROUNDS - 600); round < ROUNDS; round++) {
      writeRound(store, session, round);
      await store.flush();
    }
    const writeMsPerRoundLast = Number(process.hrtime.bigint() - start) / 1e6 / Math.min(600, ROUNDS - oneHour || 1);
    const atEnd = await measure(store, session, ROUNDS);
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
        `  at ${c.hours} h (load average ${c.loadAverage} on ${cpus().length} cores): focus stats last 1 h ${f(c.focusStatsLastHourMs)} ms, ` +
          `whole session ${f(c.focusStatsWholeMs)} ms; without percentiles ${f(c.focusStatsLastHourNoPercentilesMs)} / ` +
          `${f(c.focusStatsWholeNoPercentilesMs)} ms; getWindowStats (jitter too) live 10 min ${f(c.liveFocusTenMinutesMs)} ms, ` +
          `whole ${f(c.serviceWholeMs)} ms; 1000-bucket timeline ${f(c.timeline1000Ms)} ms (targets ≤ 50); ` +
          `RSS ${c.rssMb.toFixed(0)} MB (mapped files ${c.fileBackedMb.toFixed(0)} MB, DuckDB ${c.duckdbMb.toFixed(0)} MB, ` +
          `JS heap ${c.jsHeapMb.toFixed(0)} MB used / ${c.jsHeapCommittedMb.toFixed(0)} MB committed, other native ` +
          `${(c.rssMb - c.fileBackedMb - c.duckdbMb - c.jsHeapCommittedMb).toFixed(0)} MB)`,
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

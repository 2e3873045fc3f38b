/**
 * Export session of a 24 h session (30 hops, one round a second: 2.6 M
 * samples, bench/simulatedSession.ts) written through the real store: the
 * session file's size per sample and beside the history file, how long the
 * export takes, and whether the opened file answers the whole-session
 * statistics and a timeline as fast as the history does (ratios, one run).
 *
 *   TSX_TSCONFIG_PATH=tsconfig.node.json node --import tsx bench/sessionFileBench.ts [hours]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryStore } from '../src/main/history';
import { runBenchmark, saveResult } from './benchRunner';
import { HOPS, HOUR_ROUNDS, writeRound } from './simulatedSession';
import { seededRandom } from './seededRandom';

const HOURS = Number(process.argv[2] ?? 24);
const T0 = Date.UTC(2026, 10, 1);

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await run();
  return { value, ms: performance.now() - start };
}

/** The median of five runs: the machine is shared, one run says little. */
async function medianMs(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) times.push((await timed(run)).ms);
  return times.sort((a, b) => a - b)[2]!;
}

/** Whole-session statistics and one hop's timeline in 1000 buckets, as a tab's first view asks, and a focus window. */
async function firstView(store: HistoryStore, session: number, end: number) {
  // A ten-minute focus window in the middle: read from the samples, not the minute roll-up alone.
  const middle = T0 + Math.floor((end - T0) / 2 / 60_000) * 60_000 + 30_000;
  const stats = await store.windowStats(session, {}, { jitter: true });
  return {
    statsMs: await medianMs(() => store.windowStats(session, {}, { jitter: true })),
    timelineMs: await medianMs(() => store.timeline(session, HOPS, T0, end, 1000)),
    focusMs: await medianMs(() => store.windowStats(session, { from: middle, to: middle + 600_000 }, { jitter: true })),
    p99: stats.hops[HOPS - 1]?.p99Ms ?? null,
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-session-file-bench-'));
  try {
    const historyPath = join(dir, 'history.duckdb');
    const exported = join(dir, 'session.duckdb');
    const rounds = HOURS * HOUR_ROUNDS;
    const end = T0 + rounds * 1000;
    const store = await HistoryStore.open(historyPath);
    const session = store.beginSession({
      uid: 'day',
      startedAt: T0,
      target: 'day.test',
      options: {},
      mtrPacketVersion: null,
    });
    store.beginSegment({ session, segment: 0, startedAt: T0, firstRound: 0, reason: 'start', options: {} });
    const random = seededRandom(1);
    for (let round = 0; round < rounds; round++) {
      writeRound(store, session, round, T0, random);
      if (round % 600 === 599) await store.flush();
    }
    store.updateSession(session, { lastAt: end, endedAt: end, state: 'finished', rounds });
    await store.close();

    const history = await HistoryStore.open(historyPath);
    const exportRun = await timed(() => history.exportSession(session, exported));
    const original = await firstView(history, session, end);
    await history.close();
    const copy = await HistoryStore.open(exported, { readOnly: true });
    const opened = await firstView(copy, session, end);
    await copy.close();

    const samples = exportRun.value.samples;
    const fileBytes = statSync(exported).size;
    const historyBytes = statSync(historyPath).size;
    const result = {
      hours: HOURS,
      samples,
      exportMs: Math.round(exportRun.ms),
      fileBytes,
      bytesPerSample: +(fileBytes / samples).toFixed(2),
      historyBytes,
      fileToHistory: +(fileBytes / historyBytes).toFixed(3),
      historyMs: { stats: original.statsMs, timeline: original.timelineMs, focus: original.focusMs },
      fileMs: { stats: opened.statsMs, timeline: opened.timelineMs, focus: opened.focusMs },
      statsFileToHistory: +(opened.statsMs / original.statsMs).toFixed(2),
      timelineFileToHistory: +(opened.timelineMs / original.timelineMs).toFixed(2),
      focusFileToHistory: +(opened.focusMs / original.focusMs).toFixed(2),
      sameP99: opened.p99 === original.p99,
    };
    console.log(
      `${HOURS} h, ${samples.toLocaleString('en-US')} samples: exported in ${result.exportMs} ms to ` +
        `${(fileBytes / 2 ** 20).toFixed(1)} MB (${result.bytesPerSample} B/sample, ${result.fileToHistory}× the history file)`,
    );
    console.log(
      `opened file vs history: whole-session statistics ${result.statsFileToHistory}×, ` +
        `timeline ${result.timelineFileToHistory}×, 10-minute focus window ${result.focusFileToHistory}×, ` +
        `same p99: ${result.sameP99}`,
    );
    saveResult('session-file.json', result);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runBenchmark(main);

/**
 * Export session: a simulated long session (more samples than one JSON
 * document carries) written through the real store into a history file that
 * holds another session too, exported to a DuckDB file of its own. The file
 * holds that session only and all of it: every sample, segment, marker,
 * owner and hostname; its timeline, focus-window statistics and
 * `hopscope report` are the original's. A target that is the history file
 * itself, or a failed export, leaves nothing behind.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/main/history';
import { ownerEventDetail, OWNER_EVENT } from '../../../src/main/history/ownerRecords';
import { runReport, type ReportFlags } from '../../../src/cli/runReport';
import { HOPS, writeRound } from '../../../bench/simulatedSession';
import { seededRandom } from '../../../bench/seededRandom';
import { MAX_OPENED_SAMPLES } from '@shared/limits';

const dir = mkdtempSync(join(tmpdir(), 'hopscope-session-file-'));
const historyPath = join(dir, 'history.duckdb');
const exported = join(dir, 'exported.duckdb');
const ROUNDS = 10_000;
const SEGMENT_ROUND = 6_000;
const T0 = Date.UTC(2026, 10, 1, 12);
const END = T0 + ROUNDS * 1000;
let session: number;
let other: number;
let original: HistoryStore;
let copy: HistoryStore;

beforeAll(async () => {
  const store = await HistoryStore.open(historyPath);
  other = store.beginSession({
    uid: 'other',
    startedAt: T0,
    target: 'other.test',
    options: {},
    mtrPacketVersion: null,
  });
  session = store.beginSession({
    uid: 'long',
    startedAt: T0,
    target: 'long.test',
    options: { target: 'long.test', protocol: 'icmp' },
    mtrPacketVersion: '0.95',
  });
  store.beginSegment({ session, segment: 0, startedAt: T0, firstRound: 0, reason: 'start', options: { a: 1 } });
  const random = seededRandom(7);
  for (let round = 0; round < ROUNDS; round++) {
    if (round === SEGMENT_ROUND) {
      const at = T0 + round * 1000;
      store.beginSegment({
        session,
        segment: 1,
        startedAt: at,
        firstRound: round,
        reason: 'options',
        options: { a: 2 },
      });
      store.addEvent({ session, at, kind: 'restart', ttl: null, detail: JSON.stringify({ round }) });
    }
    writeRound(store, session, round, T0, random);
    if (round % 1000 === 999) await store.flush();
  }
  for (let round = 0; round < 50; round++) writeRound(store, other, round, T0, random);
  store.addHostname({ session, at: T0, address: '10.0.3.1', hostname: 'r3.long.test' });
  store.addEvent({
    session,
    at: T0 + 5,
    kind: OWNER_EVENT,
    ttl: 3,
    detail: ownerEventDetail('10.0.3.1', {
      as: { asn: 64500, organisation: 'EXAMPLE-NET', origin: 'user', dataDate: '2026-01-01' },
      country: { code: 'NL', origin: 'user', dataDate: '2026-01-01' },
    }),
  });
  store.updateSession(session, { lastAt: END, endedAt: END, state: 'finished', rounds: ROUNDS, destinationTtl: HOPS });
  await store.close();
  original = await HistoryStore.open(historyPath);
  const result = await original.exportSession(session, exported);
  expect(result.samples).toBe(ROUNDS * HOPS);
  copy = await HistoryStore.open(exported, { readOnly: true });
}, 300_000);

afterAll(async () => {
  await copy?.close();
  await original?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Export session', () => {
  it('holds that session alone, every sample of it (more than one JSON document carries)', async () => {
    const [inOriginal] = (await original.sessions()).filter((s) => s.session === session);
    const sessions = await copy.sessions();
    expect(sessions.map((s) => s.uid)).toEqual(['long']);
    expect(inOriginal!.samples).toBeGreaterThan(MAX_OPENED_SAMPLES);
    expect(sessions[0]!.samples).toBe(inOriginal!.samples);
    const { approxBytes: _a, ...row } = inOriginal!;
    const { approxBytes: _b, ...copied } = sessions[0]!;
    expect(copied).toEqual(row);
    expect(await copy.samples(session, { from: T0 + 4_000_000, to: T0 + 4_010_000 })).toEqual(
      await original.samples(session, { from: T0 + 4_000_000, to: T0 + 4_010_000 }),
    );
  });

  it('keeps segments, markers, owners and hostnames', async () => {
    expect(await copy.segments(session)).toEqual(await original.segments(session));
    expect(await copy.events(session)).toEqual(await original.events(session));
    expect(await copy.timelineMarkers(session, T0, END, 500)).toEqual(
      await original.timelineMarkers(session, T0, END, 500),
    );
    expect((await copy.owners(session)).get('10.0.3.1')?.as?.asn).toBe(64500);
    expect(await copy.owners(session)).toEqual(await original.owners(session));
    expect(await copy.hostnames(session)).toEqual(new Map([['10.0.3.1', 'r3.long.test']]));
  });

  it('gives the same timeline buckets and window statistics (p50/p95/p99 too)', async () => {
    for (const ttl of [1, 7, 15, HOPS]) {
      expect(await copy.timeline(session, ttl, T0, END, 400)).toEqual(
        await original.timeline(session, ttl, T0, END, 400),
      );
    }
    const window = { from: T0 + 3600_000 - 90_000, to: T0 + 3600_000 + 700_000 };
    for (const range of [{}, window]) {
      const stats = await copy.windowStats(session, range, { jitter: true });
      expect(stats).toEqual(await original.windowStats(session, range, { jitter: true }));
      expect(stats.hops[HOPS - 1]!.p99Ms).not.toBeNull();
    }
  });

  it('is read by hopscope report as the original session is', async () => {
    const report = async (path: string, flags: ReportFlags) => {
      let out = '';
      let err = '';
      const io = { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } };
      const code = await runReport(path, flags, io as never);
      return { code, out, err };
    };
    await original.close();
    for (const flags of [
      { report: true },
      { json: true },
      { json: true, from: new Date(T0 + 7200_000).toISOString() },
    ]) {
      const fromCopy = await report(exported, flags);
      const fromHistory = await report(historyPath, { ...flags, session: String(session) });
      expect(fromCopy.err).toBe('');
      expect(fromCopy.code).toBe(0);
      expect(fromCopy.out).toContain('long.test');
      expect(fromCopy.out).toEqual(fromHistory.out);
    }
    original = await HistoryStore.open(historyPath);
  }, 60_000);

  it('refuses the history file itself as its target, and a failed export leaves no file', async () => {
    await expect(original.exportSession(session, historyPath)).rejects.toThrow(/is the history file itself/);
    await expect(original.exportSession(session, `${historyPath}.wal`)).rejects.toThrow(/history file itself/);
    const missingFolder = join(dir, 'no-such-folder', 'x.duckdb');
    await expect(original.exportSession(session, missingFolder)).rejects.toThrow();
    expect(existsSync(missingFolder)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.endsWith('.part'))).toEqual([]);
    // The store goes on as before.
    expect((await original.sessions()).map((s) => s.uid)).toEqual(['other', 'long']);
  });

  it('of a session being recorded holds what was recorded up to then, buffered samples too; recording goes on', async () => {
    const livePath = join(dir, 'live.duckdb');
    const live = await HistoryStore.open(livePath, { flushIntervalMs: 10 });
    const id = live.beginSession({
      uid: 'live',
      startedAt: T0,
      target: 'live.test',
      options: {},
      mtrPacketVersion: null,
    });
    const random = seededRandom(3);
    for (let round = 0; round < 100; round++) writeRound(live, id, round, T0, random);
    expect(live.bufferedSamples).toBe(100 * HOPS);
    // Not flushed yet: the export flushes first, in turn with the writer's timer.
    expect(await live.exportSession(id, join(dir, 'live-export.duckdb'))).toEqual({ samples: 100 * HOPS });
    for (let round = 100; round < 120; round++) writeRound(live, id, round, T0, random);
    await live.flush();
    expect((await live.sessions())[0]!.samples).toBe(120 * HOPS);
    await live.close();
  });

  it('of a read-only store (an opened session file) copies it again', async () => {
    const again = join(dir, 'again.duckdb');
    expect(await copy.exportSession(session, again)).toEqual({ samples: ROUNDS * HOPS });
    const reopened = await HistoryStore.open(again, { readOnly: true });
    expect((await reopened.sessions())[0]!.samples).toBe(ROUNDS * HOPS);
    await reopened.close();
  });
});

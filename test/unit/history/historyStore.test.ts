import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DuckDBInstance } from '@duckdb/node-api';
import { LOCAL_RESULT_KINDS, PROBE_RESULT_KINDS, type ProbeResultKind } from '@shared/probe';
import { HistoryFileError, HistoryStore, type SampleRow } from '../../../src/main/history';

const dir = mkdtempSync(join(tmpdir(), 'hopscope-history-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newPath = () => join(dir, `h${files++}.duckdb`);

const T0 = Date.UTC(2026, 10, 1, 12);

const sampleArb = (session: number) =>
  fc
    .record({
      ttl: fc.integer({ min: 1, max: 6 }),
      round: fc.integer({ min: 0, max: 30 }),
      result: fc.constantFrom(...PROBE_RESULT_KINDS),
      rttUs: fc.integer({ min: 1, max: 5_000_000 }),
      address: fc.constantFrom('198.51.100.1', '198.51.100.2', '2001:db8::7'),
      mpls: fc.boolean(),
      flushAfter: fc.boolean(),
    })
    .map((s) => {
      const answered = s.result === 'reply' || s.result === 'ttl-expired';
      const row: SampleRow = {
        session,
        segment: Math.floor(s.round / 10),
        ttl: s.ttl,
        round: s.round,
        at: T0 + s.round * 1000 + s.ttl,
        result: s.result,
        address: answered || s.result === 'no-route' ? s.address : null,
        rttMs: answered ? s.rttUs / 1000 : null,
        mpls: answered && s.mpls ? [{ label: 16, trafficClass: 0, bottomOfStack: true, ttl: 1 }] : null,
      };
      return { row, flushAfter: s.flushAfter };
    });

/** What the store must return: the last sample written for each (session, TTL, round). */
function latest(rows: SampleRow[]): SampleRow[] {
  const map = new Map<string, SampleRow>();
  for (const r of rows) map.set(`${r.session}:${r.ttl}:${r.round}`, r);
  return [...map.values()].sort((a, b) => a.session - b.session || a.ttl - b.ttl || a.round - b.round);
}

function beginSession(store: HistoryStore, uid: string): number {
  return store.beginSession({
    uid,
    startedAt: T0,
    target: 'example.test',
    options: { target: 'example.test' },
    mtrPacketVersion: '0.95',
  });
}

describe('HistoryStore: samples in = samples out', () => {
  it('returns the latest sample per (session, TTL, round), across flushes, late replies and reopening', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(sampleArb(1), { maxLength: 120 }),
        fc.array(sampleArb(2), { maxLength: 40 }),
        async (first, second) => {
          const path = newPath();
          const store = await HistoryStore.open(path, { flushIntervalMs: 1000 });
          const a = beginSession(store, 'a');
          const b = beginSession(store, 'b');
          expect([a, b]).toEqual([1, 2]);
          const written: SampleRow[] = [];
          // Interleave the two sessions, flushing at random points: replacements then hit rows already on disk.
          const steps = [...first, ...second].sort(
            (x, y) => x.row.round - y.row.round || x.row.session - y.row.session,
          );
          for (const { row, flushAfter } of steps) {
            store.addSample(row);
            written.push(row);
            if (flushAfter) await store.flush();
          }
          await store.flush();
          const expected = latest(written);
          const read = async (s: HistoryStore) => [...(await s.samples(a)), ...(await s.samples(b))];
          expect(await read(store)).toEqual(expected);
          await store.close();

          const again = await HistoryStore.open(path, { readOnly: true });
          try {
            expect(await read(again)).toEqual(expected);
            // Window statistics count the same samples.
            const stats = await again.windowStats(a);
            for (const hop of stats.hops) {
              const rows = expected.filter((r) => r.session === a && r.ttl === hop.ttl);
              const counted = rows.filter((r) => !LOCAL_RESULT_KINDS.has(r.result));
              const answered = rows.filter((r) => (r.result === 'reply' || r.result === 'ttl-expired') && r.address);
              expect(hop.sent).toBe(counted.length);
              expect(hop.received).toBe(answered.length);
              expect(hop.hosts.reduce((n, h) => n + h.received, 0)).toBe(answered.length);
            }
          } finally {
            await again.close();
          }
          rmSync(path, { force: true });
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});

describe('HistoryStore: windows and timeline', () => {
  it('splits a session into adjacent windows whose counts add up, and buckets a timeline to the width asked', async () => {
    const store = await HistoryStore.open(newPath());
    const s = beginSession(store, 'w');
    const kinds: ProbeResultKind[] = ['ttl-expired', 'no-reply', 'ttl-expired', 'helper-stalled'];
    for (let round = 0; round < 100; round++) {
      for (let ttl = 1; ttl <= 3; ttl++) {
        const result = ttl === 3 ? 'reply' : (kinds[(round + ttl) % kinds.length] ?? 'no-reply');
        const answered = result === 'reply' || result === 'ttl-expired';
        store.addSample({
          session: s,
          segment: 0,
          ttl,
          round,
          at: T0 + round * 1000,
          result,
          address: answered ? `198.51.100.${ttl}` : null,
          rttMs: answered ? ttl + (round % 7) : null,
          mpls: null,
        });
      }
    }
    // TTL 4 alternates between two responders (ECMP): 1 ms and 3 ms.
    for (let round = 0; round < 100; round++) {
      const odd = round % 2 === 1;
      store.addSample({
        session: s,
        segment: 0,
        ttl: 4,
        round,
        at: T0 + round * 1000,
        result: 'ttl-expired',
        address: odd ? '198.51.100.42' : '198.51.100.41',
        rttMs: odd ? 3 : 1,
        mpls: odd ? [{ label: 7, trafficClass: 0, bottomOfStack: true, ttl: 1 }] : null,
      });
    }
    await store.flush();
    const whole = await store.windowStats(s, {}, { jitter: true, percentiles: 'exact' });
    const ecmp = whole.hops.find((h) => h.ttl === 4);
    expect(ecmp).toMatchObject({
      sent: 100,
      received: 100,
      lossPct: 0,
      avgMs: 2,
      bestMs: 1,
      worstMs: 3,
      p50Ms: 2,
      lastMs: 3,
    });
    expect(ecmp?.p99Ms).toBeCloseTo(3);
    expect(ecmp?.stdevMs).toBeCloseTo(Math.sqrt((100 * 1) / 99));
    expect(ecmp?.hosts.map((h) => [h.address, h.received, h.p50Ms, h.lastMs, h.jitterMs, h.mpls.length])).toEqual([
      ['198.51.100.41', 50, 1, 1, 0, 0],
      ['198.51.100.42', 50, 3, 3, 0, 1],
    ]);
    // An open-ended window reads percentiles from the minute histograms: the sample at that rank, within a bucket.
    const bucketed = (await store.windowStats(s)).hops.find((h) => h.ttl === 4);
    expect(bucketed?.p50Ms).toBeCloseTo(1, 1);
    expect(bucketed?.p95Ms).toBeCloseTo(3, 1);
    expect(bucketed?.hosts[1]?.p99Ms).toBeCloseTo(3, 1);
    const cut = T0 + 37_000;
    const early = await store.windowStats(s, { to: cut });
    const late = await store.windowStats(s, { from: cut });
    for (const hop of whole.hops) {
      const e = early.hops.find((h) => h.ttl === hop.ttl);
      const l = late.hops.find((h) => h.ttl === hop.ttl);
      expect((e?.sent ?? 0) + (l?.sent ?? 0)).toBe(hop.sent);
      expect((e?.received ?? 0) + (l?.received ?? 0)).toBe(hop.received);
    }
    expect(early.rounds + late.rounds).toBe(100);
    // Helper trouble is neither sent nor lost.
    const hop1 = whole.hops.find((h) => h.ttl === 1);
    expect(hop1?.sent).toBe(75);
    expect(hop1?.received).toBe(50);
    expect(hop1?.p50Ms).not.toBeNull();

    const buckets = await store.timeline(s, 3, T0, T0 + 100_000, 10);
    expect(buckets).toHaveLength(10);
    expect(buckets.reduce((n, b) => n + b.sent, 0)).toBe(100);
    expect(buckets[0]).toMatchObject({ sent: 10, received: 10, lossPct: 0, minMs: 3, maxMs: 9 });
    // Buckets of a minute or more are per-minute aggregates (here of minutes not rolled up yet): the same counts and extremes.
    const perMinute = await store.timeline(s, 3, T0, T0 + 120_000, 2);
    expect(perMinute.map((b) => [b.sent, b.received, b.minMs, b.maxMs])).toEqual([
      [60, 60, 3, 9],
      [40, 40, 3, 9],
    ]);
    const rtts = Array.from({ length: 60 }, (_, round) => 3 + (round % 7));
    expect(perMinute[0]?.avgMs).toBeCloseTo(rtts.reduce((a, b) => a + b, 0) / 60);
    const wide = await store.timeline(s, 3, T0, T0 + 100_000, 1000);
    expect(wide).toHaveLength(1000);
    expect(wide.filter((b) => b.sent > 0)).toHaveLength(100);
    await store.close();
  });
});

describe('HistoryStore: retention', () => {
  it('deletes sessions older than the retention and keeps the rest', async () => {
    const store = await HistoryStore.open(newPath());
    const day = 24 * 60 * 60 * 1000;
    const now = T0 + 40 * day;
    const old = beginSession(store, 'old');
    const recent = beginSession(store, 'recent');
    for (const [session, at] of [
      [old, T0],
      [recent, now - 2 * day],
    ] as const) {
      store.updateSession(session, { lastAt: at });
      store.addSample({
        session,
        segment: 0,
        ttl: 1,
        round: 0,
        at,
        result: 'no-reply',
        address: null,
        rttMs: null,
        mpls: null,
      });
      store.addEvent({ session, at, kind: 'state', ttl: null, detail: 'running' });
    }
    expect(await store.applyRetention(30, now)).toBe(1);
    const left = await store.sessions();
    expect(left.map((s) => s.uid)).toEqual(['recent']);
    expect(left[0]?.samples).toBe(1);
    expect(left[0]?.approxBytes).toBeGreaterThan(0);
    expect(await store.samples(old)).toEqual([]);
    expect(await store.events(old)).toEqual([]);
    expect(await store.applyRetention(30, now)).toBe(0);
    await store.close();
  });
});

describe('HistoryStore: foreign and damaged files', () => {
  it('says a new file cannot be created where its folder is missing, rather than that it cannot be read', async () => {
    const missing = join(dir, 'no-such-folder', 'history.duckdb');
    await expect(HistoryStore.open(missing)).rejects.toThrow(
      `${missing}: cannot be created: the folder ${join(dir, 'no-such-folder')} does not exist`,
    );
    const file = join(dir, 'plain.txt');
    writeFileSync(file, 'x');
    await expect(HistoryStore.open(join(file, 'history.duckdb'))).rejects.toThrow(
      `no such file: a part of ${file} is not a folder`,
    );
  });

  it('names the problem and leaves the file as it was', async () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a database\n'.repeat(400));
    await expect(HistoryStore.open(text, { readOnly: true })).rejects.toThrow(/not a Hopscope history file/);
    await expect(HistoryStore.open(text)).rejects.toThrow(/not a Hopscope history file \(not a DuckDB database\)/);

    const foreign = join(dir, 'other.duckdb');
    const instance = await DuckDBInstance.create(foreign);
    const c = await instance.connect();
    await c.run('CREATE TABLE t (x INTEGER)');
    await c.run('INSERT INTO t VALUES (42)');
    c.closeSync();
    instance.closeSync();
    const error = await HistoryStore.open(foreign, { readOnly: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HistoryFileError);
    expect(String(error)).toMatch(
      /other\.duckdb: not a Hopscope history file \(a DuckDB database without hopscope_meta\)/,
    );
    await expect(HistoryStore.open(foreign)).rejects.toThrow(/without hopscope_meta/);
    const check = await DuckDBInstance.create(foreign, { access_mode: 'READ_ONLY' });
    const cc = await check.connect();
    expect((await cc.runAndReadAll('SELECT x FROM t')).getRowsJS()).toEqual([[42]]);
    expect((await cc.runAndReadAll(`SELECT count(*)::INTEGER FROM duckdb_tables()`)).getRowsJS()).toEqual([[1]]);
    cc.closeSync();
    check.closeSync();

    await expect(HistoryStore.open(join(dir, 'missing.duckdb'), { readOnly: true })).rejects.toThrow(/no such file/);
    const empty = join(dir, 'empty.duckdb');
    writeFileSync(empty, '');
    await expect(HistoryStore.open(empty, { readOnly: true })).rejects.toThrow(
      /empty file, not a Hopscope history file/,
    );
  });

  it('says a damaged history file is damaged, and does not repair it by writing', async () => {
    const path = newPath();
    const store = await HistoryStore.open(path);
    beginSession(store, 'd');
    await store.close();
    const bytes = readFileSync(path);
    // Keep DuckDB's header, scribble over the database headers and blocks after it.
    const damaged = Buffer.concat([bytes.subarray(0, 4096), Buffer.alloc(bytes.length - 4096, 0x5a)]);
    writeFileSync(path, damaged);
    await expect(HistoryStore.open(path, { readOnly: true })).rejects.toThrow(
      /cannot be read as a history file \(.+\)/,
    );
    expect(readFileSync(path).equals(damaged)).toBe(true);
  });

  it('refuses a history written by a newer format version', async () => {
    const path = newPath();
    await (await HistoryStore.open(path)).close();
    const instance = await DuckDBInstance.create(path);
    const c = await instance.connect();
    await c.run(`UPDATE hopscope_meta SET value = '99' WHERE key = 'version'`);
    c.closeSync();
    instance.closeSync();
    await expect(HistoryStore.open(path, { readOnly: true })).rejects.toThrow(/version 99 is newer/);
  });

  it('will not write through a read-only store', async () => {
    const path = newPath();
    await (await HistoryStore.open(path)).close();
    const store = await HistoryStore.open(path, { readOnly: true });
    expect(() => beginSession(store, 'x')).toThrow(/read-only/);
    await store.close();
  });
});

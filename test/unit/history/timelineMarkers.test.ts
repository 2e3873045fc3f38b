/**
 * Timeline markers against a real DuckDB history file: path changes are the
 * first time each (TTL, responder) answered after the TTL's first responder,
 * computed in SQL; restarts, errors and segment changes come from what was
 * recorded; the answer is windowed and capped with a "more" flag.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HistoryStore, type SampleRow } from '../../../src/main/history';
import type { TimelineMarkerInfo } from '@shared/storedSessions';

const dir = mkdtempSync(join(tmpdir(), 'hopscope-markers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newPath = () => join(dir, `m${files++}.duckdb`);

const T0 = Date.UTC(2026, 10, 1, 12);
const ADDRESSES = ['198.51.100.1', '198.51.100.2', '198.51.100.3', '2001:db8::7'];

function begin(store: HistoryStore): number {
  return store.beginSession({
    uid: 'live-1',
    startedAt: T0,
    target: 'target.test',
    options: { target: 'target.test' },
    mtrPacketVersion: '0.95',
  });
}

function sample(session: number, ttl: number, round: number, address: string | null): SampleRow {
  return {
    session,
    segment: 0,
    ttl,
    round,
    // Rounds 20 s apart, so a session spans many minutes of the roll-up.
    at: T0 + round * 20_000 + ttl,
    result: address === null ? 'no-reply' : 'ttl-expired',
    address,
    rttMs: address === null ? null : 1 + ttl,
    mpls: null,
  };
}

/** What the markers must say about path changes: computed in plain code over the samples. */
function expectedPathChanges(rows: SampleRow[]): TimelineMarkerInfo[] {
  const first = new Map<string, number>();
  for (const r of rows) {
    if (r.address === null) continue;
    const key = `${r.ttl} ${r.address}`;
    first.set(key, Math.min(first.get(key) ?? Infinity, r.at));
  }
  const firstAtTtl = new Map<number, number>();
  for (const [key, at] of first) {
    const ttl = Number(key.split(' ')[0]);
    firstAtTtl.set(ttl, Math.min(firstAtTtl.get(ttl) ?? Infinity, at));
  }
  return [...first]
    .map(([key, at]) => ({ ttl: Number(key.split(' ')[0]), address: key.split(' ')[1]!, at }))
    .filter((p) => p.at > firstAtTtl.get(p.ttl)!)
    .map((p) => ({ at: p.at, kind: 'path-change' as const, ttl: p.ttl, detail: p.address }))
    .sort((a, b) => a.at - b.at || a.ttl - b.ttl);
}

describe('timeline markers', () => {
  it('finds every path change: the first sample of each new responder at a TTL, and nothing else', async () => {
    const roundArb = fc.array(fc.option(fc.constantFrom(...ADDRESSES), { nil: null }), {
      minLength: 3,
      maxLength: 3,
    });
    await fc.assert(
      fc.asyncProperty(fc.array(roundArb, { minLength: 1, maxLength: 60 }), async (rounds) => {
        const store = await HistoryStore.open(newPath());
        try {
          const session = begin(store);
          const rows = rounds.flatMap((perTtl, round) => perTtl.map((a, i) => sample(session, i + 1, round, a)));
          for (const row of rows) store.addSample(row);
          await store.flush();
          const { markers, more } = await store.timelineMarkers(session, T0, T0 + 3600_000, 500);
          expect(more).toBe(false);
          expect(markers).toEqual(expectedPathChanges(rows));
        } finally {
          await store.close();
        }
      }),
      { numRuns: 25 },
    );
  });

  it('reads restarts, errors and segment changes, windowed [from, to)', async () => {
    const store = await HistoryStore.open(newPath());
    try {
      const session = begin(store);
      const at = (s: number) => T0 + s * 1000;
      store.beginSegment({ session, segment: 0, startedAt: at(0), firstRound: 0, reason: 'start', options: {} });
      store.beginSegment({ session, segment: 1, startedAt: at(30), firstRound: 30, reason: 'restart', options: {} });
      store.addEvent({ session, at: at(10), kind: 'helper-restarted', ttl: null, detail: '{"round":10}' });
      store.addEvent({ session, at: at(20), kind: 'error', ttl: null, detail: '{"title":"mtr-packet failed"}' });
      // Kinds that are not marks: the state and the options change already drawn as a segment.
      store.addEvent({ session, at: at(25), kind: 'state', ttl: null, detail: 'paused' });
      store.addEvent({ session, at: at(30), kind: 'restart', ttl: null, detail: '{"round":30}' });
      store.addEvent({ session, at: at(40), kind: 'helper-stalled', ttl: null, detail: null });
      await store.flush();
      const all = await store.timelineMarkers(session, at(0), at(60), 500);
      expect(all).toEqual({
        more: false,
        markers: [
          { at: at(10), kind: 'restart', ttl: null, detail: 'helper-restarted' },
          { at: at(20), kind: 'error', ttl: null, detail: 'mtr-packet failed' },
          { at: at(30), kind: 'segment', ttl: null, detail: 'restart' },
          { at: at(40), kind: 'restart', ttl: null, detail: 'helper-stalled' },
        ],
      });
      // The window includes `from` and excludes `to`.
      const window = await store.timelineMarkers(session, at(20), at(40), 500);
      expect(window.markers.map((m) => m.at)).toEqual([at(20), at(30)]);
      // Capped: the oldest ones, and a flag saying there are more.
      const capped = await store.timelineMarkers(session, at(0), at(60), 2);
      expect(capped).toEqual({ more: true, markers: all.markers.slice(0, 2) });
    } finally {
      await store.close();
    }
  });

  it('keeps sessions apart', async () => {
    const store = await HistoryStore.open(newPath());
    try {
      const a = begin(store);
      const b = begin(store);
      for (const [round, address] of ADDRESSES.entries()) store.addSample(sample(a, 1, round, address));
      store.addSample(sample(b, 1, 0, ADDRESSES[3]!));
      await store.flush();
      expect((await store.timelineMarkers(a, T0, T0 + 3600_000, 500)).markers).toHaveLength(3);
      expect((await store.timelineMarkers(b, T0, T0 + 3600_000, 500)).markers).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

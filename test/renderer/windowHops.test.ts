/** Window statistics as table and graph rows; large sessions opened as a window that fits; focused documents. */
import { describe, expect, it } from 'vitest';
import type { WindowHopStats, WindowStatsInfo } from '@shared/storedSessions';
import { traceDocumentSchema } from '@shared/traceFile';
import { parseTraceFile } from '@shared/formats/importTrace';
import { bucketSamples, windowHops } from '../../src/renderer/src/focus/windowHops';
import { fittingWindow, newerHalf } from '@shared/openedWindow';
import { spanText } from '../../src/renderer/src/focus/openWindow';
import { focusedExport, windowReportDocument } from '../../src/renderer/src/focus/focusReport';
import { sortHops } from '../../src/renderer/src/table/sortHops';
import {
  COLUMNS_STORAGE_KEY,
  readColumnPreference,
  writeColumnPreference,
} from '../../src/renderer/src/table/columnPreference';
import { hop, host, sample, traceDocument } from '../fixtures/traceBuilders';

const figures = { lastMs: 5, avgMs: 6, bestMs: 4, worstMs: 9, stdevMs: 1, p50Ms: 5.5, p95Ms: 8.5, p99Ms: 9 };

function windowHop(ttl: number, addresses: string[], sent = 100): WindowHopStats {
  return {
    ttl,
    sent,
    received: addresses.length * 40,
    lossPct: 20,
    ...figures,
    hosts: addresses.map((address, i) => ({ address, received: 40, jitterMs: 0.3, ...figures, p50Ms: 5 + i })),
  };
}

const stats: WindowStatsInfo = {
  hops: [windowHop(2, ['10.0.0.2', '10.0.1.2']), windowHop(1, ['10.0.0.1'])],
  rounds: 100,
  firstAt: 1_700_000_000_000,
  lastAt: 1_700_000_099_000,
};

describe('windowHops', () => {
  const liveHop = hop(
    2,
    [host('10.0.1.2', { hostname: 'b.example', mpls: [{ label: 5, trafficClass: 0, bottomOfStack: true, ttl: 1 }] })],
    {
      onPath: false,
    },
  );
  const facts = { hops: { 2: liveHop }, hostnames: { '10.0.0.1': 'a.example' }, owners: {} };

  it("counts the window's probes and keeps the tab's names, MPLS stacks and path flags", () => {
    const hops = windowHops(stats, facts);
    expect(hops.map((h) => [h.ttl, h.sent, h.onPath])).toEqual([
      [1, 100, undefined],
      [2, 100, false],
    ]);
    expect(hops[0]?.hosts[0]?.hostname).toBe('a.example');
    expect(hops[1]?.hosts.map((h) => [h.address, h.hostname, h.mpls.length, h.p50Ms])).toEqual([
      ['10.0.0.2', null, 0, 5],
      ['10.0.1.2', 'b.example', 1, 6],
    ]);
  });

  it('gives the table one row per responder with its percentiles to sort by', () => {
    const rows = sortHops(windowHops(stats, facts), { column: 'p50', direction: 'descending' });
    expect(rows.map((r) => r.host?.address)).toEqual(['10.0.1.2', '10.0.0.1', '10.0.0.2']);
  });
});

describe('bucketSamples', () => {
  it('draws a bucket with replies as its average, one whose probes were all lost as a loss, an empty one not at all', () => {
    const bucket = { from: 0, sent: 2, received: 2, lossPct: 0, minMs: 1, avgMs: 2, maxMs: 3 };
    const samples = bucketSamples(
      [
        bucket,
        { ...bucket, from: 10, sent: 0, received: 0, avgMs: null },
        { ...bucket, from: 20, received: 0, avgMs: null },
      ],
      '10.0.0.1',
    );
    expect(samples.map((s) => [s.round, s.rttMs, s.address])).toEqual([
      [0, 2, '10.0.0.1'],
      [2, null, null],
    ]);
  });
});

describe('opening a session too large for a tab', () => {
  const session = { samples: 2_592_000, startedAt: 0, lastAt: 86_400_000 - 1 };

  it('opens nothing special when it fits', () => {
    expect(fittingWindow({ ...session, samples: 200_000 })).toBeNull();
  });

  it('opens its newest window expected to fit', () => {
    const window = fittingWindow(session)!;
    expect(window.to).toBe(86_400_000);
    const expected = (window.to - window.from) * (session.samples / 86_400_000);
    expect(expected).toBeLessThanOrEqual(200_000);
    expect(expected).toBeGreaterThan(100_000);
    expect(spanText(window.to - window.from)).toBe('89 min');
    const half = newerHalf(window);
    expect(half.to).toBe(window.to);
    expect(half.to - half.from).toBe(Math.floor((window.to - window.from) / 2));
  });
});

describe('focused documents', () => {
  const base = traceDocument([{ ...hop(1, [host('10.0.0.1')]), samples: [sample(0, '10.0.0.1', 1)] }], {
    version: 2,
  });

  it('a report of the window carries the window hops, rounds and start, and no percentiles', () => {
    const window = { from: 1_700_000_000_000, to: 1_700_000_100_000 };
    const doc = windowReportDocument(base, windowHops(stats, { hops: {}, hostnames: {} }), stats, window);
    expect(doc.rounds).toBe(100);
    expect(doc.startedAt).toBe(new Date(stats.firstAt!).toISOString());
    expect(doc.hops.map((h) => h.sent)).toEqual([100, 100]);
    expect(Object.keys(doc.hops[0]!.hosts[0]!)).not.toContain('p50Ms');
    expect(traceDocumentSchema.parse(doc).focusWindow).toEqual(window);
  });

  it('an exported window reads back with its focus window; files without one still read', () => {
    const window = { from: 10, to: 20 };
    const parsed = parseTraceFile(JSON.stringify(focusedExport(base, window)));
    expect(parsed.ok && parsed.doc.focusWindow).toEqual(window);
    const v1 = parseTraceFile(JSON.stringify({ ...base, version: 1 }));
    expect(v1.ok && v1.doc.focusWindow).toBeUndefined();
    const backwards = parseTraceFile(JSON.stringify(focusedExport(base, { from: 20, to: 10 })));
    expect(backwards.ok).toBe(false);
  });
});

describe('percentile columns in a saved column choice', () => {
  it('are shown when the choice was saved before they existed, and stay hidden once hidden', () => {
    const storage = new Map<string, string>();
    const fake = {
      getItem: (k: string) => storage.get(k) ?? null,
      setItem: (k: string, v: string) => void storage.set(k, v),
    } as unknown as Storage;
    storage.set(COLUMNS_STORAGE_KEY, JSON.stringify(['ttl', 'host', 'loss', 'sent']));
    expect(readColumnPreference(fake)).toEqual(['ttl', 'host', 'loss', 'sent', 'p50', 'p95', 'p99']);
    writeColumnPreference(['ttl', 'host', 'loss', 'sent', 'p95'], fake);
    expect(readColumnPreference(fake)).toEqual(['ttl', 'host', 'loss', 'sent', 'p95']);
  });
});

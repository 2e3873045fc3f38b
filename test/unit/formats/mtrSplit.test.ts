import { describe, expect, it } from 'vitest';
import { MtrSplitStream } from '@shared/formats/mtrSplit';
import type { HopStatsUpdate, SessionEventBatch } from '@shared/session';
import { hop, host, namedHost, summary } from '../../fixtures/traceBuilders';

let seq = 0;
const hopsBatch = (hops: HopStatsUpdate[], extra: Partial<{ dropped: number[]; target: string }> = {}) =>
  ({
    sessionId: 'cli',
    seq: ++seq,
    events: [
      ...(extra.target ? [{ type: 'state' as const, summary: summary({ targetAddress: extra.target }) }] : []),
      { type: 'hops' as const, hops, samples: [], ...(extra.dropped ? { dropped: extra.dropped } : {}) },
    ],
  }) satisfies SessionEventBatch;

const rtt = (best: number, avg: number, worst: number) => ({ bestMs: best, avgMs: avg, worstMs: worst });

describe('mtr --split export', () => {
  it("prints a hop's line when it changes, mtr's integer figures, ??? only for a line it replaces", () => {
    const split = new MtrSplitStream({ showIps: false });
    const first = [
      hop(1, [namedHost('10.0.0.1', 'r1.example', 1, rtt(0.4, 0.4, 0.4))], { sent: 1 }),
      hop(2, [], { sent: 1 }),
      hop(3, [namedHost('10.0.0.3', null, 1, rtt(12.9, 12.9, 12.9))], { sent: 1 }),
    ];
    expect(split.write(hopsBatch(first, { target: '10.0.0.3' }))).toBe(
      '1 r1.example 0 1 1 0 0 0\n3 10.0.0.3 0 1 1 12 12 12\n',
    );
    // Only hop 3 changed: one reply of two lost is 50000 thousandths of a percent.
    const third = hop(3, [namedHost('10.0.0.3', null, 1, rtt(12.9, 12.9, 12.9))], { sent: 2 });
    expect(split.write(hopsBatch([third]))).toBe('3 10.0.0.3 50000 1 2 12 12 12\n');
    expect(split.write(hopsBatch([third]))).toBe('');
    // A third of three lost: mtr truncates 33333.33.
    expect(split.write(hopsBatch([hop(1, [host('10.0.0.1', { received: 2, ...rtt(1, 2, 3) })], { sent: 3 })]))).toBe(
      '1 10.0.0.1 33333 2 3 1 2 3\n',
    );
  });

  it('takes a line away when the path gets shorter, and adds the address with -b', () => {
    const split = new MtrSplitStream({ showIps: true });
    const path = [1, 2, 3].map((ttl) =>
      hop(ttl, [namedHost(`10.0.0.${ttl}`, `r${ttl}`, 1, rtt(1, 1, 1))], { sent: 1 }),
    );
    expect(split.write(hopsBatch(path, { target: '10.0.0.3' }))).toBe(
      '1 r1 10.0.0.1 0 1 1 1 1 1\n2 r2 10.0.0.2 0 1 1 1 1 1\n3 r3 10.0.0.3 0 1 1 1 1 1\n',
    );
    expect(split.write(hopsBatch([path[1]!], { target: '10.0.0.2', dropped: [3] }))).toBe('-3\n');
  });
});

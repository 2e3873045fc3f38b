import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RttStats } from '../../../src/main/trace/stats';
import {
  bucketIndex,
  combineResponders,
  EXPORTED_RESPONDERS_PER_HOP,
  HopMetricsCollector,
  RTT_BUCKETS_SECONDS,
} from '../../../src/agent/hopMetrics';
import { retryDelayMs } from '../../../src/agent/targetRunner';
import type { HostStats } from '@shared/traceFile';
import type { SessionEventBatch } from '@shared/session';
import { host } from '../../fixtures/traceBuilders';

function hostOf(address: string, rtts: number[]): HostStats {
  const stats = new RttStats();
  for (const rtt of rtts) stats.add(rtt);
  return host(address, {
    received: rtts.length,
    lastMs: stats.last,
    avgMs: stats.mean,
    bestMs: stats.best,
    worstMs: stats.worst,
    stdevMs: stats.stdev,
    jitterMs: stats.jitter,
  });
}

function samplesBatch(ttl: number, replies: [address: string, rttMs: number][]): SessionEventBatch {
  return {
    sessionId: 's',
    seq: 1,
    events: [
      {
        type: 'hops',
        hops: [],
        samples: [
          {
            ttl,
            samples: replies.map(([address, rttMs], round) => ({
              round,
              at: round,
              result: 'ttl-expired',
              address,
              rttMs,
            })),
          },
        ],
      },
    ],
  };
}

describe('combineResponders', () => {
  it('gives the statistics of all replies of the hop taken together', () => {
    const rtt = fc.double({ min: 0, max: 5000, noNaN: true });
    fc.assert(
      fc.property(
        fc.array(fc.array(rtt, { minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 4 }),
        (groups) => {
          const all = new RttStats();
          for (const g of groups) for (const v of g) all.add(v);
          const combined = combineResponders(
            groups.map((g, i) => hostOf(`198.18.0.${i + 1}`, g)),
            null,
          );
          expect(combined.avgMs!).toBeCloseTo(all.mean!, 6);
          expect(combined.bestMs).toBe(all.best);
          expect(combined.worstMs).toBe(all.worst);
          expect(combined.stdevMs!).toBeCloseTo(all.stdev!, 4);
        },
      ),
    );
  });

  it('has no RTT for a hop without replies', () => {
    expect(combineResponders([], null)).toEqual({
      lastMs: null,
      avgMs: null,
      bestMs: null,
      worstMs: null,
      stdevMs: null,
    });
  });
});

describe('HopMetricsCollector', () => {
  it('exports only the most recently seen responders of a hop, dropping the oldest', () => {
    const collector = new HopMetricsCollector();
    const addresses = Array.from({ length: EXPORTED_RESPONDERS_PER_HOP + 2 }, (_, i) => `198.18.4.${i + 1}`);
    collector.add(
      samplesBatch(
        4,
        addresses.map((a) => [a, 1]),
      ),
    );
    collector.add(samplesBatch(4, [[addresses[0]!, 1]])); // the first is seen again: recent once more
    const hosts = addresses.map((a) => hostOf(a, [1]));
    const hop = collector.hop({ ttl: 4, sent: 10, received: 7, lossPct: 30, hosts });
    expect(hop.responders.map((r) => r.address).sort()).toEqual(
      [addresses[0]!, ...addresses.slice(-(EXPORTED_RESPONDERS_PER_HOP - 1))].sort(),
    );
    expect(hop.lossRatio).toBeCloseTo(0.3);
    expect(hop.histogram.count).toBe(addresses.length + 1);
  });

  it('counts a new responder at a TTL that had one as a path change, not the first one', () => {
    const collector = new HopMetricsCollector();
    const change = (ttl: number, address: string): SessionEventBatch => ({
      sessionId: 's',
      seq: 1,
      events: [{ type: 'path-changed', ttl, address }],
    });
    collector.add(change(1, '198.18.1.2'));
    collector.add(change(3, '198.18.3.2'));
    expect(collector.pathChanges).toBe(0);
    collector.add(change(3, '198.18.5.2'));
    expect(collector.pathChanges).toBe(1);
  });

  it('puts an RTT in the first bucket whose bound it does not exceed', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 100, noNaN: true }), (seconds) => {
        const i = bucketIndex(seconds);
        if (i < RTT_BUCKETS_SECONDS.length) expect(seconds).toBeLessThanOrEqual(RTT_BUCKETS_SECONDS[i]!);
        if (i > 0) expect(seconds).toBeGreaterThan(RTT_BUCKETS_SECONDS[i - 1]!);
      }),
    );
  });
});

describe('retryDelayMs', () => {
  it('doubles from the initial wait up to the cap', () => {
    const policy = { initialMs: 2000, maxMs: 60_000 };
    expect([1, 2, 3, 4, 5, 6, 7, 100].map((n) => retryDelayMs(n, policy))).toEqual([
      2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000,
    ]);
  });
});

/**
 * Reusing line starts between scrapes never changes the exposition: after
 * any earlier render, a snapshot renders byte for byte as it does with a cold
 * renderer (targets renamed, hops gone, responders changed, hostile label
 * text), and the renderer keeps only the last render's label sets.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MetricsRenderer } from '../../../src/agent/metricsText';
import { RTT_BUCKETS_SECONDS, type HopMetrics } from '../../../src/agent/hopMetrics';
import type { AgentSnapshot } from '../../../src/agent/agent';
import type { TargetSnapshot } from '../../../src/agent/targetRunner';

const BUILD = { version: '1.2.3', nodeVersion: 'v20.0.0' };
const ms = fc.option(fc.double({ min: 0, max: 5000, noNaN: true }), { nil: null });

const hop = (ttl: number): fc.Arbitrary<HopMetrics> =>
  fc.record({
    ttl: fc.constant(ttl),
    sent: fc.nat(1000),
    received: fc.nat(1000),
    lossRatio: fc.double({ min: 0, max: 1, noNaN: true }),
    rtt: fc.record({ lastMs: ms, avgMs: ms, bestMs: ms, worstMs: ms, stdevMs: ms }),
    histogram: fc.record({
      counts: fc.array(fc.nat(50), {
        minLength: RTT_BUCKETS_SECONDS.length + 1,
        maxLength: RTT_BUCKETS_SECONDS.length + 1,
      }),
      sumSeconds: fc.double({ min: 0, max: 100, noNaN: true }),
      count: fc.nat(1000),
    }),
    responders: fc.array(
      fc.record(
        {
          address: fc.constantFrom('198.18.0.1', '198.18.0.2', 'fd48:6f70::1'),
          received: fc.nat(100),
          asn: fc.constantFrom(64512, 64513),
        },
        { requiredKeys: ['address', 'received'] },
      ),
      { maxLength: 3 },
    ),
  });

const target: fc.Arbitrary<TargetSnapshot> = fc
  .record({
    // Few names, some hostile, so targets recur between renders and escaping is exercised.
    name: fc.constantFrom('a', 'b', 'edge "1"', 'back\\slash', 'new\nline', 'a\n1'),
    ttls: fc.uniqueArray(fc.integer({ min: 1, max: 8 }), { maxLength: 4 }),
    status: fc.constantFrom('resolving' as const, 'up' as const, 'error' as const),
    destinationTtl: fc.option(fc.integer({ min: 1, max: 8 }), { nil: null }),
    rounds: fc.nat(100),
  })
  .chain(({ ttls, ...rest }) =>
    fc.tuple(...ttls.map(hop)).map((hops) => ({
      ...rest,
      target: 'host.test',
      address: '198.18.9.9',
      error: rest.status === 'error' ? { code: 'no-route' as const, title: 'No route', detail: '' } : null,
      retries: 0,
      pathChanges: 0,
      hops: hops.sort((x, y) => x.ttl - y.ttl),
    })),
  );

const snapshot: fc.Arbitrary<AgentSnapshot> = fc
  .uniqueArray(target, { selector: (t) => t.name, maxLength: 4 })
  .map((targets) => ({
    targets,
    process: { residentMemoryBytes: 1, heapUsedBytes: 1, cpuSeconds: 1, startTimeSeconds: 1 },
    probesInFlight: 0,
    probesHeldBack: 0,
    mtrPacketVersion: '0.95',
    mtrPacketRestarts: 0,
    reloads: { succeeded: 0, failed: 0, lastSucceeded: true },
  }));

describe('MetricsRenderer', () => {
  it('renders a snapshot the same after any earlier renders as cold', () => {
    fc.assert(
      fc.property(fc.array(snapshot, { minLength: 1, maxLength: 4 }), (snapshots) => {
        const warm = new MetricsRenderer();
        for (const s of snapshots) expect(warm.render(s, BUILD)).toBe(new MetricsRenderer().render(s, BUILD));
        const last = snapshots.at(-1)!;
        expect(warm.cachedSeriesGroups).toBe(last.targets.length + last.targets.reduce((n, t) => n + t.hops.length, 0));
      }),
      { numRuns: 300 },
    );
  });
});

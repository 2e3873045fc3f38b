import type { Hop, HostStats, TraceDocument } from '@shared/traceFile';

export function host(
  address: string,
  hostname: string | null,
  received: number,
  s: Partial<HostStats> = {},
): HostStats {
  return {
    address,
    hostname,
    received,
    lastMs: null,
    avgMs: null,
    bestMs: null,
    worstMs: null,
    stdevMs: null,
    jitterMs: null,
    mpls: [],
    ...s,
  };
}

const stats = (last: number, avg: number, best: number, worst: number, stdev: number) => ({
  lastMs: last,
  avgMs: avg,
  bestMs: best,
  worstMs: worst,
  stdevMs: stdev,
});

export function silent(ttl: number, sent: number): Hop {
  return { ttl, sent, received: 0, lossPct: 100, hosts: [], samples: [] };
}

export function makeDoc(hops: Hop[], over: Partial<TraceDocument> = {}): TraceDocument {
  return {
    format: 'hopscope.trace',
    version: 1,
    createdAt: '2026-03-01T12:00:00.000+01:00',
    tool: { name: 'hopscope', version: '0.1.0', mtrPacketVersion: '0.95' },
    target: { input: 'example.net', address: '198.51.100.10', ipVersion: 4 },
    options: { protocol: 'icmp', firstTtl: 1, maxTtl: 30, count: 10, intervalSec: 1, timeoutSec: 10, dns: true },
    destinationReached: true,
    rounds: 10,
    hops,
    ...over,
  };
}

/**
 * Hand-made trace: a named first hop, a silent hop, an ECMP hop with two
 * responders (6 + 4 replies), and a destination with 10% loss.
 * ECMP pooled: mean (6*10 + 4*20)/10 = 14; sum of squares 1*5 + 4*3 + 6*16 + 4*36 = 257,
 * stdev sqrt(257/9) = 5.34; best 8.5, worst 23.9; last 21.4 from the newest sample.
 */
export const handMade: TraceDocument = makeDoc([
  {
    ttl: 1,
    sent: 10,
    received: 10,
    lossPct: 0,
    hosts: [host('192.168.1.1', 'router.lan', 10, stats(0.4, 0.45, 0.3, 0.7, 0.12))],
    samples: [],
  },
  silent(2, 10),
  {
    ttl: 3,
    sent: 10,
    received: 10,
    lossPct: 0,
    hosts: [
      host('203.0.113.5', null, 6, stats(9.8, 10, 8.5, 12.1, 1)),
      host('203.0.113.6', 'ae1.core.example.net', 4, {
        ...stats(21.4, 20, 17.2, 23.9, 2),
        mpls: [{ label: 24001, trafficClass: 0, bottomOfStack: true, ttl: 1 }],
      }),
    ],
    samples: [
      { round: 8, at: 1_772_362_808_000, result: 'ttl-expired', address: '203.0.113.5', rttMs: 9.8 },
      { round: 9, at: 1_772_362_809_000, result: 'ttl-expired', address: '203.0.113.6', rttMs: 21.4 },
    ],
  },
  {
    ttl: 4,
    sent: 10,
    received: 9,
    lossPct: 10,
    hosts: [host('198.51.100.10', 'example.net', 9, stats(30.25, 31.5, 29.75, 35, 1.75))],
    samples: [],
  },
]);

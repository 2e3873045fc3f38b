import type { TraceDocument } from '@shared/traceFile';
import { namedHost as host, silent, traceDocument } from '../../fixtures/traceBuilders';

const stats = (last: number, avg: number, best: number, worst: number, stdev: number) => ({
  lastMs: last,
  avgMs: avg,
  bestMs: best,
  worstMs: worst,
  stdevMs: stdev,
});

/**
 * Hand-made trace: a named first hop, a silent hop, an ECMP hop with two
 * responders (6 + 4 replies), and a destination with 10% loss.
 * ECMP pooled: mean (6*10 + 4*20)/10 = 14; sum of squares 1*5 + 4*3 + 6*16 + 4*36 = 257,
 * stdev sqrt(257/9) = 5.34; best 8.5, worst 23.9; last 21.4 from the newest sample.
 */
export const handMade: TraceDocument = traceDocument([
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

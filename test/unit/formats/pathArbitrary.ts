/**
 * fast-check paths for the writers' round-trip tests: per hop either a
 * silent router or one responder with one probe per round (an RTT in whole
 * microseconds, as mtr-packet measures, or lost), and the statistics and
 * samples a trace of those probes holds.
 */
import fc from 'fast-check';
import type { Hop, TraceDocument } from '@shared/traceFile';
import { traceDocument } from '../../fixtures/traceBuilders';

const rtt = fc.integer({ min: 0, max: 400_000 }).map((us) => us / 1000);

/** One hop's RTTs by round (null: lost); undefined for a hop that never answers. */
const hopProbes = (rounds: number) =>
  fc.option(fc.array(fc.option(rtt, { freq: 4 }), { minLength: rounds, maxLength: rounds }), { freq: 5 });

function toHop(ttl: number, address: string, probes: (number | null)[] | null, rounds: number): Hop {
  const at = (round: number) => 1_772_362_800_000 + round * 1000;
  if (probes === null || probes.every((p) => p === null)) {
    const samples = Array.from({ length: rounds }, (_, round) => ({
      round,
      at: at(round),
      result: 'no-reply' as const,
      address: null,
      rttMs: null,
    }));
    return { ttl, sent: rounds, received: 0, lossPct: 100, hosts: [], samples };
  }
  const rtts = probes.filter((p): p is number => p !== null);
  const n = rtts.length;
  const avg = rtts.reduce((a, b) => a + b, 0) / n;
  const stdev = n > 1 ? Math.sqrt(rtts.reduce((a, b) => a + (b - avg) ** 2, 0) / (n - 1)) : 0;
  const steps = rtts.slice(1).map((r, i) => Math.abs(r - rtts[i]!));
  return {
    ttl,
    sent: rounds,
    received: n,
    lossPct: (100 * (rounds - n)) / rounds,
    hosts: [
      {
        address,
        hostname: null,
        received: n,
        lastMs: rtts[n - 1]!,
        avgMs: avg,
        bestMs: Math.min(...rtts),
        worstMs: Math.max(...rtts),
        stdevMs: stdev,
        jitterMs: steps.length > 0 ? steps.reduce((a, b) => a + b, 0) / steps.length : 0,
        mpls: [],
      },
    ],
    samples: probes.map((p, round) => ({
      round,
      at: at(round),
      result: p === null ? ('no-reply' as const) : ('ttl-expired' as const),
      address: p === null ? null : address,
      rttMs: p,
    })),
  };
}

/** A path of 1 to 12 hops, 1 to 6 rounds; the last hop (when it answers) is the destination, reached. */
export const pathDocument: fc.Arbitrary<TraceDocument> = fc
  .integer({ min: 1, max: 6 })
  .chain((rounds) => fc.tuple(fc.constant(rounds), fc.array(hopProbes(rounds), { minLength: 1, maxLength: 12 }), rtt))
  .map(([rounds, probes, lastRtt]) => {
    // The destination answers every round, so the path's end is known, as the writers assume of a finished run.
    const n = probes.length;
    const hops = probes.map((p, i) =>
      toHop(i + 1, `198.18.${i + 1}.2`, i === n - 1 ? Array.from({ length: rounds }, () => lastRtt) : p, rounds),
    );
    const last = hops[n - 1]!;
    last.samples = last.samples.map((s) => ({ ...s, result: 'reply' as const }));
    const target = `198.18.${n}.2`;
    return traceDocument(hops, {
      target: { input: target, address: target, ipVersion: 4 },
      options: { count: rounds, dns: false },
      rounds,
      host: 'vm',
    });
  });

/**
 * What every sparkline of the path shares: one y scale (so a 0.3 ms wobble
 * does not fill a box while a 3 ms spike elsewhere looks flat) and, with TCP
 * probes, the rounds whose RTT is a SYN retransmission rather than latency.
 */
import { useMemo } from 'react';
import type { Protocol } from '@shared/probe';
import type { Sample } from '@shared/traceFile';
import { synRetransmitRounds } from '@shared/pathVerdicts';
import { sparklineWindow } from './sparklineWindow';
import { niceTop } from './Sparkline';

export function useSparklineScale(
  samplesByTtl: ReadonlyMap<number, readonly Sample[]>,
  protocol: Protocol | undefined,
  rounds: number,
  lastRound: number | undefined,
): { retransmitsByTtl: ReadonlyMap<number, ReadonlySet<number>>; sharedMaxMs: number | undefined } {
  const retransmitsByTtl = useMemo(() => {
    const byTtl = new Map<number, ReadonlySet<number>>();
    if (protocol !== 'tcp') return byTtl;
    for (const [ttl, list] of samplesByTtl) {
      const found = synRetransmitRounds({ samples: [...list] }, protocol);
      if (found.length > 0) byTtl.set(ttl, new Set(found));
    }
    return byTtl;
  }, [samplesByTtl, protocol]);

  const sharedMaxMs = useMemo(() => {
    let top: number | undefined;
    for (const [ttl, list] of samplesByTtl) {
      const w = sparklineWindow(list, { rounds, lastRound, retransmitRounds: retransmitsByTtl.get(ttl) });
      if (w.maxRttMs !== undefined && (top === undefined || w.maxRttMs > top)) top = w.maxRttMs;
    }
    return top === undefined ? undefined : niceTop(top);
  }, [samplesByTtl, rounds, lastRound, retransmitsByTtl]);

  return { retransmitsByTtl, sharedMaxMs };
}

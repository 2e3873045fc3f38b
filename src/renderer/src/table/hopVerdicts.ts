/**
 * The verdicts a hop row shows beside its numbers, from the shared rules in
 * @shared/pathVerdicts (the same ones the graph, the reports and the CLI use).
 */
import { lossContinuesDownstream, synRetransmitRounds } from '@shared/pathVerdicts';
import type { Protocol } from '@shared/probe';
import type { HopStatsUpdate } from '@shared/session';
import type { Sample } from '@shared/traceFile';
import { isOnPath } from '../store/selectors';

export interface RowVerdict {
  /** Loss here that later hops do not carry (likely ICMP rate limiting at this router). */
  lossLocal: boolean;
  /** The router here answered ICMP net/host unreachable (!N/!H). */
  unreachable: boolean;
  /** Replies among the kept samples that were TCP SYN retransmissions, not latency. */
  synRetransmits: number;
}

export const NO_VERDICT: RowVerdict = { lossLocal: false, unreachable: false, synRetransmits: 0 };

/** Verdicts per TTL for `hops` (in TTL order); TTLs without any are absent. */
export function rowVerdicts(
  hops: readonly HopStatsUpdate[],
  samples: Readonly<Record<number, readonly Sample[] | undefined>> | undefined,
  protocol: Protocol | undefined,
): ReadonlyMap<number, RowVerdict> {
  const onPath = hops.filter(isOnPath);
  const verdicts = new Map<number, RowVerdict>();
  onPath.forEach((hop, i) => {
    const lossLocal = lossContinuesDownstream(hop, onPath.slice(i + 1)) === false;
    const unreachable = hop.unreachable === true;
    const hopSamples = samples?.[hop.ttl];
    const synRetransmits =
      protocol === 'tcp' && hopSamples !== undefined
        ? synRetransmitRounds({ samples: [...hopSamples] }, protocol).length
        : 0;
    if (lossLocal || unreachable || synRetransmits > 0)
      verdicts.set(hop.ttl, { lossLocal, unreachable, synRetransmits });
  });
  return verdicts;
}

export function verdictFor(verdicts: ReadonlyMap<number, RowVerdict>, ttl: number): RowVerdict {
  return verdicts.get(ttl) ?? NO_VERDICT;
}

/**
 * The rounds a sparkline draws, one slot per round: exactly the last N
 * rounds of the path, whatever the interval, loss or number of samples per
 * round. Pure, so the window can be tested without a DOM.
 */
import type { Sample } from '@shared/traceFile';

export interface SparklineWindowOptions {
  /** Show only this responder's replies (loss belongs to the TTL and is always shown). Omit for all. */
  address?: string | null;
  /** How many rounds the window holds. */
  rounds: number;
  /** Last round of the window; pass the path's latest round so sparklines line up in time. */
  lastRound?: number;
  /** Rounds whose RTT is a TCP SYN retransmission, not latency (see @shared/pathVerdicts). */
  retransmitRounds?: ReadonlySet<number>;
}

/** Slot i holds round `first + i`; there are always `rounds` slots. */
export interface SparklineWindow {
  first: number;
  /** RTT of the reply in each slot, null when none (or not from `address`). */
  rttMs: (number | null)[];
  /** Whether the TTL lost its probe in each slot. */
  lost: boolean[];
  /** Whether the slot's reply was a SYN retransmission (drawn as a mark, not on the RTT line). */
  retransmit: boolean[];
  /** Highest RTT drawn as latency in the window, if any. */
  maxRttMs: number | undefined;
}

export function sparklineWindow(
  samples: readonly Sample[],
  { address, rounds, lastRound, retransmitRounds }: SparklineWindowOptions,
): SparklineWindow {
  const slots = Math.max(1, Math.floor(rounds));
  const last = lastRound ?? samples[samples.length - 1]?.round ?? slots - 1;
  const first = last - slots + 1;
  const window: SparklineWindow = {
    first,
    rttMs: new Array<number | null>(slots).fill(null),
    lost: new Array<boolean>(slots).fill(false),
    retransmit: new Array<boolean>(slots).fill(false),
    maxRttMs: undefined,
  };
  // Samples are oldest first: walk back from the newest until the window starts.
  for (let i = samples.length - 1; i >= 0; i--) {
    const s = samples[i];
    if (s === undefined) continue;
    // Not `break`: a list out of round order must still never draw outside its slots.
    if (s.round < first) continue;
    const slot = s.round - first;
    if (slot >= slots) continue;
    if (s.rttMs === null) {
      window.lost[slot] = true;
    } else if (address == null || s.address === address) {
      if (retransmitRounds?.has(s.round) === true) {
        window.retransmit[slot] = true;
        continue;
      }
      window.rttMs[slot] = s.rttMs;
      if (window.maxRttMs === undefined || s.rttMs > window.maxRttMs) window.maxRttMs = s.rttMs;
    }
  }
  return window;
}

/**
 * Verdicts about a path that people otherwise work out by hand from an mtr
 * table: loss at a hop that the hops after it do not carry (ICMP rate
 * limiting at that router, the classic mtr false alarm), TCP SYN
 * retransmissions posing as latency, and the end-to-end figures that matter.
 * Pure: the renderer, the report writers and the CLI all use these.
 */
import type { Protocol } from './probe';
import type { Hop, TraceDocument } from './traceFile';
import type { EndToEnd, HopVerdict, PathVerdicts } from './pathVerdictSchema';
import { reportHops, summarizeHop } from './formats/common';

/** The figures the loss verdict needs (a document hop and the renderer's path hop both fit). */
export interface LossFigures {
  sent: number;
  lossPct: number;
  hosts: readonly unknown[];
}

/**
 * Whether `hop`'s loss continues downstream. Later hops that answer are
 * compared with it: when the least lossy of them loses less than half as
 * much, the loss stays at this hop (false). Null when the hop has no loss or
 * no later hop answers, so there is nothing to judge.
 */
export function lossContinuesDownstream(hop: LossFigures, downstream: readonly LossFigures[]): boolean | null {
  if (hop.sent === 0 || hop.lossPct <= 0) return null;
  let lowest: number | null = null;
  for (const h of downstream) {
    if (h.hosts.length === 0 || h.sent === 0) continue;
    if (lowest === null || h.lossPct < lowest) lowest = h.lossPct;
  }
  if (lowest === null) return null;
  return lowest >= hop.lossPct / 2;
}

/**
 * When Linux re-sends an unanswered SYN, in ms after the first: before 6.5
 * each wait doubles (1, 3, 7 s); since 6.5 the first four waits are 1 s each
 * (net.ipv4.tcp_syn_linear_timeouts, default 4: 1, 2, 3, 4 s).
 */
export const SYN_RETRANSMIT_DELAYS_MS = [1000, 2000, 3000, 4000, 7000] as const;
/** An RTT this much below a retransmission delay can still be one (timer rounding). */
export const SYN_RETRANSMIT_EARLY_MS = 5;
/** Timer slack after the delay (plus the hop's own RTT): up to 69 ms was observed on a 6.18 kernel. */
export const SYN_RETRANSMIT_LATE_MS = 100;

/**
 * True when a TCP probe's RTT is the answer to a re-sent SYN rather than a
 * measure of latency: just after one of the retransmission delays plus
 * `baselineMs` (the hop's ordinary RTT, 0 when unknown). Only TCP probes
 * retransmit.
 */
export function isSynRetransmitRtt(rttMs: number, protocol: Protocol | undefined, baselineMs = 0): boolean {
  if (protocol !== 'tcp' || !Number.isFinite(rttMs)) return false;
  return SYN_RETRANSMIT_DELAYS_MS.some(
    (delay) => rttMs >= delay - SYN_RETRANSMIT_EARLY_MS && rttMs <= delay + baselineMs + SYN_RETRANSMIT_LATE_MS,
  );
}

/** Rounds of `hop`'s samples whose RTT is a SYN retransmission. */
export function synRetransmitRounds(hop: Pick<Hop, 'samples'>, protocol: Protocol | undefined): number[] {
  if (protocol !== 'tcp') return [];
  // The hop's ordinary RTT: its fastest answer that cannot itself be a retransmission.
  let baseline = Number.POSITIVE_INFINITY;
  for (const s of hop.samples) {
    if (s.rttMs !== null && s.rttMs < SYN_RETRANSMIT_DELAYS_MS[0] - SYN_RETRANSMIT_EARLY_MS)
      baseline = Math.min(baseline, s.rttMs);
  }
  const base = Number.isFinite(baseline) ? baseline : 0;
  return hop.samples.filter((s) => s.rttMs !== null && isSynRetransmitRtt(s.rttMs, protocol, base)).map((s) => s.round);
}

/** Loss and latency at the destination, or where the path was last heard from when it was not reached. */
export function endToEnd(doc: TraceDocument): EndToEnd {
  const hops = reportHops(doc);
  const target = doc.target.address;
  const last = hops[hops.length - 1];
  const reached =
    doc.destinationReached && last !== undefined && (target === null || last.hosts.some((h) => h.address === target));
  const at = reached ? last : [...hops].reverse().find((h) => h.hosts.length > 0);
  if (at === undefined) {
    return {
      destinationReached: false,
      ttl: null,
      address: null,
      lossPct: null,
      avgMs: null,
      bestMs: null,
      worstMs: null,
    };
  }
  const s = summarizeHop(at);
  return {
    destinationReached: reached,
    ttl: at.ttl,
    address: at.hosts[0]?.address ?? null,
    lossPct: s.sent > 0 ? s.lossPct : null,
    avgMs: s.avgMs,
    bestMs: s.bestMs,
    worstMs: s.worstMs,
  };
}

/** Every verdict for the hops a report lists. */
export function judgePath(doc: TraceDocument): PathVerdicts {
  const hops = reportHops(doc);
  const verdicts: HopVerdict[] = hops.map((hop, i) => ({
    ttl: hop.ttl,
    lossContinuesDownstream: lossContinuesDownstream(hop, hops.slice(i + 1)),
    synRetransmitRounds: synRetransmitRounds(hop, doc.options.protocol),
  }));
  return { hops: verdicts, endToEnd: endToEnd(doc) };
}

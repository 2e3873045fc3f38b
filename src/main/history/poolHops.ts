/**
 * Per-hop window statistics from per-responder aggregates: the SQL groups by
 * (TTL, responder) only and the hop's figures are pooled here, with the same
 * pooling the report writers use, so the database scans every sample once.
 */
import { mplsLabelSchema, type MplsLabel } from '@shared/probe';
import { summarizeHop } from '@shared/formats/common';

export interface RttFigures {
  lastMs: number | null;
  avgMs: number | null;
  bestMs: number | null;
  worstMs: number | null;
  stdevMs: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export interface ResponderWindowStats extends RttFigures {
  address: string;
  received: number;
  /** Mean absolute difference of consecutive RTTs (by round). */
  jitterMs: number | null;
  mpls: MplsLabel[];
  firstRound: number;
}

export interface HopWindowStats extends RttFigures {
  ttl: number;
  /** Probes that say something about the path (local refusals and helper trouble excluded). */
  sent: number;
  received: number;
  lossPct: number;
  /** Responders, most replies first. */
  hosts: ResponderWindowStats[];
}

/** One (TTL, responder) group of the window; `responder` is null for probes nobody answered. */
export interface ResponderGroup {
  ttl: number;
  responder: number | null;
  address: string | null;
  sent: number;
  received: number;
  avgMs: number | null;
  bestMs: number | null;
  worstMs: number | null;
  stdevMs: number | null;
  /** p50, p95, p99 (empty when not computed). */
  quantilesMs: (number | null)[];
  /** Round of the newest sample with an RTT, and of the newest with an MPLS stack. */
  lastRttRound: number | null;
  mplsRound: number | null;
  firstRound: number;
  lastRound: number;
  firstAt: number;
  lastAt: number;
}

export interface LastValues {
  rttMs: number | null;
  mpls: MplsLabel[];
}

export function parseMpls(text: unknown): MplsLabel[] {
  if (typeof text !== 'string') return [];
  try {
    const parsed = mplsLabelSchema.array().safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

const key = (ttl: number, responder: number | null, round: number | null) => `${ttl} ${responder} ${round}`;

function toHost(g: ResponderGroup, last: Map<string, LastValues>, jitter: Map<string, number>): ResponderWindowStats {
  const address = g.address ?? '';
  return {
    address,
    received: g.received,
    lastMs: last.get(key(g.ttl, g.responder, g.lastRttRound))?.rttMs ?? null,
    avgMs: g.avgMs,
    bestMs: g.bestMs,
    worstMs: g.worstMs,
    stdevMs: g.stdevMs,
    p50Ms: g.quantilesMs[0] ?? null,
    p95Ms: g.quantilesMs[1] ?? null,
    p99Ms: g.quantilesMs[2] ?? null,
    jitterMs: jitter.get(`${g.ttl} ${address}`) ?? null,
    mpls: last.get(key(g.ttl, g.responder, g.mplsRound))?.mpls ?? [],
    firstRound: g.firstRound,
  };
}

/**
 * Hops from responder groups. `hopQuantiles` holds p50/p95/p99 for TTLs with
 * several responders (percentiles do not pool); a TTL with one responder
 * takes that responder's.
 */
export function poolHops(
  groups: ResponderGroup[],
  last: Map<string, LastValues>,
  hopQuantiles: Map<number, (number | null)[]>,
  jitter: Map<string, number>,
): HopWindowStats[] {
  const byTtl = new Map<number, ResponderGroup[]>();
  for (const g of groups) byTtl.set(g.ttl, [...(byTtl.get(g.ttl) ?? []), g]);
  const hops: HopWindowStats[] = [];
  for (const [ttl, list] of byTtl) {
    const sent = list.reduce((n, g) => n + g.sent, 0);
    const received = list.reduce((n, g) => n + g.received, 0);
    const answering = list.filter((g) => g.address !== null && g.received > 0);
    const hosts = answering
      .map((g) => toHost(g, last, jitter))
      .sort((a, b) => b.received - a.received || a.firstRound - b.firstRound);
    const lossPct = sent === 0 ? 0 : (100 * Math.max(0, sent - received)) / sent;
    const pooled = summarizeHop({
      ttl,
      sent,
      received,
      lossPct,
      samples: [],
      hosts: hosts.map((h) => ({ ...h, hostname: null })),
    });
    const newest = answering.reduce<ResponderGroup | undefined>(
      (best, g) => ((g.lastRttRound ?? -1) > (best?.lastRttRound ?? -1) ? g : best),
      undefined,
    );
    const quantiles = hosts.length === 1 ? (answering[0]?.quantilesMs ?? []) : (hopQuantiles.get(ttl) ?? []);
    hops.push({
      ttl,
      sent,
      received,
      lossPct,
      hosts,
      lastMs: newest ? (last.get(key(ttl, newest.responder, newest.lastRttRound))?.rttMs ?? null) : null,
      avgMs: pooled.avgMs,
      bestMs: pooled.bestMs,
      worstMs: pooled.worstMs,
      stdevMs: pooled.stdevMs,
      p50Ms: quantiles[0] ?? null,
      p95Ms: quantiles[1] ?? null,
      p99Ms: quantiles[2] ?? null,
    });
  }
  return hops.sort((a, b) => a.ttl - b.ttl);
}

/**
 * Per-hop window statistics from per-responder aggregates: the SQL adds up
 * counts, sums and sums of squares per (TTL, responder), from the minute
 * roll-up and the samples at the window's ragged edges, and the hop's figures
 * are pooled here from those exact sums.
 */
import { z } from 'zod';
import { mplsLabelSchema, type MplsLabel } from '@shared/probe';
import type { WindowRttFigures } from '@shared/storedSessions';

export type RttFigures = WindowRttFigures;

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
  /** Replies with an RTT, and the sum and sum of squares of those RTTs (µs): they add up across minutes. */
  nRtt: number;
  sumUs: number;
  sumSqUs: number;
  bestMs: number | null;
  worstMs: number | null;
  /** RTT and round of the newest reply, and the newest MPLS stack seen. */
  lastRttMs: number | null;
  lastRttRound: number | null;
  mpls: MplsLabel[];
  /** Null when not asked for (or fewer than two replies). */
  jitterMs: number | null;
  /** Exact p50, p95, p99 when computed from the samples; empty otherwise. */
  quantiles: (number | null)[];
  /** RTT histogram [bucket, count] when the window came from the roll-up; empty otherwise. */
  histogram: [bucket: number, n: number][];
  firstRound: number;
  lastRound: number;
  firstAt: number;
  lastAt: number;
}

export function parseMpls(text: unknown): MplsLabel[] {
  if (typeof text !== 'string') return [];
  try {
    const parsed = z.array(mplsLabelSchema).safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** p50, p95, p99 of a whole hop by TTL (they do not pool from its responders'); absent when not computed. */
export type HopQuantiles = Map<number, (number | null)[]>;

/** Sample standard deviation from n, Σx and Σx² (0 for a single reply, as mtr shows it). */
function stdevOf(n: number, sum: number, sumSq: number): number | null {
  if (n === 0) return null;
  if (n === 1) return 0;
  return Math.sqrt(Math.max(0, (sumSq - (sum * sum) / n) / (n - 1)));
}

function toHost(g: ResponderGroup): ResponderWindowStats {
  const q = g.quantiles;
  return {
    address: g.address ?? '',
    received: g.received,
    lastMs: g.lastRttMs,
    avgMs: g.nRtt > 0 ? g.sumUs / g.nRtt / 1000 : null,
    bestMs: g.bestMs,
    worstMs: g.worstMs,
    stdevMs: g.nRtt > 0 ? (stdevOf(g.nRtt, g.sumUs, g.sumSqUs) ?? 0) / 1000 : null,
    p50Ms: q[0] ?? null,
    p95Ms: q[1] ?? null,
    p99Ms: q[2] ?? null,
    jitterMs: g.jitterMs,
    mpls: g.mpls,
    firstRound: g.firstRound,
  };
}

/** Hops from responder groups: counts and moments add up; percentiles come computed per hop. */
export function poolHops(groups: ResponderGroup[], quantiles: HopQuantiles): HopWindowStats[] {
  const byTtl = new Map<number, ResponderGroup[]>();
  for (const g of groups) byTtl.set(g.ttl, [...(byTtl.get(g.ttl) ?? []), g]);
  const hops: HopWindowStats[] = [];
  for (const [ttl, list] of byTtl) {
    const sent = list.reduce((n, g) => n + g.sent, 0);
    const received = list.reduce((n, g) => n + g.received, 0);
    const answering = list.filter((g) => g.address !== null && g.received > 0);
    const hosts = answering.map(toHost).sort((a, b) => b.received - a.received || a.firstRound - b.firstRound);
    const lossPct = sent === 0 ? 0 : (100 * Math.max(0, sent - received)) / sent;
    const n = answering.reduce((k, g) => k + g.nRtt, 0);
    const sum = answering.reduce((k, g) => k + g.sumUs, 0);
    const sumSq = answering.reduce((k, g) => k + g.sumSqUs, 0);
    const best = answering.map((g) => g.bestMs).filter((v): v is number => v !== null);
    const worst = answering.map((g) => g.worstMs).filter((v): v is number => v !== null);
    const newest = answering.reduce<ResponderGroup | undefined>(
      (best, g) => ((g.lastRttRound ?? -1) > (best?.lastRttRound ?? -1) ? g : best),
      undefined,
    );
    const q = quantiles.get(ttl) ?? [];
    hops.push({
      ttl,
      sent,
      received,
      lossPct,
      hosts,
      lastMs: newest?.lastRttMs ?? null,
      avgMs: n > 0 ? sum / n / 1000 : null,
      bestMs: best.length > 0 ? Math.min(...best) : null,
      worstMs: worst.length > 0 ? Math.max(...worst) : null,
      stdevMs: n > 0 ? (stdevOf(n, sum, sumSq) ?? 0) / 1000 : null,
      p50Ms: q[0] ?? null,
      p95Ms: q[1] ?? null,
      p99Ms: q[2] ?? null,
    });
  }
  return hops.sort((a, b) => a.ttl - b.ttl);
}

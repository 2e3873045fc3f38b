/**
 * A window's statistics from the history store as what the table and the
 * path graph draw: hops in the live model's shape, with names, owners and
 * MPLS stacks taken from the tab (the store keeps numbers, the tab the
 * facts), plus each responder's p50/p95/p99. Pure.
 */
import type { ResponderEnrichment } from '@shared/enrichment';
import type { HopStatsUpdate } from '@shared/session';
import {
  windowHostStats,
  type TimelineBucketInfo,
  type WindowHopStats,
  type WindowStatsInfo,
} from '@shared/storedSessions';
import type { HostStats, Sample } from '@shared/traceFile';

export interface HostPercentiles {
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export type FocusHostStats = HostStats & HostPercentiles;
export type FocusHop = Omit<HopStatsUpdate, 'hosts'> & { hosts: FocusHostStats[] };

/** What the tab knows about responders, beyond the numbers. */
export interface TabFacts {
  hops: Readonly<Record<number, HopStatsUpdate>>;
  hostnames: Readonly<Record<string, string | null>>;
  owners?: Readonly<Record<string, ResponderEnrichment>>;
}

function hostsOf(hop: WindowHopStats, facts: TabFacts): FocusHostStats[] {
  const known = facts.hops[hop.ttl]?.hosts;
  return hop.hosts.map((h) => {
    const live = known?.find((k) => k.address === h.address);
    const owner = live?.owner ?? facts.owners?.[h.address];
    return {
      ...windowHostStats(h, {
        hostname: live?.hostname ?? facts.hostnames[h.address] ?? null,
        mpls: live?.mpls ?? [],
        owner,
      }),
      p50Ms: h.p50Ms,
      p95Ms: h.p95Ms,
      p99Ms: h.p99Ms,
    };
  });
}

/**
 * The window's hops in TTL order. Whether a TTL is on the path (and where
 * it ended unreachable) is the engine's word about the path now, so it comes
 * from the tab; a TTL the window never probed is not shown.
 */
export function windowHops(stats: WindowStatsInfo, facts: TabFacts): FocusHop[] {
  return [...stats.hops]
    .sort((a, b) => a.ttl - b.ttl)
    .map((hop) => {
      const live = facts.hops[hop.ttl];
      return {
        ttl: hop.ttl,
        sent: hop.sent,
        received: hop.received,
        lossPct: hop.lossPct,
        hosts: hostsOf(hop, facts),
        ...(live?.onPath === undefined ? {} : { onPath: live.onPath }),
        ...(live?.unreachable === undefined ? {} : { unreachable: live.unreachable }),
      };
    });
}

/**
 * A hop's timeline buckets as sparkline samples, one per bucket (its
 * "round" is the bucket's index): the average RTT of a bucket with a reply,
 * a loss mark for one whose probes all went unanswered, nothing for an
 * empty one. Replies are drawn as the hop's main responder's.
 */
export function bucketSamples(buckets: readonly TimelineBucketInfo[], address: string | null): Sample[] {
  const samples: Sample[] = [];
  buckets.forEach((bucket, round) => {
    if (bucket.sent === 0) return;
    const replied = bucket.received > 0 && bucket.avgMs !== null;
    samples.push({
      round,
      at: bucket.from,
      result: replied ? 'ttl-expired' : 'no-reply',
      address: replied ? address : null,
      rttMs: replied ? bucket.avgMs : null,
    });
  });
  return samples;
}

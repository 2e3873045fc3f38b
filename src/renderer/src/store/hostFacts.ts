/**
 * What a tab learns about a responder apart from its statistics: its
 * reverse DNS name and who owns it (AS, country). Both arrive once per
 * address as their own events, while hop updates from the engine keep coming
 * without them, so the tab remembers them by address and fills them in.
 */
import type { ResponderEnrichment } from '@shared/enrichment';
import type { HopStatsUpdate } from '@shared/session';
import type { HostStats } from '@shared/traceFile';

export interface KnownHostFacts {
  /** Reverse DNS answers (null: looked up, no name). */
  hostnames: Readonly<Record<string, string | null>>;
  /** Owners looked up in the main process (`{}`: nothing known). */
  owners: Readonly<Record<string, ResponderEnrichment>>;
}

/** A fresh hop update with the names and owners the tab already knows; the same object when none apply. */
export function withKnownHostFacts(hop: HopStatsUpdate, known: KnownHostFacts): HopStatsUpdate {
  let hosts: HostStats[] | null = null;
  hop.hosts.forEach((host, i) => {
    const hostname = host.hostname === null ? known.hostnames[host.address] : undefined;
    const owner = host.owner === undefined ? known.owners[host.address] : undefined;
    if (hostname == null && owner === undefined) return;
    hosts ??= [...hop.hosts];
    hosts[i] = { ...host, ...(hostname != null ? { hostname } : {}), ...(owner !== undefined ? { owner } : {}) };
  });
  return hosts === null ? hop : { ...hop, hosts };
}

/** A fact about one address: what to set on its host records, and whether a host already has it. */
export interface HostPatch {
  address: string;
  patch: Partial<HostStats>;
  has: (host: HostStats) => boolean;
}

export const hostnamePatch = (address: string, hostname: string | null): HostPatch => ({
  address,
  patch: { hostname },
  has: (host) => host.hostname === hostname,
});

export const ownerPatch = (address: string, owner: ResponderEnrichment): HostPatch => ({
  address,
  patch: { owner },
  has: (host) => host.owner === owner,
});

/** `hops` with the patch applied to every host of its address; the same object when no host changes. */
export function withHostPatch(
  hops: Readonly<Record<number, HopStatsUpdate>>,
  { address, patch, has }: HostPatch,
): Readonly<Record<number, HopStatsUpdate>> {
  let next: Record<number, HopStatsUpdate> | null = null;
  for (const hop of Object.values(hops)) {
    if (!hop.hosts.some((h) => h.address === address && !has(h))) continue;
    const hosts = hop.hosts.map((h) => (h.address === address ? { ...h, ...patch } : h));
    (next ??= { ...hops })[hop.ttl] = { ...hop, hosts };
  }
  return next ?? hops;
}

/** Static routes per node, r3's unreachable prefix, r1's shortcut switch, and r2's silencing nftables rule. */
import {
  ALL_V4,
  ALL_V6,
  ROUTES,
  SHORTCUT_LINK,
  UNREACHABLE_ROUTER,
  UNREACHABLE_V4,
  UNREACHABLE_V6,
  ifName,
  peerOn,
  type NodeName,
  type TestNetworkOptions,
} from './topology';

/** `ip -batch` route lines for `node`: its static routes (multipath where ROUTES says so), and r3's unreachable prefix. */
export function routeLinesFor(node: NodeName, options: TestNetworkOptions): string[] {
  const lines: string[] = [];
  for (const route of ROUTES[node]) {
    const prefixes =
      route.to === 'all'
        ? [{ v4: ALL_V4, v6: ALL_V6 }]
        : route.to.map((n) => ({ v4: `198.18.${n}.0/24`, v6: `fd48:6f70:0:${n}::/64` }));
    for (const prefix of prefixes) {
      for (const family of ['v4', 'v6'] as const) {
        const hops = route.via.map((n) => `via ${peerOn(node, n)[family]} dev ${ifName(n)}`);
        const nexthops = hops.length === 1 ? hops[0] : hops.map((h) => `nexthop ${h}`).join(' ');
        // The family is implied by the prefix, so the same batch handles v4 and v6.
        lines.push(`route add ${prefix[family]} ${nexthops}`);
      }
    }
  }
  if (options.unreachablePrefix && node === UNREACHABLE_ROUTER) {
    lines.push(`route add unreachable ${UNREACHABLE_V4}`, `route add unreachable ${UNREACHABLE_V6}`);
  }
  return lines;
}

/** `ip route replace` lines for r1's route to the target's subnet: over the spare link, or the usual one. */
export function shortcutRoutes(on: boolean): string {
  const via = on ? SHORTCUT_LINK : 2;
  const peer = peerOn('r1', via);
  return (
    [
      `route replace 198.18.8.0/24 via ${peer.v4} dev ${ifName(via)}`,
      `route replace fd48:6f70:0:8::/64 via ${peer.v6} dev ${ifName(via)}`,
    ].join('\n') + '\n'
  );
}

/** r2 keeps forwarding but never reports an expired TTL, like a router that filters ICMP. */
export const SILENT_RULES = `table inet hopscope_silent {
  chain out {
    type filter hook output priority 0; policy accept;
    icmp type time-exceeded drop
    icmpv6 type time-exceeded drop
  }
}
`;

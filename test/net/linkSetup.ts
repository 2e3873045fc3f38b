/**
 * Namespaces, veth links, addresses and kernel settings. Each veth end is made
 * directly inside its namespace; sysctls go in before any link is up (for DAD).
 */
import { ROUTERS, addrOn, ifName, type Link, type NodeName, type TestNetworkOptions } from './topology';
import { routeLinesFor } from './routesAndFirewall';

/**
 * One `ip -batch` creating every namespace and veth pair. The two ends get
 * different ifindexes on purpose: the kernel treats a carrier change on a veth
 * whose peer has the same ifindex as its own as non-urgent and batches it for up
 * to a second, which delays the link-local address and so IPv6 neighbour
 * discovery by that much.
 */
export function namespacesAndLinksBatch(
  namespaces: Readonly<Record<NodeName, string>>,
  links: readonly Link[],
): string {
  const lines = [
    ...Object.values(namespaces).map((ns) => `netns add ${ns}`),
    ...links.map(
      (l) =>
        `link add name ${ifName(l.n)} index ${10 + l.n} netns ${namespaces[l.left]} ` +
        `type veth peer name ${ifName(l.n)} index ${50 + l.n} netns ${namespaces[l.right]}`,
    ),
  ];
  return lines.join('\n') + '\n';
}

export function sysctlsFor(node: NodeName, icmpRateLimit: boolean, links: readonly Link[]): string[] {
  const own = links.filter((l) => l.left === node || l.right === node).map((l) => ifName(l.n));
  // Duplicate address detection would hold new IPv6 addresses (link-locals too)
  // tentative for about a second, and a router with a tentative link-local cannot
  // even send neighbour solicitations. Off everywhere, before any link is up.
  const settings = [
    'net.ipv6.conf.all.accept_dad=0',
    'net.ipv6.conf.default.accept_dad=0',
    ...own.map((i) => `net.ipv6.conf.${i}.accept_dad=0`),
    // No router advertisements or autoconfiguration: the addresses are static.
    'net.ipv6.conf.default.accept_ra=0',
    ...own.map((i) => `net.ipv6.conf.${i}.accept_ra=0`),
  ];
  if (ROUTERS.includes(node)) {
    settings.push(
      'net.ipv4.ip_forward=1',
      'net.ipv6.conf.all.forwarding=1',
      // r5 returns traffic over a different branch than it may arrive on.
      'net.ipv4.conf.all.rp_filter=0',
      'net.ipv4.conf.default.rp_filter=0',
      ...own.map((i) => `net.ipv4.conf.${i}.rp_filter=0`),
    );
  }
  if (node === 'r3') {
    // Hash on the L4 five-tuple, so UDP/TCP probes with different ports spread over r4a and r4b.
    settings.push('net.ipv4.fib_multipath_hash_policy=1', 'net.ipv6.fib_multipath_hash_policy=1');
  }
  if (!icmpRateLimit && node !== 'client') {
    // The kernel throttles ICMP errors per destination (1/s for IPv4 time-exceeded
    // and unreachable) and per namespace (1000/s); tests probe much faster than
    // that and must be deterministic. icmpRateLimit: true keeps the defaults.
    settings.push(
      'net.ipv4.icmp_ratelimit=0',
      'net.ipv6.icmp.ratelimit=0',
      'net.ipv4.icmp_msgs_per_sec=1000000',
      'net.ipv4.icmp_msgs_burst=1000000',
    );
  }
  return settings;
}

/** `ip -n NS -batch` for one node: loopback, its addresses, links up, then its routes. */
export function ipBatchFor(node: NodeName, options: TestNetworkOptions, links: readonly Link[]): string {
  const lines = ['link set lo up'];
  for (const link of links) {
    if (link.left !== node && link.right !== node) continue;
    const a = addrOn(node, link.n);
    const dev = ifName(link.n);
    lines.push(`address add ${a.v4}/24 dev ${dev}`, `address add ${a.v6}/64 dev ${dev} nodad`, `link set ${dev} up`);
  }
  lines.push(...routeLinesFor(node, options));
  return lines.join('\n') + '\n';
}

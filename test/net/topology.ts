/**
 * The test network's shape as data: nodes, links and their addresses, static
 * routes, and which node answers at each TTL. Nothing here touches the system.
 *
 *   client ── r1 ── r2 ── r3 ─┬─ r4a ─┬─ r5 ── target
 *                    (silent) └─ r4b ─┘
 *
 * Link N (1..8) uses 198.18.N.0/24 and fd48:6f70:0:N::/64; its left end (towards
 * the client) is .1 / ::1 and its right end .2 / ::2. Link 9 (r1–r3) exists only
 * with the `shortcut` option.
 */
export interface HopSpec {
  ttl: number;
  /**
   * Addresses that answer at this TTL (two at the ECMP hop, same order as v6 and
   * names). For the silent hop these are the addresses it would answer from; it never does.
   */
  v4: string[];
  v6: string[];
  names: string[];
  silent: boolean;
}

export type NodeName = 'client' | 'r1' | 'r2' | 'r3' | 'r4a' | 'r4b' | 'r5' | 'target';

export interface TestNetworkOptions {
  /** Keep the kernel's ICMP rate limits (off by default so tests are deterministic). */
  icmpRateLimit?: boolean;
  /** Build the spare r1–r3 link that `shortcut.use(true)` switches the path onto. */
  shortcut?: boolean;
  /** Give r3 an `unreachable` route to a prefix of its own (see `unreachable`). */
  unreachablePrefix?: boolean;
}

export const TEST_DOMAIN = 'hopscope.test';

export const NODES: readonly NodeName[] = ['client', 'r1', 'r2', 'r3', 'r4a', 'r4b', 'r5', 'target'];
export const ROUTERS: readonly NodeName[] = ['r1', 'r2', 'r3', 'r4a', 'r4b', 'r5'];

/** Link N joins `left` (closer to the client, host part 1) and `right` (host part 2). */
export interface Link {
  n: number;
  left: NodeName;
  right: NodeName;
  /** Built only with this option. */
  onlyWith?: 'shortcut';
}
export const LINKS: readonly Link[] = [
  { n: 1, left: 'client', right: 'r1' },
  { n: 2, left: 'r1', right: 'r2' },
  { n: 3, left: 'r2', right: 'r3' },
  { n: 4, left: 'r3', right: 'r4a' },
  { n: 5, left: 'r3', right: 'r4b' },
  { n: 6, left: 'r4a', right: 'r5' },
  { n: 7, left: 'r4b', right: 'r5' },
  { n: 8, left: 'r5', right: 'target' },
  { n: 9, left: 'r1', right: 'r3', onlyWith: 'shortcut' },
];
export const SHORTCUT_LINK = 9;
export const UNREACHABLE_V4 = '198.18.100.0/24';
export const UNREACHABLE_V6 = 'fd48:6f70:0:100::/64';
export const UNREACHABLE_ROUTER: NodeName = 'r3';
export const UNREACHABLE_TTL = 3;

/** The links a network with these options has. */
export function linksOf(options: TestNetworkOptions): Link[] {
  return LINKS.filter((l) => l.onlyWith === undefined || options[l.onlyWith]);
}

// Addresses are written the way inet_ntop prints them, because tests compare them
// with mtr-packet's output as strings.
const v4Of = (n: number, host: 1 | 2): string => `198.18.${n}.${host}`;
const v6Of = (n: number, host: 1 | 2): string => `fd48:6f70:0:${n}::${host}`;
export const ALL_V4 = '198.18.0.0/16';
export const ALL_V6 = 'fd48:6f70::/48';
/** Interface names live inside namespaces, so the same short name is reused at both ends of a link. */
export const ifName = (n: number): string => `l${n}`;

function linkByNumber(n: number): Link {
  const link = LINKS.find((l) => l.n === n);
  if (!link) throw new Error(`no link ${n}`);
  return link;
}

/** The address `node` has on link n. */
export function addrOn(node: NodeName, n: number): { v4: string; v6: string } {
  const link = linkByNumber(n);
  const host = link.left === node ? 1 : link.right === node ? 2 : undefined;
  if (host === undefined) throw new Error(`${node} is not on link ${n}`);
  return { v4: v4Of(n, host), v6: v6Of(n, host) };
}

/** The other end of link n, seen from `node`: the gateway address for routes over that link. */
export function peerOn(node: NodeName, n: number): { v4: string; v6: string } {
  const link = linkByNumber(n);
  return addrOn(link.left === node ? link.right : link.left, n);
}

/**
 * Static routes. `to` is either 'all' (the whole test prefix, the least specific
 * route) or a list of link numbers whose subnets get their own route. `via` is a
 * list of links whose far ends are the next hops; two entries make a multipath route.
 */
export interface RouteSpec {
  to: 'all' | number[];
  via: number[];
}
export const ROUTES: Record<NodeName, RouteSpec[]> = {
  client: [{ to: 'all', via: [1] }],
  r1: [{ to: 'all', via: [2] }],
  r2: [
    { to: [1], via: [2] },
    { to: 'all', via: [3] },
  ],
  r3: [
    { to: [1, 2], via: [3] },
    { to: [6], via: [4] },
    { to: [7], via: [5] },
    // The ECMP branch point: the target's subnet is reached over r4a and r4b.
    { to: [8], via: [4, 5] },
  ],
  // r4a and r4b each need a way back to the client (through r3) as well as forwards.
  r4a: [
    { to: 'all', via: [4] },
    { to: [8], via: [6] },
  ],
  r4b: [
    { to: 'all', via: [5] },
    { to: [8], via: [7] },
  ],
  // A single return path on purpose: the kernel picks the source of an ICMP error
  // from the route back to the client, so r5 always answers as 198.18.6.2 no matter
  // which branch the probe came through. (rp_filter is off, so the asymmetry is fine.)
  r5: [{ to: 'all', via: [6] }],
  target: [{ to: 'all', via: [8] }],
};

/**
 * Which node answers at each TTL, and the link whose address it answers from.
 * `v6Extra`: Linux sources an ICMPv6 time-exceeded from the link the probe
 * arrived on, so r5 answers IPv6 probes that came through r4b from link 7.
 */
const HOP_LAYOUT: {
  ttl: number;
  responders: { node: NodeName; link: number }[];
  v6Extra?: { node: NodeName; link: number }[];
  silent: boolean;
}[] = [
  { ttl: 1, responders: [{ node: 'r1', link: 1 }], silent: false },
  { ttl: 2, responders: [{ node: 'r2', link: 2 }], silent: true },
  { ttl: 3, responders: [{ node: 'r3', link: 3 }], silent: false },
  {
    ttl: 4,
    responders: [
      { node: 'r4a', link: 4 },
      { node: 'r4b', link: 5 },
    ],
    silent: false,
  },
  { ttl: 5, responders: [{ node: 'r5', link: 6 }], v6Extra: [{ node: 'r5', link: 7 }], silent: false },
  { ttl: 6, responders: [{ node: 'target', link: 8 }], silent: false },
];
export const SILENT_TTL = 2;
export const ECMP_TTL = 4;
export const DESTINATION_TTL = 6;
export const OPEN_TCP_PORT = 8080;
export const CLOSED_TCP_PORT = 8081;

export const hostName = (node: NodeName): string => `${node}.${TEST_DOMAIN}`;

/** Expected responders per TTL from the client, 1..DESTINATION_TTL. */
export function expectedHops(): HopSpec[] {
  return HOP_LAYOUT.map((h) => ({
    ttl: h.ttl,
    v4: h.responders.map((r) => addrOn(r.node, r.link).v4),
    v6: [...h.responders, ...(h.v6Extra ?? [])].map((r) => addrOn(r.node, r.link).v6),
    names: h.responders.map((r) => hostName(r.node)),
    silent: h.silent,
  }));
}

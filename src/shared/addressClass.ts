/**
 * What kind of address a responder has. Engineers read a path by its address
 * classes: where the LAN ends, where CGNAT sits, whether a "hop" is a
 * documentation example. ipaddr.js knows the IANA special ranges; we fold
 * them into the handful of classes worth showing.
 */
import ipaddr from 'ipaddr.js';

export const ADDRESS_CLASSES = [
  'global',
  'private',
  'cgnat',
  'loopback',
  'link-local',
  'multicast',
  'unique-local',
  'documentation',
  'benchmarking',
  'transition',
  'reserved',
  'unspecified',
  'broadcast',
  'invalid',
] as const;
export type AddressClass = (typeof ADDRESS_CLASSES)[number];

export interface AddressClassInfo {
  /** Badge text, at most 10 characters. */
  badge: string;
  description: string;
}

export const ADDRESS_CLASS_INFO: Readonly<Record<AddressClass, AddressClassInfo>> = {
  global: { badge: 'global', description: 'Globally routable unicast address' },
  private: { badge: 'private', description: 'Private network address (RFC 1918)' },
  cgnat: { badge: 'CGNAT', description: 'Carrier-grade NAT shared address space (RFC 6598, 100.64.0.0/10)' },
  loopback: { badge: 'loopback', description: 'Loopback address' },
  'link-local': { badge: 'link-loc', description: 'Link-local address' },
  multicast: { badge: 'mcast', description: 'Multicast address' },
  'unique-local': { badge: 'ULA', description: 'IPv6 unique local address (fc00::/7)' },
  documentation: { badge: 'doc', description: 'Documentation range (TEST-NET, 2001:db8::/32, 3fff::/20)' },
  benchmarking: { badge: 'bench', description: 'Benchmarking range (RFC 2544 / RFC 5180)' },
  transition: { badge: '6to4/NAT64', description: 'IPv6 transition address (NAT64, 6to4, Teredo, SIIT)' },
  reserved: { badge: 'reserved', description: 'IANA reserved address' },
  unspecified: { badge: 'unspec', description: 'Unspecified address' },
  broadcast: { badge: 'bcast', description: 'Limited broadcast address' },
  invalid: { badge: '?', description: 'Not an IP address' },
};

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];
const DOCUMENTATION_V4: readonly Cidr[] = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24'].map((c) =>
  ipaddr.parseCIDR(c),
);
const BENCHMARKING_V4: readonly Cidr[] = [ipaddr.parseCIDR('198.18.0.0/15')];
const DOCUMENTATION_V6: readonly Cidr[] = ['2001:db8::/32', '3fff::/20'].map((c) => ipaddr.parseCIDR(c));

function inAny(addr: ipaddr.IPv4 | ipaddr.IPv6, ranges: readonly Cidr[]): boolean {
  return ranges.some((range) => addr.match(range));
}

function classifyV4(addr: ipaddr.IPv4): AddressClass {
  switch (addr.range()) {
    case 'private':
      return 'private';
    case 'carrierGradeNat':
      return 'cgnat';
    case 'loopback':
      return 'loopback';
    case 'linkLocal':
      return 'link-local';
    case 'multicast':
      return 'multicast';
    case 'unspecified':
      return 'unspecified';
    case 'broadcast':
      return 'broadcast';
    case 'reserved':
      // ipaddr.js lumps TEST-NETs and 198.18/15 into "reserved"; they mean different things on a path.
      if (inAny(addr, DOCUMENTATION_V4)) return 'documentation';
      if (inAny(addr, BENCHMARKING_V4)) return 'benchmarking';
      return 'reserved';
    default:
      // unicast, as112, amt: routed on the public Internet.
      return 'global';
  }
}

function classifyV6(addr: ipaddr.IPv6): AddressClass {
  if (addr.isIPv4MappedAddress()) return classifyV4(addr.toIPv4Address());
  // Named ranges ipaddr.js types omit, so compare as string.
  const range: string = addr.range();
  switch (range) {
    case 'uniqueLocal':
      return 'unique-local';
    case 'linkLocal':
      return 'link-local';
    case 'loopback':
      return 'loopback';
    case 'multicast':
      return 'multicast';
    case 'unspecified':
      return 'unspecified';
    case 'rfc6145':
    case 'rfc6052':
    case '6to4':
    case 'teredo':
      return 'transition';
    case 'benchmarking':
      return 'benchmarking';
    case 'unicast':
    case 'amt':
    case 'as112v6':
      return 'global';
    default:
      return inAny(addr, DOCUMENTATION_V6) ? 'documentation' : 'reserved';
  }
}

function classify(address: string): AddressClass {
  // ipaddr.isValid also accepts "10.1" or "0x7f.1"; responders are never written that way.
  if (ipaddr.IPv4.isValidFourPartDecimal(address)) return classifyV4(ipaddr.IPv4.parse(address));
  if (address.includes(':') && ipaddr.IPv6.isValid(address)) return classifyV6(ipaddr.IPv6.parse(address));
  return 'invalid';
}

// Parsing costs tens of µs and the layout asks for every node on every update; a path has few addresses.
const cache = new Map<string, AddressClass>();
const CACHE_LIMIT = 4096;

/** Classifies an IPv4 or IPv6 literal; anything unparsable is 'invalid'. */
export function addressClass(address: string): AddressClass {
  let cls = cache.get(address);
  if (cls === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cls = classify(address);
    cache.set(address, cls);
  }
  return cls;
}

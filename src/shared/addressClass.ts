import ipaddr from 'ipaddr.js';
import type { AddressClass } from './ipc';

/**
 * Where an address lives, so NAT and firewall boundaries stand out in a
 * path: private (RFC 1918), CGNAT (100.64/10), loopback, link-local,
 * unique-local (fc00::/7), multicast, global, or reserved for anything else.
 */
export function classifyAddress(address: string): AddressClass | null {
  if (!ipaddr.isValid(address)) return null;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  switch (parsed.range()) {
    case 'loopback':
      return 'loopback';
    case 'private':
      return 'private';
    case 'carrierGradeNat':
      return 'cgnat';
    case 'linkLocal':
      return 'link-local';
    case 'uniqueLocal':
      return 'unique-local';
    case 'multicast':
      return 'multicast';
    case 'unicast':
      return 'global';
    default:
      return 'reserved';
  }
}

/**
 * The protocols and IP versions a person chooses between, without the
 * schemas of probe.ts (which re-exports these): the renderer's first screen
 * names them without loading zod or ipaddr.js.
 */
export const PROTOCOLS = ['icmp', 'udp', 'tcp', 'sctp'] as const;
export type Protocol = (typeof PROTOCOLS)[number];
/** How each protocol is written for people (form, status bar, reports). */
export const PROTOCOL_LABELS: Readonly<Record<Protocol, string>> = {
  icmp: 'ICMP',
  udp: 'UDP',
  tcp: 'TCP',
  sctp: 'SCTP',
};

export const IP_VERSIONS = [4, 6] as const;
export type IpVersion = (typeof IP_VERSIONS)[number];

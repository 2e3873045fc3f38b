/**
 * Whether the probes of one round travel a single flow, which decides what a
 * link in the graph may claim. ECMP routers hash each packet's flow (addresses,
 * protocol, ports) to pick a branch, so two replies of one round show a real
 * router-to-router link only when both probes had the same flow. How
 * mtr-packet varies ports (REFERENCE.md, "How the ports vary"):
 * - ICMP: no ports; every probe of a session hashes alike.
 * - UDP with both `port` and `local-port`: the sequence rides in the
 *   checksum, the flow is fixed (Paris-style). Not trusted over IPv6, where
 *   mtr-packet 0.95 cannot keep the flow fixed.
 * - UDP otherwise, and TCP always: a port carries the sequence, so each
 *   probe is its own flow and a round's replies may come from different
 *   branches.
 */
import type { Protocol } from '@shared/probe';

export interface FlowOptions {
  /** Undefined when unknown (an imported report that does not record it). */
  protocol?: Protocol;
  port?: number;
  localPort?: number;
  /** The resolved target, to tell IPv6 apart. */
  targetAddress?: string | null;
}

export function flowFixedPerRound({ protocol, port, localPort, targetAddress }: FlowOptions): boolean {
  if (protocol === 'icmp') return true;
  if (protocol === 'udp') {
    const ipv6 = targetAddress?.includes(':') === true;
    return port !== undefined && localPort !== undefined && !ipv6;
  }
  return false;
}

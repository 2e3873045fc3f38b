/**
 * What this mtr-packet can do, as the form needs it: which choices to
 * disable, and a sentence saying why for the tooltip.
 */
import type { MtrPacketStatus } from '@shared/ipc';
import type { Feature, Protocol } from '@shared/probe';

export interface Availability {
  enabled: boolean;
  /** Why it is disabled. */
  reason?: string;
}

const NAMES: Record<Feature, string> = {
  udp: 'UDP',
  tcp: 'TCP',
  sctp: 'SCTP',
  'ip-4': 'IPv4',
  'ip-6': 'IPv6',
  mark: 'packet marks',
  version: 'version',
};

/** Unknown status (not checked yet, or mtr-packet missing) disables nothing: starting will explain the problem. */
export function featureAvailability(status: MtrPacketStatus | null, feature: Feature): Availability {
  if (status === null || !status.available) return { enabled: true };
  if (status.features[feature] !== false) return { enabled: true };
  const who = `mtr-packet${status.version ? ` ${status.version}` : ''}${status.path ? ` (${status.path})` : ''}`;
  return {
    enabled: false,
    reason: `${NAMES[feature]} is not supported by ${who}: it answered "no" to check-support ${feature}.`,
  };
}

export function protocolAvailability(status: MtrPacketStatus | null, protocol: Protocol): Availability {
  return protocol === 'icmp' ? { enabled: true } : featureAvailability(status, protocol);
}

/** Marks are a Linux socket option (SO_MARK). */
export function markAvailability(status: MtrPacketStatus | null, platform: string): Availability {
  if (platform !== 'unknown' && platform !== 'linux') {
    return { enabled: false, reason: 'Packet marks (SO_MARK) exist only on Linux.' };
  }
  return featureAvailability(status, 'mark');
}

/**
 * What a session's options mean for its probes: the probe options every probe
 * of a target shares (all but the TTL), and the option sets a known
 * mtr-packet cannot serve. Pure, so both are checked without a session.
 */
import type { ProbeOptions } from '@shared/probe';
import type { UserFacingError } from '@shared/session';
import type { TraceOptions } from '@shared/traceOptions';
import type { ResolvedTarget } from './sessionDeps';

/** Everything but the ttl: the same for every probe until the options or the target change. */
export function probeOptionsFor(o: TraceOptions, target: ResolvedTarget): ProbeOptions {
  const options: ProbeOptions = { protocol: o.protocol, ipVersion: target.ipVersion, timeoutSec: o.timeoutSec };
  if (o.port !== undefined) options.port = o.port;
  if (o.localIp !== undefined) options.localIp = o.localIp;
  if (o.localPort !== undefined) options.localPort = o.localPort;
  if (o.size !== undefined) options.size = o.size;
  if (o.bitPattern !== undefined) options.bitPattern = o.bitPattern;
  if (o.tos !== undefined) options.tos = o.tos;
  if (o.mark !== undefined) options.mark = o.mark;
  return options;
}

/**
 * mtr-packet up to 0.95 hides the probe sequence in the UDP checksum for a
 * fixed flow, but lets the kernel overwrite it over IPv6: no reply can be
 * matched. The session says so instead of showing a path of silent hops.
 * Returns the warning (and a key to announce it once by), or null.
 */
export function knownLimitation(
  o: TraceOptions,
  target: ResolvedTarget | null,
  mtrPacketVersion: string | null | undefined,
): { key: string; error: UserFacingError } | null {
  const version = Number.parseFloat(mtrPacketVersion ?? '');
  if (
    target?.ipVersion === 6 &&
    o.protocol === 'udp' &&
    o.port !== undefined &&
    o.localPort !== undefined &&
    Number.isFinite(version) &&
    version <= 0.95
  ) {
    return {
      key: 'udp6-fixed-flow',
      error: {
        code: 'mtr-packet-limitation',
        title: 'Fixed-flow UDP over IPv6 does not work with this mtr-packet',
        detail: `mtr-packet ${mtrPacketVersion} loses the probe id when both port and local port are set over IPv6, so every probe looks lost.`,
        fix: 'Leave the local port empty (the path may then vary across ECMP branches), use TCP, or upgrade mtr.',
      },
    };
  }
  return null;
}

/**
 * Probe-level vocabulary shared by the mtr-packet client, the trace engine,
 * the IPC contract and the CLI. Field schemas here are the single place where
 * ranges are defined; everything that accepts user input composes them.
 */
import { z } from './zodMini';
import ipaddr from 'ipaddr.js';
import { PROTOCOLS, type IpVersion } from './protocols';

export { IP_VERSIONS, PROTOCOL_LABELS, PROTOCOLS, type IpVersion, type Protocol } from './protocols';

/** Features mtr-packet answers `check-support` for. */
export const FEATURES = ['udp', 'tcp', 'sctp', 'ip-4', 'ip-6', 'mark', 'version'] as const;
export type Feature = (typeof FEATURES)[number];

/** Every reply mtr-packet documents for `send-probe`; anything else is kept verbatim as `unknown`. */
export const PROBE_RESULT_KINDS = [
  'reply',
  'ttl-expired',
  'no-reply',
  'no-route',
  'network-down',
  'probes-exhausted',
  'permission-denied',
  'invalid-argument',
  'unknown',
  /** Hopscope's own: the probe was in flight when mtr-packet died and was restarted. */
  'helper-restarted',
  /** Hopscope's own: the probe timed out while mtr-packet answered nothing at all (frozen, not the network). */
  'helper-stalled',
] as const;
export type ProbeResultKind = (typeof PROBE_RESULT_KINDS)[number];

/**
 * Results that say nothing about the path: a local refusal or a helper
 * problem. Statistics count them neither as sent nor as lost, so one session
 * exhausting probe slots or a frozen helper never reads as packet loss.
 */
export const LOCAL_RESULT_KINDS: ReadonlySet<ProbeResultKind> = new Set<ProbeResultKind>([
  'probes-exhausted',
  'permission-denied',
  'invalid-argument',
  'network-down',
  'unknown',
  'helper-restarted',
  'helper-stalled',
]);

/**
 * A whole number in [min, max] with zod's own messages. Written as one
 * `.check()` rather than `.int().min().max()`, which builds the same schema
 * through three throwaway copies: every trace builds these at start-up.
 */
const wholeNumberIn = (min: number, max: number) => z.number().check(z.int(), z.gte(min), z.lte(max));

export const mplsLabelSchema = z.object({
  label: wholeNumberIn(0, 0xfffff),
  trafficClass: wholeNumberIn(0, 7),
  bottomOfStack: z.boolean(),
  ttl: wholeNumberIn(0, 255),
});
export type MplsLabel = z.infer<typeof mplsLabelSchema>;

export interface ProbeResult {
  /** True when a host answered (`reply` or `ttl-expired`). */
  success: boolean;
  result: ProbeResultKind;
  /** Round-trip time in milliseconds (mtr-packet reports integer microseconds). */
  timeMs: number | null;
  /** Address of the host that answered, when any. */
  responder: string | null;
  mpls: MplsLabel[];
  /** `invalid-argument reason …` and similar detail. */
  reason?: string;
  /** The reply line as received, for `unknown` results. */
  raw?: string;
}

/** True when `value` is an IPv4 or IPv6 literal in canonical-enough form (no zone ids, no octal tricks). */
export function isIpLiteral(value: string, version?: IpVersion): boolean {
  if (version !== 6 && ipaddr.IPv4.isValidFourPartDecimal(value)) return true;
  if (version !== 4 && !value.includes('%') && ipaddr.IPv6.isValid(value) && value.includes(':')) return true;
  return false;
}

export function ipVersionOf(address: string): IpVersion | null {
  if (isIpLiteral(address, 4)) return 4;
  if (isIpLiteral(address, 6)) return 6;
  return null;
}

/**
 * The IP version a trace resolves its target in: the one asked for, else the source address's (a name
 * with IPv4 and IPv6 addresses must resolve to one the source address can send to), else any.
 */
export function resolutionIpVersion(options: { ipVersion?: IpVersion; localIp?: string }): IpVersion | undefined {
  if (options.ipVersion !== undefined) return options.ipVersion;
  return (options.localIp === undefined ? null : ipVersionOf(options.localIp)) ?? undefined;
}

// RFC 1123 host names: labels of letters, digits and hyphens (never first or last), 1-63 chars, 253
// total. Underscores are allowed too, as the system resolver (getaddrinfo, /etc/hosts) and mtr take them.
const HOSTNAME_RE =
  /^(?=.{1,253}\.?$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;

export function isHostname(value: string): boolean {
  return HOSTNAME_RE.test(value);
}

/**
 * A whole number in [min, max] whose errors name `what` and the allowed range.
 * (`.check()` for `.int().min().max()`, as in wholeNumberIn above.)
 */
export const boundedInt = (min: number, max: number, what: string) => {
  const range = { error: `${what} must be between ${min} and ${max}` };
  return z
    .number({ error: `${what} must be a number` })
    .check(z.int({ error: `${what} must be a whole number` }), z.gte(min, range), z.lte(max, range));
};

export const ipLiteralSchema = z
  .string()
  .check(z.refine((v) => isIpLiteral(v), { error: 'must be an IPv4 or IPv6 address literal' }));

/**
 * Whether a would-be host name is really a number: its last label is all
 * digits or hex (`2130706433`, `0x7f.1`, `0177.0.0.1`). The resolver reads
 * those as IPv4 addresses (inet_aton's forms), and no top-level domain is
 * numeric (RFC 3696 §2), so they are refused as names.
 */
function isNumericHostForm(value: string): boolean {
  const labels = value.replace(/\.$/, '').split('.');
  return /^(?:\d+|0x[0-9a-f]*)$/i.test(labels.at(-1) ?? '');
}

function numericHostMessage(value: string): string {
  const address = ipaddr.IPv4.isValid(value) ? ipaddr.IPv4.parse(value).toString() : null;
  // Four plain decimal numbers (no octal 0 prefix): the form is right, a number is out of range (999.1.1.1).
  const tooLarge =
    address === null && /^(0|[1-9]\d*)(\.(0|[1-9]\d*)){3}\.?$/.test(value)
      ? value.split('.').find((part) => Number(part) > 255)
      : undefined;
  if (tooLarge !== undefined) return `target is not an IPv4 address: ${tooLarge} is more than 255`;
  return (
    'target looks like a number, not a host name: write an IPv4 address as four decimal numbers' +
    (address ? ` (this one is ${address})` : ' (for example 192.0.2.1)')
  );
}

const TARGET_FORMS =
  'target must be an IPv4 address, an IPv6 address or a host name (letters, digits, hyphens, underscores and dots)';

/** Why a value that is no target is not one, where something more specific than TARGET_FORMS can be said. */
function malformedTargetMessage(value: string): string {
  const [address, zone] = value.split('%');
  if (zone !== undefined && address !== undefined && ipaddr.IPv6.isValid(address)) {
    return `target has a zone id (%${zone}): mtr-packet takes none, so it cannot probe a link-local address`;
  }
  const bracketed = /^\[(.*)\]$/.exec(value)?.[1];
  if (bracketed !== undefined && isIpLiteral(bracketed, 6))
    return `target ${value} is in brackets: write the IPv6 address alone, ${bracketed}`;
  const [network, prefix] = value.split('/');
  if (prefix !== undefined && network !== undefined && isIpLiteral(network)) {
    return `target ${value} is a network: trace one address, such as ${network}`;
  }
  const withPort = /^(.+):(\d+)$/.exec(value);
  if (withPort && isIpLiteral(withPort[1]!, 4)) {
    return `target ${value} has a port: give the address alone (${withPort[1]}) and the port as its own option`;
  }
  const long = value.split('.').find((label) => label.length > 63);
  if (long !== undefined && /^[A-Za-z0-9_.-]+$/.test(value)) {
    return `target has a label of ${long.length} characters; each part of a host name between dots is at most 63`;
  }
  return TARGET_FORMS;
}

/**
 * A trace or probe target: a canonical IP literal or an RFC 1123 host name.
 * Whitespace and control characters are never allowed, nor numeric forms
 * a resolver would turn into an address (`0x7f.1`, `2130706433`).
 */
export const targetSchema = z.string({ error: 'target must be a string' }).check(
  z.minLength(1, { error: 'target is empty' }),
  z.maxLength(253, { error: 'target is longer than 253 characters' }),
  z.superRefine((v: string, ctx) => {
    if (isIpLiteral(v)) return;
    if (!isHostname(v)) ctx.addIssue({ code: 'custom', message: malformedTargetMessage(v) });
    else if (isNumericHostForm(v)) ctx.addIssue({ code: 'custom', message: numericHostMessage(v) });
  }),
);

/**
 * Why mtr-packet cannot probe this address, or null. It takes a plain literal with no zone id, so a
 * link-local destination (fe80::/10, or interface- or link-scope multicast) fails every probe with
 * invalid-argument; an IPv4-mapped IPv6 address with address-not-available (mtr 0.95 here).
 */
export function unprobeableAddressProblem(address: string): string | null {
  if (!isIpLiteral(address, 6)) return null;
  const parsed = ipaddr.IPv6.parse(address);
  if (parsed.isIPv4MappedAddress()) {
    return `${address} is an IPv4 address in IPv6 form, which mtr-packet cannot probe: write it as ${parsed.toIPv4Address().toString()}`;
  }
  const range = parsed.range();
  const scope = (parsed.parts[0] ?? 0) & 0xf;
  const kind =
    range === 'linkLocal'
      ? 'a link-local address'
      : range === 'multicast' && (scope === 1 || scope === 2)
        ? 'a link-scope multicast address'
        : null;
  if (kind) return `${address} is ${kind}: it needs an interface (a zone id), which mtr-packet cannot take`;
  return null;
}

/**
 * mtr-packet builds each probe in a 9000-byte buffer (PACKET_BUFFER_SIZE in
 * its packet/probe.h) and answers a larger `size` with `invalid-argument`,
 * probe by probe (mtr 0.95 here): refused up front, before a trace starts.
 */
export const MTR_PACKET_MAX_SIZE = 9000;

/**
 * mtr-packet answers `invalid-argument` to every probe with a local port below 1024, whatever the
 * protocol or its privileges (mtr 0.95 here; mtr's own -L refuses them as "Illegal port number").
 */
export const MTR_PACKET_MIN_LOCAL_PORT = 1024;

export const field = {
  ttl: boundedInt(0, 255, 'TTL'),
  port: boundedInt(1, 65535, 'port'),
  localPort: z.number({ error: 'local port must be a number' }).check(
    z.int({ error: 'local port must be a whole number' }),
    z.gte(MTR_PACKET_MIN_LOCAL_PORT, {
      error: `local port must be between ${MTR_PACKET_MIN_LOCAL_PORT} and 65535: mtr-packet refuses the ports below ${MTR_PACKET_MIN_LOCAL_PORT}`,
    }),
    z.lte(65535, { error: `local port must be between ${MTR_PACKET_MIN_LOCAL_PORT} and 65535` }),
  ),
  /** Whole IP packet size in bytes. */
  size: boundedInt(0, MTR_PACKET_MAX_SIZE, 'packet size'),
  bitPattern: boundedInt(0, 255, 'bit pattern'),
  tos: boundedInt(0, 255, 'TOS'),
  mark: boundedInt(0, 0xffffffff, 'mark'),
  timeoutSec: z
    .number({ error: 'timeout must be a number' })
    .check(
      z.positive({ error: 'timeout must be more than 0 seconds' }),
      z.lte(3600, { error: 'timeout must be at most 3600 seconds' }),
    ),
  protocol: z.enum(PROTOCOLS, { error: `protocol must be one of ${PROTOCOLS.join(', ')}` }),
  ipVersion: z.union([z.literal(4), z.literal(6)], { error: 'IP version must be 4 or 6' }),
  localIp: ipLiteralSchema,
} as const;

/** Options for one probe, as the mtr-packet client accepts them. */
export const probeOptionsSchema = z.strictObject({
  ipVersion: z.optional(field.ipVersion),
  ttl: z.optional(field.ttl),
  protocol: z.optional(field.protocol),
  port: z.optional(field.port),
  localIp: z.optional(field.localIp),
  localPort: z.optional(field.localPort),
  timeoutSec: z.optional(field.timeoutSec),
  size: z.optional(field.size),
  bitPattern: z.optional(field.bitPattern),
  tos: z.optional(field.tos),
  mark: z.optional(field.mark),
});
export type ProbeOptions = z.infer<typeof probeOptionsSchema>;

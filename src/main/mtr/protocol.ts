/**
 * The mtr-packet line protocol: `TOKEN COMMAND [NAME VALUE]...`, one request or reply per line.
 * Pure functions only. The encoder is the last gate before mtr-packet's stdin: it accepts options
 * validated once by validateProbeOptions (validating plain objects itself) and checks the address.
 */
import {
  ipVersionOf,
  isIpLiteral,
  mplsLabelSchema,
  type MplsLabel,
  type ProbeOptions,
  type ProbeResult,
  type ProbeResultKind,
} from '@shared/probe';
import { ValidationError } from './errors';
import { validateProbeOptions, type ValidProbeOptions } from './probeOptions';

/** mtr-packet stores tokens in a C `int`. */
export const MAX_TOKEN = 0x7fffffff;
/** mtr-packet accepts at most 16 name/value pairs per command (packet/cmdparse.h). */
export const MAX_ARGUMENTS = 16;

const NAME_RE = /^[a-z][a-z0-9-]{0,31}$/;
// Values we ever send: numbers, IP literals, protocol and feature names.
const VALUE_RE = /^[A-Za-z0-9.:_-]{1,64}$/;
// What we accept back: any printable, non-space ASCII.
const REPLY_VALUE_RE = /^[\x21-\x7e]{1,512}$/;
const REPLY_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const TOKEN_RE = /^[0-9]{1,10}$/;
const UINT_RE = /^[0-9]{1,15}$/;

export type RequestArgs = Readonly<Record<string, string | number>>;

export interface ParsedLine {
  token: number;
  command: string;
  /** Name/value pairs; the first occurrence of a name wins, as in mtr-packet. */
  args: Readonly<Record<string, string>>;
  /** The line without its line terminator. */
  raw: string;
  /** False when the arguments were not clean name/value pairs (odd count, odd characters); args is then empty. */
  wellFormed: boolean;
}

function assertToken(token: number): void {
  if (!Number.isSafeInteger(token) || token < 0 || token > MAX_TOKEN) {
    throw new ValidationError('token', `must be an integer between 0 and ${MAX_TOKEN}`);
  }
}

/** One request line, newline-terminated. Throws ValidationError for anything that is not a plain token. */
export function encodeRequest(token: number, command: string, args: RequestArgs = {}): string {
  assertToken(token);
  if (typeof command !== 'string' || !NAME_RE.test(command)) {
    throw new ValidationError('command', 'must be lower-case letters, digits and hyphens');
  }
  const entries = Object.entries(args);
  if (entries.length > MAX_ARGUMENTS) {
    throw new ValidationError('args', `at most ${MAX_ARGUMENTS} arguments`);
  }
  let line = `${token} ${command}`;
  for (const [name, value] of entries) {
    if (!NAME_RE.test(name)) throw new ValidationError(name, 'invalid argument name');
    let text: string;
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value) || value < 0) throw new ValidationError(name, 'must be a non-negative integer');
      text = String(value);
    } else if (typeof value === 'string' && VALUE_RE.test(value)) {
      text = value;
    } else {
      throw new ValidationError(name, 'contains characters that are not allowed');
    }
    line += ` ${name} ${text}`;
  }
  return `${line}\n`;
}

/**
 * The `send-probe` line for an already resolved address. `timeoutSec` is rounded up to whole seconds
 * (mtr-packet rejects fractions with a bare invalid-argument).
 */
export function encodeSendProbe(
  token: number,
  ipLiteral: string,
  options: ProbeOptions | ValidProbeOptions = {},
): string {
  if (typeof ipLiteral !== 'string' || !isIpLiteral(ipLiteral)) {
    throw new ValidationError('host', 'must be an IPv4 or IPv6 address literal');
  }
  const o = validateProbeOptions(options);
  const version = ipVersionOf(ipLiteral);
  if (o.ipVersion !== undefined && o.ipVersion !== version) {
    throw new ValidationError('ipVersion', `IPv${o.ipVersion} requested but ${ipLiteral} is IPv${version}`);
  }
  if (o.localIp !== undefined && ipVersionOf(o.localIp) !== version) {
    throw new ValidationError('localIp', `local address ${o.localIp} is not the same IP version as ${ipLiteral}`);
  }
  const args: Record<string, string | number> = {};
  args[version === 6 ? 'ip-6' : 'ip-4'] = ipLiteral;
  if (o.protocol !== undefined) args.protocol = o.protocol;
  if (o.port !== undefined) args.port = o.port;
  if (o.localIp !== undefined) args[version === 6 ? 'local-ip-6' : 'local-ip-4'] = o.localIp;
  if (o.localPort !== undefined) args['local-port'] = o.localPort;
  if (o.ttl !== undefined) args.ttl = o.ttl;
  if (o.timeoutSec !== undefined) args.timeout = Math.max(1, Math.ceil(o.timeoutSec));
  if (o.size !== undefined) args.size = o.size;
  if (o.bitPattern !== undefined) args['bit-pattern'] = o.bitPattern;
  if (o.tos !== undefined) args.tos = o.tos;
  if (o.mark !== undefined) args.mark = o.mark;
  return encodeRequest(token, 'send-probe', args);
}

/**
 * Parse one line (request or reply; a trailing `\n`/`\r\n` is ignored). Returns null when the line has
 * no numeric token or no command. Never throws.
 */
export function parseReplyLine(line: string): ParsedLine | null {
  if (typeof line !== 'string') return null;
  let raw = line;
  if (raw.endsWith('\n')) raw = raw.slice(0, -1);
  if (raw.endsWith('\r')) raw = raw.slice(0, -1);
  if (raw.length > 8192) return null;
  // mtr-packet splits on any isspace(); we split on the same set.
  const parts = raw.split(/[ \t\v\f\r\n]+/).filter((p) => p !== '');
  const [tokenText, command, ...rest] = parts;
  if (tokenText === undefined || command === undefined || !TOKEN_RE.test(tokenText)) return null;
  const token = Number(tokenText);
  if (token > MAX_TOKEN || !REPLY_NAME_RE.test(command)) return null;
  const args: Record<string, string> = Object.create(null) as Record<string, string>;
  let wellFormed = rest.length % 2 === 0;
  for (let i = 0; wellFormed && i + 1 < rest.length; i += 2) {
    const name = rest[i] as string;
    const value = rest[i + 1] as string;
    if (!REPLY_NAME_RE.test(name) || !REPLY_VALUE_RE.test(value)) {
      wellFormed = false;
      break;
    }
    if (!Object.prototype.hasOwnProperty.call(args, name)) args[name] = value;
  }
  return { token, command, args: wellFormed ? args : (Object.create(null) as Record<string, string>), raw, wellFormed };
}

/** `label,tc,bos,ttl[,label,tc,bos,ttl...]`; null when malformed. */
export function parseMpls(text: string): MplsLabel[] | null {
  const fields = text.split(',');
  if (fields.length % 4 !== 0 || fields.length > 4 * 64) return null;
  const labels: MplsLabel[] = [];
  for (let i = 0; i < fields.length; i += 4) {
    const nums = fields.slice(i, i + 4);
    if (!nums.every((n) => UINT_RE.test(n))) return null;
    const [label, trafficClass, bos, ttl] = nums.map(Number) as [number, number, number, number];
    if (bos !== 0 && bos !== 1) return null;
    const parsed = mplsLabelSchema.safeParse({ label, trafficClass, bottomOfStack: bos === 1, ttl });
    if (!parsed.success) return null;
    labels.push(parsed.data);
  }
  return labels;
}

function failure(result: ProbeResultKind, extra: Partial<ProbeResult> = {}): ProbeResult {
  return { success: false, result, timeMs: null, responder: null, mpls: [], ...extra };
}

function unknown(parsed: ParsedLine): ProbeResult {
  return failure('unknown', { raw: parsed.raw });
}

const SIMPLE_FAILURES = new Set<ProbeResultKind>([
  'no-reply',
  'network-down',
  'probes-exhausted',
  'permission-denied',
  'invalid-argument',
]);

/** Responder, RTT and MPLS of a reply line; null if any present field is malformed or a required one is missing. */
function hostFields(
  parsed: ParsedLine,
  required: boolean,
): { responder: string | null; timeMs: number | null; mpls: MplsLabel[] } | null {
  const { args } = parsed;
  const ip4 = args['ip-4'];
  const ip6 = args['ip-6'];
  const rtt = args['round-trip-time'];
  let responder: string | null = null;
  if (ip4 !== undefined && ip6 !== undefined) return null;
  if (ip4 !== undefined) {
    if (!isIpLiteral(ip4, 4)) return null;
    responder = ip4;
  } else if (ip6 !== undefined) {
    if (!isIpLiteral(ip6, 6)) return null;
    responder = ip6;
  }
  let timeMs: number | null = null;
  if (rtt !== undefined) {
    if (!UINT_RE.test(rtt)) return null;
    timeMs = Number(rtt) / 1000;
  }
  if (required && (responder === null || timeMs === null)) return null;
  let mpls: MplsLabel[] = [];
  if (args.mpls !== undefined) {
    const labels = parseMpls(args.mpls);
    if (labels === null) return null;
    mpls = labels;
  }
  return { responder, timeMs, mpls };
}

const REPLY_COMMAND_RE = /^[a-z][a-z0-9-]*$/;
const HOST_REPLIES: Readonly<Record<string, boolean>> = {
  reply: true,
  'ttl-expired': true,
  'no-route': false,
  'no-route-host': false,
  'no-route-network': false,
};

/**
 * Whether a line may settle the request with its token: clean name/value pairs, a lower-case command
 * word, and valid address/RTT/MPLS fields for the replies that carry them. Anything else is noise
 * (`12 13 14` must never be taken as the answer to request 12); the request then times out.
 */
export function isWellFormedReply(parsed: ParsedLine): boolean {
  if (!parsed.wellFormed || !REPLY_COMMAND_RE.test(parsed.command)) return false;
  const required = HOST_REPLIES[parsed.command];
  return required === undefined || hostFields(parsed, required) !== null;
}

/** Interpret a `send-probe` reply. Anything undocumented or malformed becomes `unknown` with the raw line. */
export function toProbeResult(parsed: ParsedLine): ProbeResult {
  if (!parsed.wellFormed) return unknown(parsed);
  const { command, args } = parsed;
  const reason = args.reason;
  switch (command) {
    case 'reply':
    case 'ttl-expired': {
      const f = hostFields(parsed, true);
      if (!f) return unknown(parsed);
      return { success: true, result: command, timeMs: f.timeMs, responder: f.responder, mpls: f.mpls };
    }
    case 'no-route':
    case 'no-route-host':
    case 'no-route-network': {
      // An ICMP unreachable carries the router's address and RTT; a local ENETUNREACH carries nothing.
      const f = hostFields(parsed, false);
      if (!f) return unknown(parsed);
      const result = failure('no-route', { timeMs: f.timeMs, responder: f.responder, mpls: f.mpls });
      if (command !== 'no-route') result.reason = command;
      else if (reason !== undefined) result.reason = reason;
      return result;
    }
    default:
      if (SIMPLE_FAILURES.has(command as ProbeResultKind)) {
        return failure(command as ProbeResultKind, reason === undefined ? {} : { reason });
      }
      return unknown(parsed);
  }
}

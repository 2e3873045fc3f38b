import { constants as osConstants } from 'node:os';
import type { ProbeResult } from '@shared/probe';
import type { UserFacingError } from '@shared/session';
import type { TraceOptions } from '@shared/traceOptions';
import { ExecutableNotFoundError, ProcessError, ValidationError } from '../mtr/errors';
import { explainMtrPacketProblem } from '../mtr/diagnostics';
import { TargetResolveError } from '../net/resolveTarget';

function isProbeResult(value: unknown): value is ProbeResult {
  return typeof value === 'object' && value !== null && 'result' in value && 'success' in value;
}

/** Turn whatever ended or troubled a session into text a person can act on. */
export function explainFailure(cause: unknown, options?: TraceOptions): UserFacingError {
  if (cause instanceof TargetResolveError) {
    return {
      code: 'resolve-failed',
      title: `Cannot resolve ${options?.target ?? cause.target ?? 'the target'}`,
      // The title names the target; the detail says only why, so the two read as one sentence.
      detail: cause.reason,
      fix:
        cause.missingVersion === undefined
          ? 'Check the spelling, or enter an IP address directly.'
          : 'Give no IP version and no source address, or ones of the version the name has.',
    };
  }
  if (cause instanceof ValidationError) {
    return { code: 'invalid-argument', title: 'Invalid option', detail: cause.message };
  }
  if (isProbeResult(cause)) {
    switch (cause.result) {
      case 'permission-denied': {
        const e = explainMtrPacketProblem(cause);
        return { code: 'mtr-packet-permission', title: e.title, detail: e.detail, fix: e.fix };
      }
      case 'invalid-argument': {
        const reason = cause.reason ? ` (${cause.reason})` : '';
        const sctp = options?.protocol === 'sctp' && cause.reason?.includes('protocol-not-supported');
        return {
          code: 'invalid-argument',
          title: sctp ? 'SCTP is not supported here' : 'mtr-packet rejected the probe',
          detail: `mtr-packet answered invalid-argument${reason} for these options.`,
          fix: sctp
            ? 'This kernel has no SCTP support; choose ICMP, UDP or TCP.'
            : 'Check the source address, port, packet size and mark.',
        };
      }
      case 'no-route':
        return {
          code: 'no-route',
          title: 'No route to the target',
          detail: 'The local host has no route for some probes.',
          fix: 'Check the routing table, or the source address chosen.',
        };
      case 'network-down':
        return { code: 'network-down', title: 'Network is down', detail: 'The local network interface is down.' };
      case 'probes-exhausted':
        return {
          code: 'internal',
          title: 'Too many probes in flight',
          detail: 'mtr-packet ran out of probe slots; some probes were not sent.',
          fix: 'Use a longer interval or fewer concurrent traces.',
        };
      default:
        return explainUnexpectedReply(cause.raw ?? cause.result, options);
    }
  }
  if (cause instanceof ProcessError) {
    const e = explainMtrPacketProblem(cause);
    const code: UserFacingError['code'] =
      cause instanceof ExecutableNotFoundError
        ? 'mtr-packet-missing'
        : cause.kind === 'not-mtr-packet' || cause.kind === 'spawn-failed'
          ? 'mtr-packet-invalid'
          : 'mtr-packet-crashed';
    return { code, title: e.title, detail: e.detail, fix: e.fix };
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  return { code: 'internal', title: 'Trace failed', detail: message };
}

/** The name of errno `n` on this system (mtr-packet's `unexpected-error errno N` gives only the number). */
function errnoName(n: number): string | undefined {
  return Object.entries(osConstants.errno).find(([, value]) => value === n)?.[0];
}

/** A reply outside mtr-packet's documented ones, said as specifically as its errno allows. */
function explainUnexpectedReply(raw: string, options: TraceOptions | undefined): UserFacingError {
  const errno = /\bunexpected-error errno (\d+)\b/.exec(raw)?.[1];
  const name = errno === undefined ? undefined : errnoName(Number(errno));
  if (name === 'EMSGSIZE') {
    const size = options?.size === undefined ? 'A probe' : `A probe of ${options.size} bytes`;
    return {
      code: 'invalid-argument',
      title: 'Probe too large for the route',
      detail: `${size} is larger than the MTU of the route to the target, and mtr-packet sends without fragmenting (EMSGSIZE).`,
      fix: 'Use a smaller packet size: at most the MTU of the interface towards the target (`ip link` shows it; 1500 on most Ethernet).',
    };
  }
  return { code: 'internal', title: 'Unexpected reply from mtr-packet', detail: name ? `${raw} (${name})` : raw };
}

/** This machine's own routing table has no way to the target: no probe is sent (mtr-packet 0.95 would crash). */
export function explainUnroutable(address: string, code: 'ENETUNREACH' | 'EHOSTUNREACH'): UserFacingError {
  return {
    code: 'no-route',
    title: 'Network is unreachable',
    detail: `This machine has no route to ${address} (${code}), so no probe was sent.`,
    fix: `Check the routing table (\`ip route get ${address}\`) or choose another source address.`,
  };
}

/**
 * The source address cannot be sent from: none of this machine's (EADDRNOTAVAIL: mtr-packet would send
 * from it anyway, an IPv4 probe with a forged source whose replies go elsewhere, or answer
 * address-not-available), or one the kernel will not send from to this target (EINVAL: 127.0.0.1 to
 * another host). Either way every probe would be lost, so none is sent.
 */
export function explainUnusableSource(
  localIp: string,
  target: string,
  code: 'EADDRNOTAVAIL' | 'EINVAL',
): UserFacingError {
  const foreign = code === 'EADDRNOTAVAIL';
  return {
    code: 'invalid-argument',
    title: foreign ? 'Source address is not here' : 'Source address cannot reach the target',
    detail: foreign
      ? `${localIp} is not an address of this machine, so no reply could come back to it; no probe was sent.`
      : `This machine sends nothing from ${localIp} to ${target} (${code}), so no probe was sent.`,
    fix: foreign
      ? 'Choose one of its addresses (`ip -brief address` lists them), or leave the source address out.'
      : `Choose a source address on the way to the target (\`ip route get ${target}\` shows one), or leave it out.`,
  };
}

/** mtr-packet died again and again while probing one target: that trace is stopped so the others keep running. */
export function explainCrashLoop(address: string, crashes: number, reason: string): UserFacingError {
  return {
    code: 'mtr-packet-crashed',
    title: `mtr-packet keeps crashing on ${address}`,
    detail: `mtr-packet stopped unexpectedly ${crashes} times in a row while probing ${address} (last: ${reason}). This trace was stopped so the other traces keep running; what it collected is kept.`,
    fix: 'Check the route to this target; a newer mtr may not have this problem.',
  };
}

/** The supervisor stopped restarting mtr-packet: its own message counts the failures and names the last. */
export function explainGaveUp(error: Error): UserFacingError {
  return {
    code: 'mtr-packet-crashed',
    title: 'mtr-packet keeps stopping',
    detail: error.message,
    fix: 'Run `mtr-packet` in a terminal to see why it stops, then start the trace again.',
  };
}

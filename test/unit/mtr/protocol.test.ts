import { describe, expect, it } from 'vitest';
import {
  encodeRequest,
  encodeSendProbe,
  MAX_TOKEN,
  parseMpls,
  parseReplyLine,
  toProbeResult,
} from '../../../src/main/mtr/protocol';
import { ValidationError } from '../../../src/main/mtr/errors';
import type { ProbeOptions } from '@shared/probe';

function result(line: string) {
  const parsed = parseReplyLine(line);
  if (!parsed) throw new Error(`did not parse: ${line}`);
  return toProbeResult(parsed);
}

function validationField(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).field;
  }
  throw new Error('expected a ValidationError');
}

describe('parseReplyLine', () => {
  it('splits token, command and argument pairs', () => {
    const p = parseReplyLine('42 reply ip-4 127.0.0.1 round-trip-time 126');
    expect(p).toMatchObject({
      token: 42,
      command: 'reply',
      args: { 'ip-4': '127.0.0.1', 'round-trip-time': '126' },
      raw: '42 reply ip-4 127.0.0.1 round-trip-time 126',
      wellFormed: true,
    });
  });

  it('ignores a trailing newline or CRLF and extra blanks', () => {
    expect(parseReplyLine('7 no-reply\r\n')).toMatchObject({ token: 7, command: 'no-reply', raw: '7 no-reply' });
    expect(parseReplyLine('  7   no-reply  \n')).toMatchObject({ token: 7, command: 'no-reply' });
  });

  it('keeps the first of repeated argument names, as mtr-packet does', () => {
    expect(parseReplyLine('1 reply ip-4 192.0.2.1 ip-4 192.0.2.2 round-trip-time 1')?.args['ip-4']).toBe('192.0.2.1');
  });

  it('returns null without a numeric token or a command', () => {
    for (const line of ['', '   ', 'reply', '42', 'abc reply', '-1 reply', '1.5 reply', '99999999999 reply', '1 ☃']) {
      expect(parseReplyLine(line), line).toBeNull();
    }
  });

  it('marks odd argument lists as not well formed', () => {
    const p = parseReplyLine('3 reply ip-4');
    expect(p?.wellFormed).toBe(false);
    expect(p && toProbeResult(p)).toEqual({
      success: false,
      result: 'unknown',
      timeMs: null,
      responder: null,
      mpls: [],
      raw: '3 reply ip-4',
    });
  });

  it('does not let argument names reach Object.prototype', () => {
    expect(parseReplyLine('1 reply __proto__ x')?.wellFormed).toBe(false);
    const p = parseReplyLine('1 reply constructor y');
    expect(p?.wellFormed).toBe(true);
    expect(p?.args.constructor).toBe('y');
    expect(p?.args.toString).toBeUndefined();
  });
});

describe('toProbeResult', () => {
  it('reply', () => {
    expect(result('1 reply ip-4 127.0.0.1 round-trip-time 1638')).toEqual({
      success: true,
      result: 'reply',
      timeMs: 1.638,
      responder: '127.0.0.1',
      mpls: [],
    });
  });

  it('reply over IPv6', () => {
    expect(result('6 reply ip-6 ::1 round-trip-time 1398')).toMatchObject({
      success: true,
      responder: '::1',
      timeMs: 1.398,
    });
  });

  it('ttl-expired', () => {
    expect(result('11 ttl-expired ip-4 192.168.254.254 round-trip-time 1634')).toEqual({
      success: true,
      result: 'ttl-expired',
      timeMs: 1.634,
      responder: '192.168.254.254',
      mpls: [],
    });
  });

  it('ttl-expired with one MPLS label', () => {
    expect(result('2 ttl-expired ip-4 192.0.2.1 round-trip-time 900 mpls 24001,0,1,254').mpls).toEqual([
      { label: 24001, trafficClass: 0, bottomOfStack: true, ttl: 254 },
    ]);
  });

  it('ttl-expired with several MPLS labels', () => {
    expect(
      result('2 ttl-expired ip-6 2001:db8::1 round-trip-time 900 mpls 16001,0,0,254,17001,5,1,1,1048575,7,1,0').mpls,
    ).toEqual([
      { label: 16001, trafficClass: 0, bottomOfStack: false, ttl: 254 },
      { label: 17001, trafficClass: 5, bottomOfStack: true, ttl: 1 },
      { label: 1048575, trafficClass: 7, bottomOfStack: true, ttl: 0 },
    ]);
  });

  it('malformed MPLS or addresses make the reply unknown rather than wrong', () => {
    for (const line of [
      '2 ttl-expired ip-4 192.0.2.1 round-trip-time 900 mpls 1,2,3',
      '2 ttl-expired ip-4 192.0.2.1 round-trip-time 900 mpls 1048576,0,1,1',
      '2 ttl-expired ip-4 192.0.2.1 round-trip-time 900 mpls 1,8,1,1',
      '2 ttl-expired ip-4 192.0.2.1 round-trip-time 900 mpls 1,0,2,1',
      '2 ttl-expired ip-4 192.0.2.1 round-trip-time 900 mpls 1,0,1,256',
      '2 ttl-expired ip-4 192.0.2.1 round-trip-time 900 mpls a,b,c,d',
      '2 reply ip-4 not-an-ip round-trip-time 900',
      '2 reply ip-4 ::1 round-trip-time 900',
      '2 reply ip-6 127.0.0.1 round-trip-time 900',
      '2 reply ip-4 127.0.0.1 round-trip-time -5',
      '2 reply ip-4 127.0.0.1 round-trip-time 1.5',
      '2 reply ip-4 127.0.0.1',
      '2 reply round-trip-time 5',
      '2 reply ip-4 127.0.0.1 ip-6 ::1 round-trip-time 5',
    ]) {
      const r = result(line);
      expect(r.result, line).toBe('unknown');
      expect(r.raw).toBe(line);
      expect(r.success).toBe(false);
    }
  });

  it('parseMpls', () => {
    expect(parseMpls('1,2,0,3')).toEqual([{ label: 1, trafficClass: 2, bottomOfStack: false, ttl: 3 }]);
    expect(parseMpls('')).toBeNull();
    expect(parseMpls('1,2,0,3,')).toBeNull();
  });

  it.each(['no-reply', 'network-down', 'probes-exhausted', 'permission-denied'] as const)('%s', (kind) => {
    expect(result(`9 ${kind}`)).toEqual({ success: false, result: kind, timeMs: null, responder: null, mpls: [] });
  });

  it('invalid-argument without a reason', () => {
    const r = result('15 invalid-argument');
    expect(r).toEqual({ success: false, result: 'invalid-argument', timeMs: null, responder: null, mpls: [] });
    expect('reason' in r).toBe(false);
  });

  it('invalid-argument with a reason', () => {
    expect(result('7 invalid-argument reason protocol-not-supported')).toEqual({
      success: false,
      result: 'invalid-argument',
      timeMs: null,
      responder: null,
      mpls: [],
      reason: 'protocol-not-supported',
    });
  });

  it('no-route with and without the router that reported it', () => {
    expect(result('4 no-route')).toEqual({
      success: false,
      result: 'no-route',
      timeMs: null,
      responder: null,
      mpls: [],
    });
    expect(result('4 no-route ip-4 198.18.1.2 round-trip-time 250')).toEqual({
      success: false,
      result: 'no-route',
      timeMs: 0.25,
      responder: '198.18.1.2',
      mpls: [],
    });
    // mtr after 0.95 splits no-route by errno.
    expect(result('4 no-route-host')).toMatchObject({ result: 'no-route', reason: 'no-route-host' });
  });

  it('keeps undocumented replies as unknown with the raw line', () => {
    for (const line of [
      '5 unexpected-error errno 22',
      '5 address-in-use',
      '5 feature-support support ok',
      '5 unknown-command',
      '0 command-parse-error',
      '5 reply-ish ip-4 1.2.3.4',
    ]) {
      expect(result(line)).toEqual({
        success: false,
        result: 'unknown',
        timeMs: null,
        responder: null,
        mpls: [],
        raw: line,
      });
    }
  });
});

describe('encodeRequest / encodeSendProbe', () => {
  it('encodes check-support', () => {
    expect(encodeRequest(1, 'check-support', { feature: 'version' })).toBe('1 check-support feature version\n');
  });

  it('encodes every probe option in mtr-packet vocabulary', () => {
    expect(
      encodeSendProbe(12, '192.0.2.7', {
        protocol: 'udp',
        port: 33434,
        localIp: '192.0.2.1',
        localPort: 40000,
        ttl: 3,
        timeoutSec: 2,
        size: 100,
        bitPattern: 255,
        tos: 16,
        mark: 7,
      }),
    ).toBe(
      '12 send-probe ip-4 192.0.2.7 protocol udp port 33434 local-ip-4 192.0.2.1 local-port 40000 ttl 3 timeout 2 size 100 bit-pattern 255 tos 16 mark 7\n',
    );
    expect(encodeSendProbe(1, '::1', { localIp: '::1', ipVersion: 6 })).toBe('1 send-probe ip-6 ::1 local-ip-6 ::1\n');
    expect(encodeSendProbe(1, '127.0.0.1')).toBe('1 send-probe ip-4 127.0.0.1\n');
  });

  it('rounds fractional timeouts up to whole seconds (mtr-packet rejects fractions)', () => {
    expect(encodeSendProbe(1, '127.0.0.1', { timeoutSec: 0.2 })).toContain(' timeout 1\n');
    expect(encodeSendProbe(1, '127.0.0.1', { timeoutSec: 2.01 })).toContain(' timeout 3\n');
  });

  it('refuses anything but an IP literal as the address', () => {
    for (const bad of [
      'localhost',
      'a\n2 send-probe ip-4 127.0.0.1',
      '127.0.0.1 ',
      ' 127.0.0.1',
      '127.1',
      'fe80::1%eth0',
      '',
    ]) {
      expect(validationField(() => encodeSendProbe(1, bad))).toBe('host');
    }
  });

  it('refuses out-of-range or non-integer options, naming the field', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ttl: 256 }, 'ttl'],
      [{ ttl: -1 }, 'ttl'],
      [{ ttl: 1.5 }, 'ttl'],
      [{ ttl: '1' }, 'ttl'],
      [{ port: 0 }, 'port'],
      [{ port: 65536 }, 'port'],
      [{ size: Number.NaN }, 'size'],
      [{ tos: 256 }, 'tos'],
      [{ bitPattern: -1 }, 'bitPattern'],
      [{ mark: 2 ** 32 }, 'mark'],
      [{ timeoutSec: 0 }, 'timeoutSec'],
      [{ timeoutSec: Infinity }, 'timeoutSec'],
      [{ protocol: 'icmp\n1 send-probe' }, 'protocol'],
      [{ localIp: '127.0.0.1\n' }, 'localIp'],
      [{ localIp: '::1' }, 'localIp'],
      [{ ipVersion: 6 }, 'ipVersion'],
      [{ bogus: 1 }, 'bogus'],
    ];
    for (const [options, field] of cases) {
      expect(
        validationField(() => encodeSendProbe(1, '127.0.0.1', options as ProbeOptions)),
        JSON.stringify(options),
      ).toBe(field);
    }
  });

  it('refuses bad tokens, commands and argument text', () => {
    expect(validationField(() => encodeRequest(-1, 'x'))).toBe('token');
    expect(validationField(() => encodeRequest(MAX_TOKEN + 1, 'x'))).toBe('token');
    expect(validationField(() => encodeRequest(1.5, 'x'))).toBe('token');
    expect(validationField(() => encodeRequest(1, 'send probe'))).toBe('command');
    expect(validationField(() => encodeRequest(1, 'x', { 'bad name': 'v' }))).toBe('bad name');
    expect(validationField(() => encodeRequest(1, 'x', { feature: 'a b' }))).toBe('feature');
    expect(validationField(() => encodeRequest(1, 'x', { feature: '' }))).toBe('feature');
    expect(validationField(() => encodeRequest(1, 'x', { ttl: -3 }))).toBe('ttl');
    expect(validationField(() => encodeRequest(1, 'x', { ttl: 1e300 }))).toBe('ttl');
  });
});

// ---- properties ----

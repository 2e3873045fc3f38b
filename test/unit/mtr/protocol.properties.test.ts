/** Property tests of the mtr-packet line protocol: the parser never throws, the encoder never emits more than one line. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  encodeRequest,
  encodeSendProbe,
  MAX_TOKEN,
  parseReplyLine,
  toProbeResult,
} from '../../../src/main/mtr/protocol';
import { ValidationError } from '../../../src/main/mtr/errors';
import { isIpLiteral, MTR_PACKET_MAX_SIZE, MTR_PACKET_MIN_LOCAL_PORT, type ProbeOptions } from '@shared/probe';

const arbIpv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
const arbIpv6 = fc.ipV6().filter((a) => isIpLiteral(a, 6));
const arbOptions = (version: 4 | 6): fc.Arbitrary<ProbeOptions> =>
  fc.record(
    {
      ipVersion: fc.constant(version),
      ttl: fc.integer({ min: 0, max: 255 }),
      protocol: fc.constantFrom('icmp', 'udp', 'tcp', 'sctp' as const),
      port: fc.integer({ min: 1, max: 65535 }),
      localIp: version === 4 ? arbIpv4 : arbIpv6,
      localPort: fc.integer({ min: MTR_PACKET_MIN_LOCAL_PORT, max: 65535 }),
      timeoutSec: fc.double({ min: 0.001, max: 3600, noNaN: true }),
      size: fc.integer({ min: 0, max: MTR_PACKET_MAX_SIZE }),
      bitPattern: fc.integer({ min: 0, max: 255 }),
      tos: fc.integer({ min: 0, max: 255 }),
      mark: fc.integer({ min: 0, max: 0xffffffff }),
    },
    { requiredKeys: [] },
  );
const arbProbe = fc.oneof(fc.tuple(arbIpv4, arbOptions(4)), fc.tuple(arbIpv6, arbOptions(6)));

describe('protocol properties', () => {
  it('the parser never throws, whatever the line', () => {
    const arbLine = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({
        unit: fc.constantFrom(' ', '\t', '\r', '\n', '\v', '\u0000', '1', 'a', '-', ',', '.', ':', 'é', '☃'),
        maxLength: 80,
      }),
      fc
        .tuple(
          fc.nat(),
          fc.constantFrom('reply', 'ttl-expired', 'no-route', 'invalid-argument', 'x'),
          fc.array(fc.string({ unit: 'binary', maxLength: 20 }), { maxLength: 8 }),
        )
        .map(([t, c, rest]) => [String(t), c, ...rest].join(' ')),
    );
    fc.assert(
      fc.property(arbLine, (line) => {
        const parsed = parseReplyLine(line);
        if (parsed) {
          const r = toProbeResult(parsed);
          expect(['reply', 'ttl-expired'].includes(r.result)).toBe(r.success);
          if (r.responder !== null) expect(isIpLiteral(r.responder)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('encode → parse round trip for valid probes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_TOKEN }), arbProbe, (token, [address, options]) => {
        const line = encodeSendProbe(token, address, options);
        expect(line.endsWith('\n')).toBe(true);
        expect(line.indexOf('\n')).toBe(line.length - 1);
        const parsed = parseReplyLine(line);
        expect(parsed).not.toBeNull();
        if (!parsed) return;
        expect(parsed.token).toBe(token);
        expect(parsed.command).toBe('send-probe');
        expect(parsed.wellFormed).toBe(true);
        const v = address.includes(':') ? '6' : '4';
        const a = parsed.args;
        expect(a[`ip-${v}`]).toBe(address);
        if (options.localIp !== undefined) expect(a[`local-ip-${v}`]).toBe(options.localIp);
        if (options.ttl !== undefined) expect(Number(a.ttl)).toBe(options.ttl);
        if (options.protocol !== undefined) expect(a.protocol).toBe(options.protocol);
        if (options.port !== undefined) expect(Number(a.port)).toBe(options.port);
        if (options.localPort !== undefined) expect(Number(a['local-port'])).toBe(options.localPort);
        if (options.size !== undefined) expect(Number(a.size)).toBe(options.size);
        if (options.bitPattern !== undefined) expect(Number(a['bit-pattern'])).toBe(options.bitPattern);
        if (options.tos !== undefined) expect(Number(a.tos)).toBe(options.tos);
        if (options.mark !== undefined) expect(Number(a.mark)).toBe(options.mark);
        if (options.timeoutSec !== undefined) {
          expect(Number(a.timeout)).toBe(Math.max(1, Math.ceil(options.timeoutSec)));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('the encoder rejects any string containing whitespace or control characters', () => {
    const arbNasty = fc
      .tuple(
        fc.string({ maxLength: 10 }),
        fc.constantFrom(' ', '\n', '\r', '\t', '\v', '\f', '\u0000', '\u0085', '\u2028', '\u00a0', '\u001b'),
        fc.string({ maxLength: 10 }),
      )
      .map(([a, b, c]) => a + b + c);
    fc.assert(
      fc.property(
        arbNasty,
        fc.constantFrom('host', 'localIp', 'protocol', 'command', 'value', 'name'),
        (nasty, where) => {
          const attempt = () => {
            switch (where) {
              case 'host':
                return encodeSendProbe(1, nasty);
              case 'localIp':
                return encodeSendProbe(1, '127.0.0.1', { localIp: nasty });
              case 'protocol':
                return encodeSendProbe(1, '127.0.0.1', { protocol: nasty as 'icmp' });
              case 'command':
                return encodeRequest(1, nasty);
              case 'value':
                return encodeRequest(1, 'check-support', { feature: nasty });
              default:
                return encodeRequest(1, 'check-support', { [nasty]: 'x' });
            }
          };
          expect(attempt).toThrow(ValidationError);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('no encoder output ever holds more than one line, whatever it is given', () => {
    const arbValue = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.integer(),
      fc.double(),
      fc.constant(undefined),
    );
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -5, max: MAX_TOKEN }), fc.double()),
        fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), arbIpv4, arbIpv6),
        fc.dictionary(
          fc.constantFrom(
            'ttl',
            'protocol',
            'port',
            'localIp',
            'localPort',
            'timeoutSec',
            'size',
            'bitPattern',
            'tos',
            'mark',
            'ipVersion',
          ),
          arbValue,
        ),
        (token, address, options) => {
          let line: string | undefined;
          try {
            line = encodeSendProbe(token, address, options as ProbeOptions);
          } catch (err) {
            expect(err).toBeInstanceOf(ValidationError);
            return;
          }
          expect(line.split('\n')).toHaveLength(2);
          expect(line.endsWith('\n')).toBe(true);
          expect(/^[\x21-\x7e ]+\n$/.test(line)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

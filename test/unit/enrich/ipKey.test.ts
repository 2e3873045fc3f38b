import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { isV4Mapped, parseIPv4, parseIPv6 } from '../../../src/main/enrich/ipKey';

/** ipaddr.js's reading of an IPv6 address as four 32-bit words, as the reference. */
function referenceWords(text: string): number[] {
  const bytes = ipaddr.IPv6.parse(text).toByteArray();
  return [0, 1, 2, 3].map(
    (w) =>
      (((bytes[4 * w] ?? 0) << 24) |
        ((bytes[4 * w + 1] ?? 0) << 16) |
        ((bytes[4 * w + 2] ?? 0) << 8) |
        (bytes[4 * w + 3] ?? 0)) >>>
      0,
  );
}

describe('parseIPv4', () => {
  it('agrees with ipaddr.js on every dotted quad', () => {
    fc.assert(
      fc.property(fc.ipV4(), (text) => {
        const expected = ipaddr.IPv4.parse(text)
          .toByteArray()
          .reduce((n, b) => n * 256 + b, 0);
        expect(parseIPv4(text)).toBe(expected);
      }),
    );
  });

  it.each(['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1..2.3', '1.2.3.4 ', 'a.b.c.d', '1.2.3.', '::1'])(
    'refuses %j',
    (text) => {
      expect(parseIPv4(text)).toBe(-1);
    },
  );
});

describe('parseIPv6', () => {
  it('agrees with ipaddr.js on every IPv6 form fast-check writes (compressed, expanded, dotted tail)', () => {
    const out = new Uint32Array(4);
    fc.assert(
      // ipaddr.js reads the deprecated IPv4-compatible form (::a.b.c.d) as IPv4-mapped; it is checked by hand below.
      fc.property(
        fc.ipV6().filter((text) => !/^::[\d.]+$/.test(text)),
        (text) => {
          expect(parseIPv6(text, out)).toBe(true);
          expect([...out]).toEqual(referenceWords(text));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reads the edge forms', () => {
    const out = new Uint32Array(4);
    expect(parseIPv6('::', out) && [...out]).toEqual([0, 0, 0, 0]);
    expect(parseIPv6('::1', out) && [...out]).toEqual([0, 0, 0, 1]);
    expect(parseIPv6('1::', out) && [...out]).toEqual([0x10000, 0, 0, 0]);
    expect(parseIPv6('FD48:6F70:0:8::2', out) && [...out]).toEqual([0xfd486f70, 8, 0, 2]);
    expect(parseIPv6('::1.2.3.4', out) && [...out]).toEqual([0, 0, 0, 0x01020304]);
    expect(parseIPv6('::ffff:8.8.4.4', out) && isV4Mapped(out) && out[3]).toBe(0x08080404);
  });

  it.each([
    '',
    ':',
    ':::',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    '12345::',
    '1:',
    ':1',
    'g::1',
    'fe80::1%eth0',
    '1.2.3.4',
    '::1.2.3',
    '1:2:3:4:5:6:7:1.2.3.4',
  ])('refuses %j', (text) => {
    expect(parseIPv6(text, new Uint32Array(4))).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addressClass } from '@shared/addressClass';
import { isGlobalAddress } from '../../../src/main/enrich/globalAddressGuard';
import { isV4Mapped, parseIPv4, parseIPv6 } from '../../../src/main/enrich/ipKey';

function guard(address: string): boolean {
  const words = new Uint32Array(4);
  let v4 = parseIPv4(address);
  if (v4 < 0) {
    expect(parseIPv6(address, words)).toBe(true);
    if (isV4Mapped(words)) v4 = words[3] ?? 0;
  }
  return isGlobalAddress(address, v4, words);
}

describe('isGlobalAddress', () => {
  it('agrees with addressClass on random addresses, special blocks and their edges', () => {
    const edges = fc.constantFrom(
      '0.255.255.255',
      '1.0.0.0',
      '9.255.255.255',
      '10.0.0.0',
      '11.0.0.0',
      '100.63.255.255',
      '100.64.0.0',
      '100.127.255.255',
      '100.128.0.0',
      '192.0.1.255',
      '192.0.2.0',
      '192.175.48.1',
      '198.17.255.255',
      '198.18.0.0',
      '198.19.255.255',
      '198.20.0.0',
      '223.255.255.255',
      '224.0.0.0',
      '255.255.255.255',
      '::ffff:10.0.0.1',
      '::ffff:8.8.8.8',
      '2001:db7:ffff:ffff:ffff:ffff:ffff:ffff',
      '2001:db8::',
      '2001:4:112::1',
      '2001:200::1',
      '2002::1',
      '3ffe:ffff::1',
      '3fff::',
      '3fff:fff::1',
      '3fff:1000::',
      'fbff:ffff::1',
      'fc00::',
      'fe80::1',
      'ff00::',
    );
    const v6Near = fc
      .tuple(
        fc.constantFrom(0x2001, 0x2002, 0x3fff, 0xfc00, 0xfe80, 0x0064, 0x0000, 0x2620),
        fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 7, maxLength: 7 }),
      )
      .map(([head, rest]) => [head, ...rest].map((g) => g.toString(16)).join(':'));
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), edges, v6Near), (address) => {
        expect(guard(address)).toBe(addressClass(address) === 'global');
      }),
      { numRuns: 5000 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { addressClass } from '@shared/addressClass';
import { listLocalAddresses } from '../../../src/main/net/localAddresses';

describe('addressClass', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['192.168.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['100.64.0.1', 'cgnat'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fd48:6f70::1', 'unique-local'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['193.0.14.129', 'global'],
    ['2a00:1450::1', 'global'],
    ['::ffff:10.0.0.1', 'private'],
    ['198.18.0.1', 'benchmarking'],
  ])('%s is %s', (address, expected) => {
    expect(addressClass(address)).toBe(expected);
  });

  it('calls non-addresses invalid', () => {
    expect(addressClass('not an address')).toBe('invalid');
  });
});

describe('listLocalAddresses', () => {
  it('lists loopback with its class and skips zone-scoped link-local IPv6', () => {
    const list = listLocalAddresses();
    expect(list).toContainEqual(
      expect.objectContaining({ address: '127.0.0.1', ipVersion: 4, addressClass: 'loopback' }),
    );
    expect(list.every((a) => !(a.ipVersion === 6 && a.address.startsWith('fe80')))).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { ADDRESS_CLASSES, ADDRESS_CLASS_INFO, addressClass } from '@shared/addressClass';

describe('addressClass', () => {
  it.each([
    ['8.8.8.8', 'global'],
    ['2606:4700:4700::1111', 'global'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.254', 'cgnat'],
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['169.254.10.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['224.0.0.5', 'multicast'],
    ['ff02::1', 'multicast'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['192.0.2.1', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['2001:db8::1', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['64:ff9b::808:808', 'transition'],
    ['2002:c000:204::1', 'transition'],
    ['240.0.0.1', 'reserved'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['::ffff:10.0.0.1', 'private'],
    ['target.hopscope.test', 'invalid'],
    ['10.1', 'invalid'],
    ['', 'invalid'],
  ] as const)('%s is %s', (address, expected) => {
    expect(addressClass(address)).toBe(expected);
  });

  it('has a short badge and a description for every class', () => {
    for (const cls of ADDRESS_CLASSES) {
      expect(ADDRESS_CLASS_INFO[cls].badge.length).toBeLessThanOrEqual(10);
      expect(ADDRESS_CLASS_INFO[cls].description).not.toBe('');
    }
  });
});

import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { interfaceAddress } from '../../../src/cli/interfaceAddress';
import { parseTrace } from './parseTrace';

const v4 = (address: string): NetworkInterfaceInfo => ({
  address,
  netmask: '255.255.255.0',
  family: 'IPv4',
  mac: '00:00:00:00:00:00',
  internal: false,
  cidr: `${address}/24`,
});
const v6 = (address: string, scopeid: number): NetworkInterfaceInfo => ({
  address,
  netmask: 'ffff:ffff:ffff:ffff::',
  family: 'IPv6',
  mac: '00:00:00:00:00:00',
  internal: false,
  cidr: `${address}/64`,
  scopeid,
});
const HERE = {
  lo: [v4('127.0.0.1'), v6('::1', 0)],
  wan0: [v6('fe80::1', 2), v6('2001:db8::5', 0), v4('192.0.2.5')],
  v6only: [v6('fe80::9', 3), v6('2001:db8::9', 0)],
};

describe('-I/--interface (mtr: the interface address as the source)', () => {
  it("sends from the interface's address of the family asked for, a global IPv6 before a link-local one", () => {
    expect(interfaceAddress('wan0', 4, HERE)).toEqual({ address: '192.0.2.5', ipVersion: 4 });
    expect(interfaceAddress('wan0', 6, HERE)).toEqual({ address: '2001:db8::5', ipVersion: 6 });
    expect(interfaceAddress('v6only', undefined, HERE)).toEqual({ address: '2001:db8::9', ipVersion: 6 });
  });

  it('says what is missing rather than guessing', () => {
    expect(() => interfaceAddress('eth9', 4, HERE)).toThrow(
      '-I/--interface: no interface named "eth9" here (there are: lo, wan0, v6only)',
    );
    expect(() => interfaceAddress('v6only', 4, HERE)).toThrow('-I/--interface: v6only has no IPv4 address');
    expect(() => interfaceAddress('wan0', undefined, HERE)).toThrow(/has IPv4 and IPv6 addresses; add -4 or -6/);
  });

  it("becomes the trace's source address and family, and cannot go with -a", () => {
    // The loopback interface exists everywhere; an IPv4 target picks its IPv4 address.
    expect(parseTrace(['127.0.0.1', '-r', '-I', 'lo']).options).toMatchObject({ localIp: '127.0.0.1', ipVersion: 4 });
    expect(() => parseTrace(['127.0.0.1', '-I', 'lo', '-a', '127.0.0.1'])).toThrow(/cannot be used with/);
  });
});

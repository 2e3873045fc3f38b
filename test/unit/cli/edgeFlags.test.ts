/**
 * Edge values of mtr's flags and targets that mtr-packet cannot act on: refused while the command line
 * is read (a UsageError, exit 2), with a message naming the flag as typed and saying what is wrong,
 * instead of a run whose every probe fails or a generic error from deep inside.
 */
import { describe, expect, it } from 'vitest';
import { parseTrace } from './parseTrace';

describe('-4/-6 against the target', () => {
  it('refuses an IP version the literal target does not have', () => {
    expect(() => parseTrace(['2001:db8::1', '-4'])).toThrow(
      /^-4\/-6: the target 2001:db8::1 is an IPv6 address, and IPv4 was asked for$/,
    );
    expect(() => parseTrace(['192.0.2.1', '-6'])).toThrow(
      /^-4\/-6: the target 192.0.2.1 is an IPv4 address, and IPv6 was asked for$/,
    );
  });

  it('keeps the matching version, and a name in either', () => {
    expect(parseTrace(['2001:db8::1', '-6']).options.ipVersion).toBe(6);
    expect(parseTrace(['r1.hopscope.test', '-4']).options.ipVersion).toBe(4);
  });
});

describe('-a/--address against the target and -4/-6', () => {
  it('refuses a source address of the other IP version', () => {
    expect(() => parseTrace(['2001:db8::1', '-a', '192.0.2.7'])).toThrow(
      /^-a\/--address: source address 192.0.2.7 is IPv4, and the target 2001:db8::1 is IPv6$/,
    );
    expect(() => parseTrace(['r1.hopscope.test', '-6', '-a', '192.0.2.7'])).toThrow(
      /^-a\/--address: source address 192.0.2.7 is IPv4, and IPv6 was asked for$/,
    );
  });

  it('takes one of the same version, and with a name leaves the version to the source address', () => {
    expect(parseTrace(['2001:db8::1', '-a', '2001:db8::7']).options.localIp).toBe('2001:db8::7');
    expect(parseTrace(['r1.hopscope.test', '-a', '192.0.2.7']).options).toMatchObject({ localIp: '192.0.2.7' });
  });
});

describe('-L/--localport', () => {
  it('refuses the ports below 1024, to which mtr-packet answers invalid-argument probe by probe', () => {
    for (const port of ['1', '53', '1023']) {
      expect(() => parseTrace(['192.0.2.1', '-u', '-L', port])).toThrow(
        /^-L\/--localport: local port must be between 1024 and 65535: mtr-packet refuses the ports below 1024$/,
      );
    }
    expect(() => parseTrace(['192.0.2.1', '-u', '-L', '65536'])).toThrow(
      /^-L\/--localport: .* between 1024 and 65535$/,
    );
    expect(parseTrace(['192.0.2.1', '-u', '-L', '1024']).options.localPort).toBe(1024);
  });
});

describe('targets mtr-packet cannot probe', () => {
  it.each([
    [
      '::ffff:192.0.2.1',
      /^TARGET: target ::ffff:192\.0\.2\.1 is an IPv4 address in IPv6 form.*: write it as 192\.0\.2\.1$/,
    ],
    ['fe80::1', /^TARGET: target fe80::1 is a link-local address: it needs an interface \(a zone id\)/],
    ['ff02::1', /^TARGET: target ff02::1 is a link-scope multicast address: it needs an interface/],
    ['fe80::1%eth0', /^TARGET: target has a zone id \(%eth0\): mtr-packet takes none/],
  ])('refuses %s and says why', (target, message) => {
    expect(() => parseTrace([target])).toThrow(message);
  });

  it('still takes global, unique-local and site-scope multicast IPv6 addresses', () => {
    for (const target of ['2001:db8::1', 'fd48:6f70:0:8::2', 'ff05::2', '::1']) {
      expect(parseTrace([target]).options.target, target).toBe(target);
    }
  });
});

describe('target spellings', () => {
  it('says which number of a dotted quad is out of range', () => {
    expect(() => parseTrace(['999.1.1.1'])).toThrow(/^TARGET: target is not an IPv4 address: 999 is more than 255$/);
    expect(() => parseTrace(['1.2.3.256'])).toThrow(/256 is more than 255$/);
  });

  it('takes underscores in any label of a name, as the system resolver and mtr do', () => {
    for (const target of ['tgt_1.hopscope.test', 'r1_x', 'a.b_c.test']) {
      expect(parseTrace([target]).options.target, target).toBe(target);
    }
  });

  it.each([
    ['[2001:db8::1]', /^TARGET: target \[2001:db8::1\] is in brackets: write the IPv6 address alone, 2001:db8::1$/],
    ['192.0.2.0/24', /^TARGET: target 192\.0\.2\.0\/24 is a network: trace one address, such as 192\.0\.2\.0$/],
    ['192.0.2.1:80', /^TARGET: target 192\.0\.2\.1:80 has a port: give the address alone \(192\.0\.2\.1\)/],
  ])('says what is wrong with %s, as a URL or a route table would write it', (target, message) => {
    expect(() => parseTrace([target])).toThrow(message);
  });

  it('names the label that is too long', () => {
    expect(() => parseTrace([`${'a'.repeat(64)}.test`])).toThrow(
      /^TARGET: target has a label of 64 characters; each part of a host name between dots is at most 63$/,
    );
  });

  it('keeps refusing the empty target, a dash and other non-names', () => {
    expect(() => parseTrace([''])).toThrow(/^TARGET: target is empty$/);
    expect(() => parseTrace(['a b'])).toThrow(
      /^TARGET: target must be an IPv4 address, an IPv6 address or a host name/,
    );
    expect(() => parseTrace(['bad-.test'])).toThrow(/^TARGET: target must be/);
  });
});

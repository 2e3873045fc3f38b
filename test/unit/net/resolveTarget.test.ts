import { describe, expect, it } from 'vitest';
import {
  resolveAllAddresses,
  resolveTarget,
  TargetResolveError,
  type ForwardLookup,
} from '../../../src/main/net/resolveTarget';
import * as mtrErrors from '../../../src/main/mtr/errors';
import * as mtr from '../../../src/main/mtr';
import { explainMtrPacketProblem } from '../../../src/main/mtr/diagnostics';
import { explainFailure } from '../../../src/main/service/sessionErrors';

const table: Record<string, { address: string; family: number }[]> = {
  'v6only.test': [{ address: 'fd48::2', family: 6 }],
  'dual.test': [
    { address: 'fd48::1', family: 6 },
    { address: '198.18.0.1', family: 4 },
  ],
};

const lookup: ForwardLookup = async (host, family) => {
  const found = (table[host] ?? []).filter((a) => family === 0 || a.family === family);
  if (found.length === 0) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  return found;
};

describe('resolveTarget', () => {
  it('passes IP literals through without a lookup', async () => {
    const never: ForwardLookup = () => Promise.reject(new Error('must not be called'));
    expect(await resolveTarget('198.18.0.9', undefined, never)).toEqual({ address: '198.18.0.9', ipVersion: 4 });
    expect(await resolveTarget('fd48::9', 6, never)).toEqual({ address: 'fd48::9', ipVersion: 6 });
  });

  it('refuses a literal of the other IP version', async () => {
    await expect(resolveTarget('198.18.0.9', 6, lookup)).rejects.toThrow(/IPv4 address but IPv6 was requested/);
  });

  it('takes the resolver order, or the requested version', async () => {
    expect(await resolveTarget('dual.test', undefined, lookup)).toEqual({ address: 'fd48::1', ipVersion: 6 });
    expect(await resolveTarget('dual.test', 4, lookup)).toEqual({ address: '198.18.0.1', ipVersion: 4 });
  });

  it('says "no such host" for a name that does not resolve', async () => {
    const err = await resolveTarget('missing.test', undefined, lookup).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TargetResolveError);
    expect((err as Error).message).toBe('cannot resolve missing.test: no such host');
  });

  it('says a name has no address of the version asked for, rather than that it does not exist', async () => {
    const err = await resolveTarget('v6only.test', 4, lookup).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TargetResolveError);
    expect((err as Error).message).toBe('cannot resolve v6only.test: it has no IPv4 address, only fd48::2');
    expect(explainFailure(err)).toMatchObject({
      title: 'Cannot resolve v6only.test',
      detail: 'it has no IPv4 address, only fd48::2',
      fix: 'Give no IP version and no source address, or ones of the version the name has.',
    });
    expect(explainFailure(await resolveTarget('missing.test', 4, lookup).catch((e: unknown) => e))).toMatchObject({
      detail: 'no such host',
      fix: 'Check the spelling, or enter an IP address directly.',
    });
  });

  it('is the one forward-DNS error type: the mtr client has none of its own', () => {
    // The old client-side name is gone: nothing in mtr/ exports a DNS error.
    expect('HostResolveError' in mtrErrors).toBe(false);
    expect('HostResolveError' in mtr).toBe(false);
    expect(explainMtrPacketProblem(new TargetResolveError('missing.test', 'no such host'), 'linux').title).toBe(
      'Host name not found',
    );
  });
});

describe('resolveAllAddresses', () => {
  it('splits addresses by version', async () => {
    expect(await resolveAllAddresses('dual.test', undefined, lookup)).toEqual({ v4: ['198.18.0.1'], v6: ['fd48::1'] });
    expect(await resolveAllAddresses('fd48::2', undefined, lookup)).toEqual({ v4: [], v6: ['fd48::2'] });
  });
});

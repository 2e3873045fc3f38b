/**
 * The shipped databases themselves (pinned package versions): known lines
 * from the installed files, an even sample of every line, the guard that keeps
 * special-purpose addresses unowned, and layering under user data.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Reader, type Response } from 'mmdb-lib';
import { addressClass } from '@shared/addressClass';
import { isPublicAsn } from '@shared/enrichment';
import { Enricher } from '../../../src/main/enrich/enricher';
import { dataDateFromPackageVersion, shippedAsnData, shippedCountryFile } from '../../../src/main/enrich/shippedData';
import { TEST_NETWORK_GEO_DB } from '../../fixtures/enrich/testNetworkOwners';

const [v4File = '', v6File = ''] = shippedAsnData().files;
const v4Lines = readFileSync(v4File, 'utf8').split('\n');
const v6Lines = readFileSync(v6File, 'utf8').split('\n');
const linesOf = { v4: v4Lines, v6: v6Lines };
const rawCountry = new Reader<Response>(readFileSync(shippedCountryFile()));
const rawCountryOf = (address: string): unknown =>
  (rawCountry.get(address) as { country_code?: string } | null)?.country_code;

const shipped = new Enricher();
beforeAll(() => shipped.load(), 60_000);

describe('shipped AS data', () => {
  it.each([
    ['v4', 1, '1.0.0.0,1.0.0.255,13335,"Cloudflare, Inc."', '1.0.0.1', 13335, 'Cloudflare, Inc.'],
    ['v4', 5321, '8.8.8.0,8.8.8.255,15169,Google LLC', '8.8.8.8', 15169, 'Google LLC'],
    ['v4', 7341, '9.9.9.0,9.9.9.255,19281,Quad9', '9.9.9.9', 19281, 'Quad9'],
    [
      'v6',
      17108,
      '2001:4860::,2001:4860:4804:ffff:ffff:ffff:ffff:ffff,15169,Google LLC',
      '2001:4860:4860::8888',
      15169,
      'Google LLC',
    ],
    [
      'v6',
      9302,
      '2001:7fd::,2001:7fd::ffff:ffff:ffff:ffff:ffff,25152,Reseaux IP Europeens Network Coordination Centre (RIPE NCC)',
      '2001:7fd::1',
      25152,
      'Reseaux IP Europeens Network Coordination Centre (RIPE NCC)',
    ],
  ] as const)('%s line %i: %s', (family, line, text, address, asn, organisation) => {
    // The line really is in the installed file, so the expectation comes from the data itself.
    expect(linesOf[family][line - 1]).toBe(text);
    expect(shipped.lookup(address)?.as).toEqual({ asn, organisation, origin: 'shipped', dataDate: '2026-06-17' });
  });

  it('answers every sampled line at its first and last address, unless the guard must stay silent', () => {
    let checked = 0;
    for (const lines of [v4Lines, v6Lines]) {
      for (let i = 0; i < lines.length; i += 997) {
        const [first = '', last = '', asnText = ''] = (lines[i] ?? '').split(',');
        if (!first) continue;
        const asn = Number(asnText);
        for (const address of [first, last]) {
          const found = shipped.lookup(address)?.as;
          if (addressClass(address) !== 'global' || !isPublicAsn(asn)) expect(found).toBeUndefined();
          else if (found) {
            expect(found.asn).toBe(asn);
            checked++;
          } else {
            // Only the ranges in the one overlap in this data version are left out.
            expect(address).toMatch(/^21[45]\./);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(900);
  });

  it('leaves out rows with reserved or private AS numbers (the data gives a public range AS4294967294)', () => {
    expect(v4Lines.find((l) => l.startsWith('103.138.210.0,'))).toBe(
      '103.138.210.0,103.138.210.255,4294967294,AS4294967294',
    );
    expect(shipped.lookup('103.138.210.1')?.as).toBeUndefined();
  });

  it('dates the data by the package version and the mmdb build epoch', () => {
    expect(dataDateFromPackageVersion('2.3.2026061719')).toBe('2026-06-17');
    expect(dataDateFromPackageVersion('2.3.2026023119')).toBeUndefined();
    expect(dataDateFromPackageVersion('1.0.0')).toBeUndefined();
    expect(shipped.status()).toMatchObject({
      state: 'ready',
      problems: [],
      sources: [
        { kind: 'asn', origin: 'shipped', dataDate: '2026-06-17', dataDateBasis: 'package-version' },
        { kind: 'country', origin: 'shipped', dataDate: '2026-06-17', dataDateBasis: 'mmdb-build-epoch' },
      ],
    });
  });
});

describe('shipped country data', () => {
  it('asks an IPv4-mapped address as the IPv4 address it carries', () => {
    expect(shipped.lookup('::ffff:8.8.8.8')).toEqual(shipped.lookup('8.8.8.8'));
    expect(shipped.lookup('::ffff:8.8.8.8')?.country?.code).toBe('US');
  });

  it.each([
    ['1.1.1.1', 'AU'],
    ['8.8.8.8', 'US'],
    ['2001:4860:4860::8888', 'US'],
  ])('%s is in %s, as the mmdb file itself says', (address, code) => {
    expect(rawCountryOf(address)).toBe(code);
    expect(shipped.lookup(address)?.country).toEqual({ code, origin: 'shipped', dataDate: '2026-06-17' });
  });
});

/** A random address inside `cidr`, as text. */
function inside(cidr: string): fc.Arbitrary<string> {
  const [base = '', bitsText = ''] = cidr.split('/');
  const v6 = base.includes(':');
  const width = v6 ? 128 : 32;
  const hostBits = width - Number(bitsText);
  const start = v6 ? v6ToBig(base) : BigInt(base.split('.').reduce((n, p) => n * 256 + Number(p), 0));
  return fc.bigInt({ min: 0n, max: (1n << BigInt(hostBits)) - 1n }).map((offset) => {
    const n = start + offset;
    if (!v6) return [24n, 16n, 8n, 0n].map((s) => (n >> s) & 255n).join('.');
    return Array.from({ length: 8 }, (_, g) => ((n >> BigInt(112 - 16 * g)) & 0xffffn).toString(16)).join(':');
  });
}

function v6ToBig(text: string): bigint {
  const [head = '', tail = ''] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((n, g) => (n << 16n) + BigInt(parseInt(g, 16)), 0n);
}

const SPECIAL = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '198.18.0.0/15',
  '192.0.2.0/24',
  '198.51.100.0/24',
  '203.0.113.0/24',
  'fe80::/10',
  'fc00::/7',
  '::1/128',
  '2001:db8::/32',
  '3fff::/20',
  '2001:2::/48',
];

describe('special-purpose addresses and shipped data', () => {
  it('gives none of them an AS or a country, even where the raw data has one', () => {
    // The raw country file does answer for these (wrongly): the guard is what keeps them out.
    expect(rawCountryOf('192.168.1.1')).toBe('AU');
    expect(rawCountryOf('2001:db8::1')).toBe('JP');
    fc.assert(
      fc.property(fc.oneof(...SPECIAL.map(inside)), (address) => {
        expect(addressClass(address)).not.toBe('global');
        expect(shipped.lookup(address)).toEqual({});
      }),
      { numRuns: 1000 },
    );
  });

  it('lets a user database own them, and falls back to shipped data outside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hopscope-shipped-'));
    const userCsv = join(dir, 'corp.csv');
    writeFileSync(userCsv, '10.20.0.0,10.20.255.255,65001,Corp LAN\n8.8.8.0,8.8.8.255,64999,Overridden\n');
    const layered = new Enricher({ asnDb: userCsv, geoDb: TEST_NETWORK_GEO_DB });
    await layered.load();
    fc.assert(
      fc.property(inside('10.20.0.0/16'), inside('10.0.0.0/8'), inside('8.8.4.0/24'), (mine, other, google) => {
        expect(layered.lookup(mine)?.as).toMatchObject({ asn: 65001, organisation: 'Corp LAN', origin: 'user' });
        if (!mine.startsWith('10.20.') && !other.startsWith('10.20.')) expect(layered.lookup(other)).toEqual({});
        expect(layered.lookup(google)?.as).toMatchObject({ asn: 15169, origin: 'shipped' });
      }),
      { numRuns: 200 },
    );
    expect(layered.lookup('8.8.8.8')).toMatchObject({
      as: { asn: 64999, origin: 'user' },
      country: { code: 'US', origin: 'shipped' },
    });
    expect(layered.lookup('198.18.6.2')).toMatchObject({ country: { code: 'DE', origin: 'user' } });
    expect(layered.status().sources.map((s) => `${s.kind}/${s.origin}`)).toEqual([
      'asn/user',
      'asn/shipped',
      'country/user',
      'country/shipped',
    ]);
  }, 60_000);
});

/**
 * Country lookups on parsed addresses (our own walk of the mmdb search tree,
 * one decode per record) answer exactly what mmdb-lib answers from text, on
 * the shipped country file and the test network's, for IPv4, IPv6 and
 * IPv4-mapped addresses; a damaged tree gives no answer instead of a crash.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CountryDb } from '../../../src/main/enrich/countryDb';
import { isV4Mapped, parseIPv4, parseIPv6 } from '../../../src/main/enrich/ipKey';
import { shippedCountryFile } from '../../../src/main/enrich/shippedData';
import { TEST_NETWORK_GEO_DB } from '../../fixtures/enrich/testNetworkOwners';

const key = new Uint32Array(4);

/** What the Enricher passes for an address: its IPv4 value (mapped ones too) or -1, and the text mmdb-lib reads. */
function parsed(address: string): { v4: number; text: string } {
  const v4 = parseIPv4(address);
  if (v4 >= 0) return { v4, text: address };
  if (!parseIPv6(address, key)) throw new Error(`not an address: ${address}`);
  if (!isV4Mapped(key)) return { v4: -1, text: address };
  const m = key[3] ?? 0;
  return { v4: m, text: `${m >>> 24}.${(m >>> 16) & 255}.${(m >>> 8) & 255}.${m & 255}` };
}

const addresses = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.ipV4().map((a) => `::ffff:${a}`),
  // Where the test database has answers.
  fc.integer({ min: 0, max: 255 }).map((n) => `198.18.${n % 10}.${n}`),
  fc.integer({ min: 0, max: 0xffff }).map((n) => `fd48:6f70:0:${n % 10}::${n.toString(16)}`),
);

describe.each([
  ['the shipped country file', () => shippedCountryFile()],
  ['the test network file', () => TEST_NETWORK_GEO_DB],
])('CountryDb.lookupParsed on %s', (_name, file) => {
  let db: CountryDb;
  beforeAll(async () => {
    db = await CountryDb.open(file());
  });

  it('agrees with mmdb-lib on every address', () => {
    fc.assert(
      fc.property(addresses, (address) => {
        const { v4, text } = parsed(address);
        // Asked twice: the first decodes the record, the second comes from the memo.
        const first = db.lookupParsed(v4, key, text);
        expect(first).toBe(db.lookup(text, v4 < 0));
        expect(db.lookupParsed(v4, key, text)).toBe(first);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('CountryDb.lookupParsed on a damaged file', () => {
  it('gives no answer rather than throwing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hopscope-mmdb-'));
    const file = join(dir, 'damaged.mmdb');
    copyFileSync(TEST_NETWORK_GEO_DB, file);
    const bytes = readFileSync(file);
    // The first nodes' records point at bytes that are no data record.
    bytes.fill(0xff, 0, 64);
    writeFileSync(file, bytes);
    const db = await CountryDb.open(file);
    const { v4, text } = parsed('198.18.8.1');
    expect(db.lookupParsed(v4, key, text)).toBeUndefined();
    expect(db.lookupParsed(-1, (parseIPv6('fd48:6f70:0:8::1', key), key), 'fd48:6f70:0:8::1')).toBeUndefined();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Reader } from 'mmdb-lib';
import { Enricher } from '../../../src/main/enrich/enricher';
import { enrichmentStatusSchema, responderEnrichmentSchema } from '@shared/enrichment';
import {
  TEST_NETWORK_ASN_DB,
  TEST_NETWORK_GEO_DB,
  TEST_NETWORK_OWNERS,
  testNetworkOwnerOf,
} from '../../fixtures/enrich/testNetworkOwners';
import { readFileSync } from 'node:fs';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hopscope-enricher-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const geoDate = new Reader(readFileSync(TEST_NETWORK_GEO_DB)).metadata.buildEpoch.toISOString().slice(0, 10);

describe('Enricher with the test network databases (user data only)', () => {
  const enricher = new Enricher({ asnDb: TEST_NETWORK_ASN_DB, geoDb: TEST_NETWORK_GEO_DB, shipped: false });
  beforeAll(() => enricher.load());

  it('maps every hop address of the test network to its invented owner', () => {
    for (const owner of TEST_NETWORK_OWNERS) {
      for (const link of owner.links) {
        for (const address of [
          `198.18.${link}.1`,
          `198.18.${link}.2`,
          `fd48:6f70:0:${link}::1`,
          `fd48:6f70:0:${link}::2`,
        ]) {
          const found = enricher.lookup(address);
          expect(found?.as).toMatchObject({ asn: owner.asn, organisation: owner.organisation, origin: 'user' });
          expect(found?.country).toEqual({ code: owner.country, origin: 'user', dataDate: geoDate });
          expect(responderEnrichmentSchema.parse(found)).toEqual(found);
        }
      }
    }
  });

  it('says which data it uses and how the dates were derived', () => {
    const status = enricher.status();
    expect(enrichmentStatusSchema.parse(status)).toEqual(status);
    expect(status.state).toBe('ready');
    expect(status.problems).toEqual([]);
    expect(status.sources).toEqual([
      expect.objectContaining({
        kind: 'asn',
        origin: 'user',
        file: TEST_NETWORK_ASN_DB,
        dataDateBasis: 'file-mtime',
        ranges: 8,
      }),
      expect.objectContaining({
        kind: 'country',
        origin: 'user',
        file: TEST_NETWORK_GEO_DB,
        dataDate: geoDate,
        dataDateBasis: 'mmdb-build-epoch',
      }),
    ]);
  });

  it('gives random addresses in a user range that range, and nothing outside (no shipped data here)', () => {
    const v4 = fc.ipV4().map((a) => a);
    const inNet = fc
      .tuple(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 255 }))
      .map(([n, h]) => `198.18.${n}.${h}`);
    const v6InNet = fc
      .tuple(
        fc.integer({ min: 0, max: 10 }),
        fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 4, maxLength: 4 }),
      )
      .map(([n, g]) => `fd48:6f70:0:${n.toString(16)}:${g.map((x) => x.toString(16)).join(':')}`);
    fc.assert(
      fc.property(fc.oneof(v4, inNet, v6InNet, fc.ipV6()), (address) => {
        const owner = testNetworkOwnerOf(address);
        const found = enricher.lookup(address);
        expect(found?.as?.asn).toBe(owner?.asn);
        expect(found?.country?.code).toBe(owner?.country);
      }),
      { numRuns: 500 },
    );
  });

  it('shares cached answers frozen, so no caller can change what another sees', () => {
    const found = enricher.lookup('198.18.4.2');
    expect(enricher.lookup('198.18.4.2')).toBe(found);
    expect(Object.isFrozen(found) && Object.isFrozen(found?.as) && Object.isFrozen(found?.country)).toBe(true);
  });

  it('answers {} for text that is not an address', () => {
    expect(enricher.lookup('not-an-address')).toEqual({});
    expect(enricher.lookup('198.18.1')).toEqual({});
  });
});

describe('Enricher loading', () => {
  it('returns undefined until loaded, starting the load on the first lookup', async () => {
    const enricher = new Enricher({ asnDb: TEST_NETWORK_ASN_DB, shipped: false });
    expect(enricher.status().state).toBe('idle');
    expect(enricher.lookup('198.18.1.2')).toBeUndefined();
    expect(enricher.status().state).toBe('loading');
    const status = await enricher.load();
    expect(status.state).toBe('ready');
    expect(enricher.lookup('198.18.1.2')?.as?.asn).toBe(64512);
  });

  it('dates a user CSV by its modification time', async () => {
    const file = join(dir, 'dated.csv');
    writeFileSync(file, '10.9.0.0,10.9.255.255,64999,Dated\n');
    utimesSync(file, new Date('2025-03-04T05:06:07Z'), new Date('2025-03-04T05:06:07Z'));
    const enricher = new Enricher({ asnDb: file, shipped: false });
    await enricher.load();
    expect(enricher.lookup('10.9.1.1')?.as).toEqual({
      asn: 64999,
      organisation: 'Dated',
      origin: 'user',
      dataDate: '2025-03-04',
    });
  });

  it('reports broken and missing user files by name and keeps the databases that did load', async () => {
    const badCsv = join(dir, 'bad.csv');
    writeFileSync(badCsv, '10.0.0.0,10.0.0.255,64500,A\n10.0.1.0,banana,64500,B\n');
    const badMmdb = join(dir, 'bad.mmdb');
    writeFileSync(badMmdb, 'this is not an mmdb file');
    const missing = join(dir, 'missing.mmdb');

    const broken = new Enricher({ asnDb: badCsv, geoDb: badMmdb, shipped: false });
    const status = await broken.load();
    expect(status.state).toBe('ready');
    expect(status.sources).toEqual([]);
    expect(status.problems).toEqual([
      `${badCsv}:2: last address "banana" is not an IPv4 address like the first`,
      expect.stringMatching(new RegExp(`^${badMmdb}: not a MaxMind DB \\(mmdb\\) file`)),
    ]);
    expect(broken.lookup('10.0.0.1')).toEqual({});

    const half = new Enricher({ asnDb: TEST_NETWORK_ASN_DB, geoDb: missing, shipped: false });
    const halfStatus = await half.load();
    expect(halfStatus.problems).toEqual([`${missing}: file not found`]);
    expect(half.lookup('198.18.8.2')).toEqual({
      as: expect.objectContaining({ asn: 64515, organisation: 'Hopscope "Destination" Hosting' }),
    });
  });
});

/**
 * Changing the user's databases while the app runs: a good file takes over
 * at once (cached answers are forgotten), a bad one is refused with its file,
 * line and reason while the previous data keeps answering, and the service
 * remembers only settings that were applied, re-announcing open sessions' owners.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Enricher } from '../../../src/main/enrich/enricher';
import { TraceService } from '../../../src/main/service/traceService';
import { TEST_NETWORK_ASN_DB, TEST_NETWORK_GEO_DB } from '../../fixtures/enrich/testNetworkOwners';

let dir: string;
let otherAsn: string;
let badLine: string;
let notCsv: string;
let notMmdb: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hopscope-reload-'));
  otherAsn = join(dir, 'other.csv');
  writeFileSync(otherAsn, '198.18.0.0,198.18.255.255,4200000001,Other Owner\n');
  badLine = join(dir, 'bad-line.csv');
  writeFileSync(
    badLine,
    '198.18.1.0,198.18.1.255,64512,A\n198.18.2.0,198.18.2.255,64513,B\n198.18.3.0,198.18.3.9,AS64514,C\n',
  );
  notCsv = join(dir, 'country.csv');
  copyFileSync(TEST_NETWORK_GEO_DB, notCsv);
  notMmdb = join(dir, 'asn.mmdb');
  copyFileSync(TEST_NETWORK_ASN_DB, notMmdb);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Enricher.useUserDatabases', () => {
  it('switches to new files at once, and back to none', async () => {
    const enricher = new Enricher({ asnDb: TEST_NETWORK_ASN_DB, shipped: false });
    await enricher.load();
    expect(enricher.lookup('198.18.8.1')?.as?.asn).toBe(64515);

    const switched = await enricher.useUserDatabases({ asnDb: otherAsn, geoDb: TEST_NETWORK_GEO_DB });
    expect(switched.ok).toBe(true);
    expect(enricher.lookup('198.18.8.1')?.as).toMatchObject({ asn: 4200000001, organisation: 'Other Owner' });
    expect(enricher.lookup('198.18.8.1')?.country?.code).toBe('JP');
    expect(enricher.status().sources.map((s) => [s.kind, s.file])).toEqual([
      ['asn', otherAsn],
      ['country', TEST_NETWORK_GEO_DB],
    ]);

    expect((await enricher.useUserDatabases({})).ok).toBe(true);
    expect(enricher.lookup('198.18.8.1')).toEqual({});
    expect(enricher.status()).toMatchObject({ state: 'ready', sources: [], problems: [] });
  });

  it.each([
    ['a malformed line, by number', () => ({ asnDb: badLine }), () => `${badLine}:3: AS number "AS64514"`],
    ['a missing file', () => ({ asnDb: join(dir, 'absent.csv') }), () => `${join(dir, 'absent.csv')}: file not found`],
    ['an mmdb given as AS CSV', () => ({ asnDb: notCsv }), () => `${notCsv}:1:`],
    ['a CSV given as mmdb', () => ({ geoDb: notMmdb }), () => `${notMmdb}: not a MaxMind DB (mmdb) file`],
  ])('refuses %s and keeps answering from the previous data', async (_what, files, message) => {
    const enricher = new Enricher({ asnDb: TEST_NETWORK_ASN_DB, geoDb: TEST_NETWORK_GEO_DB, shipped: false });
    await enricher.load();
    const before = enricher.status();
    const result = await enricher.useUserDatabases(files());
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join('\n')).toContain(message());
    expect(enricher.status()).toEqual(before);
    expect(enricher.lookup('198.18.8.1')?.as?.asn).toBe(64515);
    expect(enricher.lookup('198.18.8.1')?.country?.code).toBe('JP');
  });

  it('applies switches in the order asked', async () => {
    const enricher = new Enricher({ shipped: false });
    const first = enricher.useUserDatabases({ asnDb: TEST_NETWORK_ASN_DB });
    const second = enricher.useUserDatabases({ asnDb: otherAsn });
    expect((await first).ok && (await second).ok).toBe(true);
    expect(enricher.lookup('198.18.8.1')?.as?.asn).toBe(4200000001);
  });
});

describe('setEnrichmentSettings on the service', () => {
  const services: TraceService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.dispose()));
  });
  function service(saved: unknown[]) {
    const s = new TraceService({
      enrichment: { shipped: false },
      enrichmentSettings: (() => {
        let current = { asnDbPath: null as string | null, geoDbPath: null as string | null };
        return {
          get: () => current,
          set: (settings) => {
            current = settings;
            saved.push(settings);
          },
        };
      })(),
    });
    services.push(s);
    return s;
  }

  it('applies good files, says which data dates are in use, and remembers them', async () => {
    const saved: unknown[] = [];
    const s = service(saved);
    const settings = { asnDbPath: TEST_NETWORK_ASN_DB, geoDbPath: TEST_NETWORK_GEO_DB };
    const result = await s.dispatch('setEnrichmentSettings', settings);
    expect(result.ok).toBe(true);
    if (!result.ok || !result.value.applied) throw new Error('not applied');
    expect(result.value.status.sources.map((x) => [x.kind, x.origin])).toEqual([
      ['asn', 'user'],
      ['country', 'user'],
    ]);
    expect(result.value.status.sources.every((x) => /^\d{4}-\d{2}-\d{2}$/.test(x.dataDate))).toBe(true);
    expect(saved).toEqual([settings]);
    expect(await s.dispatch('getEnrichmentSettings', undefined)).toEqual({ ok: true, value: settings });
  });

  it('refuses a bad file, keeps the settings in use and saves nothing', async () => {
    const saved: unknown[] = [];
    const s = service(saved);
    const result = await s.dispatch('setEnrichmentSettings', { asnDbPath: badLine, geoDbPath: null });
    expect(result).toMatchObject({ ok: true, value: { applied: false, settings: { asnDbPath: null } } });
    if (result.ok && !result.value.applied) expect(result.value.problems[0]).toMatch(`${badLine}:3:`);
    expect(saved).toEqual([]);
  });

  it('has no file dialog outside the desktop app', async () => {
    const result = await service([]).dispatch('chooseDatabaseFile', { kind: 'asn' });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'failed', message: expect.stringMatching(/type the path/) },
    });
  });
});

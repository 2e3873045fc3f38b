import { describe, expect, it } from 'vitest';
import { formatReport } from '@shared/formats/report';
import { mtrCsvHeader, toMtrCsv } from '@shared/formats/mtrCsv';
import { formatMtrJson, toMtrJson } from '@shared/formats/mtrJson';
import { parseMtrJson } from '@shared/formats/mtrJsonImport';
import { ownerCell, ownerFootnotes } from '@shared/formats/ownerColumns';
import { withOwners } from '@shared/traceDocument';
import { parseTraceFile } from '@shared/formats/importTrace';
import { traceDocumentSchema, type Hop, type HostStats } from '@shared/traceFile';
import type { EnrichmentSource, ResponderEnrichment } from '@shared/enrichment';
import { TEST_NETWORK_OWNERS, testNetworkOwnerOf } from '../../fixtures/enrich/testNetworkOwners';
import { handMade } from './fixtures';
import { namedHost, traceDocument, silent } from '../../fixtures/traceBuilders';

const DATA_DATE = '2026-11-29';

/** What the enricher answers for a test-network address with the fixture databases loaded. */
function fixtureOwner(address: string): ResponderEnrichment {
  const owner = testNetworkOwnerOf(address);
  if (!owner) return {};
  return {
    as: { asn: owner.asn, organisation: owner.organisation, origin: 'user', dataDate: DATA_DATE },
    country: { code: owner.country, origin: 'user', dataDate: DATA_DATE },
  };
}

const fixtureSources: EnrichmentSource[] = [
  { kind: 'asn', origin: 'user', file: '/data/asn.csv', dataDate: DATA_DATE, dataDateBasis: 'file-mtime', ranges: 8 },
];

const rtt = (ms: number): Partial<HostStats> => ({ lastMs: ms, avgMs: ms, bestMs: ms, worstMs: ms, stdevMs: 0 });

/**
 * The namespace test network's path as `mtr -c 1` saw it: hop 2 silent, the
 * target at hop 6. `rtts` are the five answering hops' times.
 */
function testPath(rtts: number[], names = false): Hop[] {
  const addresses = ['198.18.1.2', null, '198.18.3.2', '198.18.4.2', '198.18.6.2', '198.18.8.2'];
  const hostNames = ['r1', null, 'r3', 'r4a', 'r5', 'target'];
  let answered = 0;
  return addresses.map((address, i) => {
    if (address === null) return silent(i + 1, 1);
    const name = names ? `${hostNames[i]}.hopscope.test` : null;
    return {
      ttl: i + 1,
      sent: 1,
      received: 1,
      lossPct: 0,
      hosts: [namedHost(address, name, 1, rtt(rtts[answered++] ?? 0))],
      samples: [],
    };
  });
}

const pathDoc = (createdAt: string, hops: Hop[]) =>
  traceDocument(hops, {
    createdAt,
    target: { input: '198.18.8.2', address: '198.18.8.2', ipVersion: 4 },
    options: { protocol: 'icmp', firstTtl: 1, maxTtl: 30, count: 1, intervalSec: 1, timeoutSec: 10, dns: false },
    rounds: 1,
  });

/** Every responder looked up and unknown, as the shipped data answers for the test network's private space. */
const unknownOwners = (hops: Hop[]) => withOwners(pathDoc('2026-11-29T14:36:32Z', hops), () => ({}), []).hops;

// ---- Byte for byte against real mtr 0.95 with -z / -y 2 on the namespace test network ----
// (mtr's DNS lookups of origin.asn.cymru.com fail inside the namespace, so every hop is AS???;
// Hopscope's shipped data gives private addresses no AS either.)

describe('owner columns against real mtr 0.95', () => {
  it('mtr -z -r -w: AS column before the name, header widened by the cell', () => {
    const doc = {
      ...pathDoc('2026-11-29T14:36:32Z', []),
      hops: unknownOwners(testPath([0.1, 0.1, 0.1, 0.1, 0.1], true)),
    };
    expect(formatReport(doc, { localHost: 'vm', wide: true, mtrCompat: true, owners: ['as'] })).toBe(
      [
        'Start: 2026-11-29T14:36:32+0000',
        'HOST: vm                            Loss%   Snt   Last   Avg  Best  Wrst StDev',
        '  1. AS???    r1.hopscope.test       0.0%     1    0.1   0.1   0.1   0.1   0.0',
        '  2. AS???    ???                   100.0     1    0.0   0.0   0.0   0.0   0.0',
        '  3. AS???    r3.hopscope.test       0.0%     1    0.1   0.1   0.1   0.1   0.0',
        '  4. AS???    r4a.hopscope.test      0.0%     1    0.1   0.1   0.1   0.1   0.0',
        '  5. AS???    r5.hopscope.test       0.0%     1    0.1   0.1   0.1   0.1   0.0',
        '  6. AS???    target.hopscope.test   0.0%     1    0.1   0.1   0.1   0.1   0.0',
        '',
      ].join('\n'),
    );
  });

  it('mtr -z -r and -y 2 -r: the cells push the name, which is cut at column 33', () => {
    const doc = {
      ...pathDoc('2026-11-29T14:36:27Z', []),
      hops: unknownOwners(testPath([0.04, 0.1, 0.1, 0.1, 0.1])),
    };
    const asReport = formatReport(doc, { localHost: 'vm', mtrCompat: true, owners: ['as'] }).split('\n');
    expect(asReport.slice(1, 4)).toEqual([
      'HOST: vm                          Loss%   Snt   Last   Avg  Best  Wrst StDev',
      '  1. AS???    198.18.1.2           0.0%     1    0.0   0.0   0.0   0.0   0.0',
      '  2. AS???    ???                 100.0     1    0.0   0.0   0.0   0.0   0.0',
    ]);
    const countryReport = formatReport(doc, { localHost: 'vm', mtrCompat: true, owners: ['country'] }).split('\n');
    expect(countryReport.slice(2, 5)).toEqual([
      '  1. ??? 198.18.1.2                0.0%     1    0.0   0.0   0.0   0.0   0.0',
      '  2. ??? ???                      100.0     1    0.0   0.0   0.0   0.0   0.0',
      '  3. ??? 198.18.3.2                0.0%     1    0.1   0.1   0.1   0.1   0.0',
    ]);
  });

  it('mtr -z --csv: an Asn column after Ip', () => {
    const doc = {
      ...pathDoc(new Date(1795963010_000).toISOString(), []),
      hops: unknownOwners(testPath([0.06, 0.08, 0.07, 0.09, 0.09])),
    };
    expect(toMtrCsv(doc, { mtrCompat: true, owners: ['as'] })).toBe(
      [
        'Mtr_Version,Start_Time,Status,Host,Hop,Ip,Asn,Loss%,Snt, ,Last,Avg,Best,Wrst,StDev,',
        'HOPSCOPE.0.1.0,1795963010,OK,198.18.8.2,1,198.18.1.2,AS???,0.00,1,0,0.06,0.06,0.06,0.06,0.00',
        'HOPSCOPE.0.1.0,1795963010,OK,198.18.8.2,2,???,AS???,100.00,1,1,0.00,0.00,0.00,0.00,0.00',
        'HOPSCOPE.0.1.0,1795963010,OK,198.18.8.2,3,198.18.3.2,AS???,0.00,1,0,0.08,0.08,0.08,0.08,0.00',
        'HOPSCOPE.0.1.0,1795963010,OK,198.18.8.2,4,198.18.4.2,AS???,0.00,1,0,0.07,0.07,0.07,0.07,0.00',
        'HOPSCOPE.0.1.0,1795963010,OK,198.18.8.2,5,198.18.6.2,AS???,0.00,1,0,0.09,0.09,0.09,0.09,0.00',
        'HOPSCOPE.0.1.0,1795963010,OK,198.18.8.2,6,198.18.8.2,AS???,0.00,1,0,0.09,0.09,0.09,0.09,0.00',
        '',
      ].join('\n'),
    );
  });

  it('mtr -z --json: an ASN key after host; -y 2 adds no key', () => {
    const doc = {
      ...pathDoc('2026-11-29T14:36:40Z', []),
      hops: unknownOwners(testPath([0.063, 0.079, 0.062, 0.091, 0.089])),
    };
    const text = formatMtrJson(doc, { localHost: 'vm', owners: ['as'] });
    expect(text.split('\n').slice(11, 23)).toEqual([
      '            {',
      '                "count": 1,',
      '                "host": "198.18.1.2",',
      '                "ASN": "AS???",',
      '                "Loss%": 0.0,',
      '                "Snt": 1,',
      '                "Last": 0.063,',
      '                "Avg": 0.063,',
      '                "Best": 0.063,',
      '                "Wrst": 0.063,',
      '                "StDev": 0.0',
      '            },',
    ]);
    expect(text.match(/"ASN": "AS\?\?\?"/g)).toHaveLength(6);
    // An mtr -z report still opens (the ASN text has no organisation or data date to keep).
    const opened = parseMtrJson(JSON.parse(text));
    expect(opened.ok && opened.doc.hops.map((h) => h.hosts[0]?.address ?? null)).toEqual(
      doc.hops.map((h) => h.hosts[0]?.address ?? null),
    );
    expect(formatMtrJson(doc, { localHost: 'vm', owners: ['country'] })).toBe(formatMtrJson(doc, { localHost: 'vm' }));
  });
});

describe('owner columns with known owners', () => {
  const owned = withOwners(pathDoc('2026-11-29T14:36:32Z', testPath([1, 2, 3, 4, 5])), fixtureOwner, fixtureSources);

  it('shows each hop’s AS and country, mtr style, and names the organisations under the report', () => {
    const report = formatReport(owned, { localHost: 'vm', owners: ['as', 'country'] }).split('\n');
    expect(report.slice(2, 8).map((l) => l.slice(0, 33))).toEqual([
      '  1. AS64512  NL  198.18.1.2     ',
      '  2. AS???    ??? ???            ',
      '  3. AS64513  NL  198.18.3.2     ',
      '  4. AS64514  DE  198.18.4.2     ',
      '  5. AS64514  DE  198.18.6.2     ',
      '  6. AS64515  JP  198.18.8.2     ',
    ]);
    const owners = report.slice(report.indexOf('Owners:') + 1, -1);
    expect(owners).toEqual([
      `  AS64512 Hopscope Test Home Network, NL (user data of ${DATA_DATE}): hop 1`,
      `  AS64513 Hopscope Test Access ISP, NL (user data of ${DATA_DATE}): hop 3`,
      `  AS64514 Hopscope Test Transit, Inc., DE (user data of ${DATA_DATE}): hops 4, 5`,
      `  AS64515 Hopscope "Destination" Hosting, JP (user data of ${DATA_DATE}): hop 6`,
    ]);
    // mtr's exact text has no footnotes.
    expect(formatReport(owned, { owners: ['as'], mtrCompat: true })).not.toContain('Owners:');
    // Without owner columns nothing changes, owners in the document or not.
    expect(formatReport(owned, { localHost: 'vm' })).toBe(
      formatReport(pathDoc('2026-11-29T14:36:32Z', testPath([1, 2, 3, 4, 5])), { localHost: 'vm' }),
    );
  });

  it('puts the AS in mtr JSON and CSV, and a Country column only in Hopscope’s own CSV', () => {
    expect(toMtrJson(owned, { owners: ['as', 'country'] }).report.hubs.map((h) => h.ASN)).toEqual([
      'AS64512',
      'AS???',
      'AS64513',
      'AS64514',
      'AS64514',
      'AS64515',
    ]);
    expect(toMtrJson(owned).report.hubs[0]).not.toHaveProperty('ASN');
    const csv = toMtrCsv(owned, { owners: ['as', 'country'] }).split('\n');
    expect(csv[0]).toBe(mtrCsvHeader(['as', 'country']));
    expect(csv[0]).toBe('Mtr_Version,Start_Time,Status,Host,Hop,Ip,Asn,Country,Loss%,Snt, ,Last,Avg,Best,Wrst,StDev,');
    expect(csv[1]).toMatch(/,1,198\.18\.1\.2,AS64512,NL,0\.00,/);
    expect(csv[6]).toMatch(/,6,198\.18\.8\.2,AS64515,JP,0\.00,/);
    const compat = toMtrCsv(owned, { owners: ['as', 'country'], mtrCompat: true }).split('\n');
    expect(compat[0]).toBe(mtrCsvHeader(['as']));
    expect(compat[1]).toMatch(/,1,198\.18\.1\.2,AS64512,0\.00,/);
  });

  it('lists a further ECMP responder once with its own owner (mtr, compat: twice)', () => {
    const ecmp = withOwners(handMade, (a) => (a === '203.0.113.6' ? fixtureOwner('198.18.5.2') : {}), []);
    const ours = formatReport(ecmp, { localHost: 'testbox', owners: ['as'] }).split('\n');
    expect(ours[4]).toMatch(/^ {2}3\. AS\?\?\? {4}203\.0\.113\.5/);
    expect(ours[5]).toBe('     AS64514  ae1.core.example.net');
    const theirs = formatReport(ecmp, { localHost: 'testbox', owners: ['as'], mtrCompat: true }).split('\n');
    expect(theirs.slice(5, 7)).toEqual([
      '        ae1.core.example.net             ',
      '     AS64514  ae1.core.example.net',
    ]);
    // -w CSV rows carry each responder's own AS.
    const wideCsv = toMtrCsv(ecmp, { owners: ['as'], wide: true, mtrCompat: true }).split('\n');
    expect(wideCsv.filter((l) => l.includes(',3,'))).toEqual([
      expect.stringContaining(',3,203.0.113.5,AS???,'),
      expect.stringContaining(',3,ae1.core.example.net,AS64514,'),
    ]);
  });

  it('lets a long AS number overflow its cell, as printf does', () => {
    const big: ResponderEnrichment = {
      as: { asn: 4200000001, organisation: 'x', origin: 'user', dataDate: DATA_DATE },
    };
    expect(ownerCell('as', big)).toBe('AS4200000001');
    const doc = withOwners(traceDocument([handMade.hops[0]!]), () => big, []);
    expect(formatReport(doc, { owners: ['as'] }).split('\n')[2]).toMatch(/^ {2}1\. AS4200000001router\.lan/);
  });

  it('keeps hostile organisation names out of the terminal', () => {
    const hostile: ResponderEnrichment = {
      as: { asn: 64500, organisation: 'Evil\u001b[2JCorp', origin: 'user', dataDate: DATA_DATE },
    };
    const doc = withOwners(traceDocument([handMade.hops[0]!]), () => hostile, []);
    expect(ownerFootnotes(doc.hops).join('\n')).not.toContain('\u001b');
  });
});

describe('owners in the trace document', () => {
  it('records owners and their data, and reads back the same', () => {
    const doc = withOwners(pathDoc('2026-11-29T14:36:32Z', testPath([1, 2, 3, 4, 5])), fixtureOwner, fixtureSources);
    const back = traceDocumentSchema.parse(JSON.parse(JSON.stringify(doc)));
    expect(back).toEqual(doc);
    // Opening the saved file (the app's path) shows the same owners, whatever data this machine has.
    const opened = parseTraceFile(JSON.stringify(doc, null, 2));
    expect(opened.ok && opened.doc).toEqual(doc);
    expect(back.enrichment).toEqual(fixtureSources);
    expect(back.hops.map((h) => h.hosts[0]?.owner?.as?.asn)).toEqual([64512, undefined, 64513, 64514, 64514, 64515]);
    expect(new Set(TEST_NETWORK_OWNERS.map((o) => o.asn))).toEqual(
      new Set(back.hops.flatMap((h) => h.hosts.map((x) => x.owner?.as?.asn))),
    );
  });

  it('reads version-1 files without owners, and rejects a malformed owner with its path', () => {
    expect(traceDocumentSchema.safeParse(handMade).success).toBe(true);
    const bad = withOwners(handMade, () => ({ country: { code: 'nl', origin: 'user', dataDate: DATA_DATE } }), []);
    const result = traceDocumentSchema.safeParse(JSON.parse(JSON.stringify(bad)));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['hops', 0, 'hosts', 0, 'owner', 'country', 'code']);
  });

  it('leaves a responder without an owner while the data is still loading, never guesses', () => {
    const doc = withOwners(handMade, () => undefined, []);
    expect(doc.hops.flatMap((h) => h.hosts).every((h) => !('owner' in h))).toBe(true);
    expect(doc).not.toHaveProperty('enrichment');
    expect(formatReport(doc, { owners: ['as'] })).toMatch(/ {2}1\. AS\?\?\? {4}router\.lan/);
  });
});

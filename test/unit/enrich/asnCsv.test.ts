import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAsnCsv } from '../../../src/main/enrich/asnCsv';
import { EnrichmentDataError } from '../../../src/main/enrich/enrichmentDataError';
import { parseIPv4 } from '../../../src/main/enrich/ipKey';

let dir: string;
let fileNumber = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hopscope-asn-csv-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function csvFile(text: string): string {
  const file = join(dir, `user-${fileNumber++}.csv`);
  writeFileSync(file, text);
  return file;
}

async function problem(text: string): Promise<EnrichmentDataError> {
  const file = csvFile(text);
  const error = await loadAsnCsv([file]).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EnrichmentDataError);
  expect((error as EnrichmentDataError).file).toBe(file);
  return error as EnrichmentDataError;
}

describe('loadAsnCsv', () => {
  it('reads both families, quoted organisations, CRLF and unsorted lines', async () => {
    const file = csvFile(
      [
        '2001:db8:1::,2001:db8:1:ffff:ffff:ffff:ffff:ffff,64501,"Example ""Six"", Ltd"',
        '10.0.1.0,10.0.1.255,64500,Plain Org',
        '10.0.0.0,10.0.0.255,4200000000,"Comma, Inc."',
        '',
      ].join('\r\n'),
    );
    const { table } = await loadAsnCsv([file]);
    expect(table.rangeCount).toBe(3);
    expect(table.lookupV4(parseIPv4('10.0.0.7'))).toEqual({ asn: 4200000000, organisation: 'Comma, Inc.' });
    expect(table.lookupV4(parseIPv4('10.0.1.255'))).toEqual({ asn: 64500, organisation: 'Plain Org' });
    expect(table.lookupV4(parseIPv4('10.0.2.0'))).toBeUndefined();
    expect(table.lookupV6(Uint32Array.of(0x20010db8, 0x0001ffff, 0, 1))).toEqual({
      asn: 64501,
      organisation: 'Example "Six", Ltd',
    });
    expect(table.lookupV6(Uint32Array.of(0x20010db8, 0x00020000, 0, 0))).toBeUndefined();
  });

  it.each([
    ['10.0.0.0,10.0.0.255,64500', 1, 'expected 4 fields'],
    ['10.0.0.0,10.0.0.255,64500,A\n10.0.1.0,10.0.1.255,AS64500,B', 2, 'AS number "AS64500" is not a whole number'],
    ['10.0.0.0,10.0.0.255,64500,A\n10.0.1.0,10.0.1.255,4294967296,B', 2, 'not a whole number from 0 to 4294967295'],
    ['10.0.0.x,10.0.0.255,64500,A', 1, 'first address "10.0.0.x" is not an IP address'],
    ['10.0.0.0,2001:db8::,64500,A', 1, 'last address "2001:db8::" is not an IPv4 address'],
    ['2001:db8::,10.0.0.255,64500,A', 1, 'last address "10.0.0.255" is not an IPv6 address'],
    ['10.0.0.9,10.0.0.1,64500,A', 1, 'first address is after last address'],
    ['10.0.0.0,10.0.0.255,64500,"Open quote', 1, 'does not close'],
    ['10.0.0.0,10.0.0.255,64500,"Stray " quote"', 1, 'stray quote'],
    ['10.0.0.0,10.0.0.255,64500,A\n\n10.0.0.128,10.0.1.0,64501,B', 3, 'overlaps the range on line 1'],
    ['10.0.5.0,10.0.5.255,64500,A\n10.0.0.0,10.0.9.0,64501,B', 2, 'overlaps the range on line 1'],
  ])('names the line of a malformed file: %j', async (text, line, reason) => {
    const error = await problem(text);
    expect(error.line).toBe(line);
    expect(error.message).toContain(`:${line}: `);
    expect(error.message).toContain(reason);
  });

  it('says so for a missing file, a directory, an empty file and an over-long line', async () => {
    const missing = join(dir, 'no-such.csv');
    await expect(loadAsnCsv([missing])).rejects.toThrow(`${missing}: file not found`);
    await expect(loadAsnCsv([dir])).rejects.toThrow(`${dir}: is a directory, not a file`);
    expect((await problem('')).message).toMatch(/: file is empty$/);
    expect((await problem(`10.0.0.0,10.0.0.1,1,${'x'.repeat(5000)}\n`)).reason).toMatch(/line longer than/);
  });

  it('drops overlapping ranges and filtered AS numbers when asked (shipped data), counting them', async () => {
    const file = csvFile(
      [
        '10.0.0.0,10.0.0.255,64500,A',
        '10.0.0.128,10.0.1.255,64501,B',
        '10.0.2.0,10.0.2.255,65000,C',
        '10.0.3.0,10.0.3.255,64502,D',
      ].join('\n'),
    );
    const result = await loadAsnCsv([file], { onOverlap: 'drop', keepAsn: (asn) => asn !== 65000 });
    expect(result.droppedOverlaps).toBe(2);
    expect(result.droppedAsn).toBe(1);
    expect(result.table.lookupV4(parseIPv4('10.0.0.1'))).toBeUndefined();
    expect(result.table.lookupV4(parseIPv4('10.0.2.1'))).toBeUndefined();
    expect(result.table.lookupV4(parseIPv4('10.0.3.1'))?.asn).toBe(64502);
  });

  it('maps every address inside a range to it and every address between ranges to nothing', async () => {
    // Disjoint ranges: sorted random cut points, every other gap is a range.
    const cuts = fc.uniqueArray(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 2, maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(
        cuts,
        fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 50 }),
        async (raw, probes) => {
          const points = [...raw].sort((a, b) => a - b);
          const ranges: [number, number, number][] = [];
          for (let i = 0; i + 1 < points.length; i += 2) ranges.push([points[i] ?? 0, points[i + 1] ?? 0, 64512 + i]);
          const quad = (n: number): string => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
          const shuffled = [...ranges].reverse();
          const { table } = await loadAsnCsv([
            csvFile(shuffled.map(([a, b, asn]) => `${quad(a)},${quad(b)},${asn},AS${asn}`).join('\n')),
          ]);
          for (const [a, b, asn] of ranges) {
            for (const probe of [a, b, a + Math.floor((b - a) / 2)]) expect(table.lookupV4(probe)?.asn).toBe(asn);
          }
          for (const probe of probes) {
            const owner = ranges.find(([a, b]) => probe >= a && probe <= b);
            expect(table.lookupV4(probe)?.asn).toBe(owner?.[2]);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

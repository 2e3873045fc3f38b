import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseTraceFile } from '@shared/formats/importTrace';
import { hopName, startTime } from '@shared/formats/common';
import { toMtrCsv } from '@shared/formats/mtrCsv';
import { traceDocumentSchema } from '@shared/traceFile';
import { handMade } from './fixtures';

const FIXTURES = resolve(__dirname, '../../fixtures/mtr');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

function open(text: string) {
  const r = parseTraceFile(text);
  if (!r.ok) throw new Error(`expected success, got: ${r.error}`);
  expect(traceDocumentSchema.safeParse(r.doc).success).toBe(true);
  return r;
}
function refused(text: string): string {
  const r = parseTraceFile(text);
  expect(r.ok).toBe(false);
  return r.ok ? '' : r.error;
}

// The namespace path every fixture was written on: hop 2 silent, the target at hop 6.
const PATH = ['198.18.1.2', '???', '198.18.3.2', '198.18.4.2', '198.18.6.2', '198.18.8.2'];

describe('real mtr 0.95 files', () => {
  it.each([
    ['mtr-0.95.json', 'mtr-json'],
    ['mtr-0.95.csv', 'mtr-csv'],
    ['mtr-0.95.xml', 'mtr-xml'],
    ['mtr-0.95.raw', 'mtr-raw'],
  ])('opens %s with the same path, loss and target', (name, format) => {
    const { doc, sourceFormat } = open(fixture(name));
    expect(sourceFormat).toBe(format);
    const listed = doc.hops.filter((h) => h.ttl <= 6);
    expect(listed.map((h) => hopName(h))).toEqual(PATH);
    expect(listed.map((h) => h.lossPct)).toEqual([0, 100, 0, 0, 0, 0]);
    expect(listed.map((h) => h.sent)).toEqual([3, 3, 3, 3, 3, 3]);
    expect(doc.target.address).toBe('198.18.8.2');
    expect(doc.destinationReached).toBe(true);
    expect(doc.tool.name).toBe('mtr');
  });

  it('never invents what mtr did not record: protocol, interval, timeout, TTL range', () => {
    for (const name of ['mtr-0.95.json', 'mtr-0.95.csv', 'mtr-0.95.xml', 'mtr-0.95.raw', 'mtr-0.95-show-ips-v6.json']) {
      const { options } = open(fixture(name)).doc;
      for (const key of ['protocol', 'intervalSec', 'timeoutSec', 'firstTtl', 'maxTtl'] as const) {
        expect(options[key], `${name}: ${key}`).toBeUndefined();
      }
    }
  });

  it("records the file's own time when it has one, and none otherwise (never the time of opening)", () => {
    const csv = open(fixture('mtr-0.95.csv')).doc;
    expect(csv.startedAt).toBe(new Date(1795960100 * 1000).toISOString());
    expect(startTime(csv)).toBe(csv.startedAt);
    for (const name of ['mtr-0.95.json', 'mtr-0.95.xml', 'mtr-0.95.raw']) {
      const doc = open(fixture(name)).doc;
      expect(doc.createdAt).toBeUndefined();
      expect(startTime(doc)).toBeNull();
    }
  });

  it("keeps the header mtr did record: tests, size, pattern, TOS and the machine's name", () => {
    for (const name of ['mtr-0.95.json', 'mtr-0.95.xml']) {
      const doc = open(fixture(name)).doc;
      expect(doc.options).toEqual({ count: 3, size: 64, bitPattern: 0, tos: 0 });
      expect(doc.rounds).toBe(3);
      expect(doc.host).toBe('vm');
    }
    const v6 = open(fixture('mtr-0.95-show-ips-v6.json')).doc;
    expect(v6.target).toEqual({ input: 'target.hopscope.test', address: 'fd48:6f70:0:8::2', ipVersion: 6 });
    expect(v6.hops[0]?.hosts[0]).toMatchObject({ address: 'fd48:6f70:0:1::2', hostname: 'r1.hopscope.test' });
    expect(v6.options.dns).toBe(true);
  });

  it('keeps every sample of a raw log, in rounds, with its responder', () => {
    const doc = open(fixture('mtr-0.95.raw')).doc;
    const first = doc.hops[0]!;
    expect(first.samples.map((s) => [s.round, s.rttMs, s.result])).toEqual([
      [0, 0.073, 'ttl-expired'],
      [1, 0.071, 'ttl-expired'],
      [2, 0.061, 'ttl-expired'],
    ]);
    expect(first.hosts[0]).toMatchObject({ address: '198.18.1.2', received: 3, bestMs: 0.061, worstMs: 0.073 });
    expect(doc.hops[1]!.samples.every((s) => s.result === 'no-reply' && s.rttMs === null)).toBe(true);
    // mtr probed one TTL past the target in its first round; the target answered both.
    expect(doc.hops[5]!.samples.every((s) => s.result === 'reply')).toBe(true);
    expect(doc.hops.map((h) => h.ttl)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('reads CSV figures by column name and the --report-wide rows as further responders', () => {
    const back = open(toMtrCsv(handMade, { wide: true })).doc;
    expect(back.tool.name).toBe('hopscope');
    expect(back.hops.map((h) => h.hosts.map((x) => x.hostname ?? x.address))).toEqual([
      ['router.lan'],
      [],
      ['203.0.113.5', 'ae1.core.example.net'],
      ['example.net'],
    ]);
    expect(back.hops[3]).toMatchObject({ sent: 10, lossPct: 10, received: 9 });
    expect(back.hops[3]!.hosts[0]!.avgMs).toBe(31.5);
  });
});

describe('files that are not trace files', () => {
  it('names an mtr text report and says how to get a JSON one', () => {
    const error = refused(fixture('mtr-0.95-report.txt'));
    expect(error).toMatch(/^an mtr text report \(mtr -r \/ --report\)/);
    expect(error).toContain('mtr --json');
    expect(error).not.toMatch(/JSON at line|position/);
  });

  it('names other mtr and traceroute text outputs', () => {
    expect(refused('MTR.0.86;1435562787;OK;nic.is;1;10.0.0.1;288\n')).toMatch(/old semicolon layout.*--json/);
    expect(
      refused('traceroute to example.net (192.0.2.1), 30 hops max, 60 byte packets\n 1  a (10.0.0.1)  0.1 ms\n'),
    ).toMatch(/^traceroute text output/);
  });

  it('says "not a trace file" and what a PNG is, however it was decoded', () => {
    const png = readFileSync(resolve(__dirname, '../../../docs/screenshots/ui-empty.png'));
    for (const text of [png.toString('utf8'), png.toString('latin1')]) {
      const error = refused(text);
      expect(error).toMatch(/^not a trace file: it looks like a PNG image; open a Hopscope trace/);
    }
    // A JFIF header as cameras and editors write it.
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
    for (const text of [jpeg.toString('utf8'), jpeg.toString('latin1')]) expect(refused(text)).toMatch(/a JPEG image/);
    expect(refused(Buffer.from([0, 1, 2, 3, 0xfe, 0xfd, 5, 6, 7, 8]).toString('utf8'))).toMatch(/a binary file/);
    expect(refused('%PDF-1.7\n...')).toMatch(/a PDF document/);
    expect(refused('<!DOCTYPE html><html></html>')).toMatch(/an HTML page/);
    expect(refused('<?xml version="1.0"?><svg></svg>')).toMatch(/an SVG image/);
    expect(refused('hello, this is a shopping list\n')).toBe(
      'not a trace file; open a Hopscope trace, or an mtr report written with --json, --csv, --xml or --raw, or a Trippy --mode json report',
    );
  });

  it('names the line of a broken CSV, XML or raw file', () => {
    const csv = fixture('mtr-0.95.csv').replace(',0.00,3,0,0.14', ',abc,3,0,0.14');
    expect(refused(csv)).toBe('mtr CSV report: line 7: Loss%: expected a number, found "abc"');
    const farFuture = open(fixture('mtr-0.95.csv').replaceAll('1795960100', '99999999999999999')).doc;
    expect(farFuture.startedAt).toBeUndefined();
    expect(refused(fixture('mtr-0.95.xml').replace('COUNT="3"', 'COUNT="300"'))).toBe(
      'mtr XML report: <HUB> 3: COUNT must be a hop number from 1 to 255, found "300"',
    );
    expect(refused(fixture('mtr-0.95.xml').replace('</MTR>', ''))).toBe(
      'mtr XML report: the report is cut short (no closing </MTR>)',
    );
    expect(refused(fixture('mtr-0.95.raw').replace('p 0 73 33000', 'p 0 7x3 33000'))).toMatch(
      /^mtr raw log: line \d+: /,
    );
  });

  it('never throws, whatever follows a recognised start (property)', () => {
    const starts = [
      'Mtr_Version,Start_Time,Status,Host,Hop,Ip,Loss%,Snt,\n',
      '<?xml version="1.0"?>\n<MTR ',
      'x 0 1\n',
      'h 0 ',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...starts), fc.string({ maxLength: 300 }), (start, rest) => {
        const r = parseTraceFile(start + rest);
        if (r.ok) expect(traceDocumentSchema.safeParse(r.doc).success).toBe(true);
        else expect(r.error.length).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { formatReport } from '@shared/formats/report';
import { MTR_CSV_HEADER, toMtrCsv } from '@shared/formats/mtrCsv';
import { formatMtrJson, toMtrJson } from '@shared/formats/mtrJson';
import { cFixed, jsonReal, mtrIsoTime, reportHops, summarizeHop } from '@shared/formats/common';
import type { Hop } from '@shared/traceFile';
import { handMade } from './fixtures';
import { namedHost, traceDocument, silent } from '../../fixtures/traceBuilders';

const st = (last: number, avg: number, best: number, worst: number, stdev: number) => ({
  lastMs: last,
  avgMs: avg,
  bestMs: best,
  worstMs: worst,
  stdevMs: stdev,
});

describe('printf-compatible number formatting', () => {
  it('rounds exact binary ties to even like glibc', () => {
    expect(cFixed(0.25, 1)).toBe('0.2');
    expect(cFixed(0.75, 1)).toBe('0.8');
    expect(cFixed(30.25, 1)).toBe('30.2');
    expect(cFixed(2.5, 0)).toBe('2');
    expect(cFixed(0.125, 2)).toBe('0.12');
    expect(cFixed(0.45, 1)).toBe('0.5'); // 0.45 is slightly above the tie in binary
    expect(cFixed(100, 1)).toBe('100.0');
  });

  it('writes reals like jansson with %.5g', () => {
    expect(jsonReal(0)).toBe('0.0');
    expect(jsonReal(100)).toBe('100.0');
    expect(jsonReal(0.054)).toBe('0.054');
    expect(jsonReal(0.09)).toBe('0.09');
    expect(jsonReal(12345.678)).toBe('12346.0');
    expect(jsonReal(123456.7)).toBe('1.2346e+05');
    expect(jsonReal(0.00001234)).toBe('1.234e-05');
  });

  it("prints mtr's Start time in the document's own offset", () => {
    expect(mtrIsoTime('2026-03-01T12:00:00.000+01:00')).toBe('2026-03-01T12:00:00+0100');
    expect(mtrIsoTime('2026-11-22T02:34:40Z')).toBe('2026-11-22T02:34:40+0000');
    expect(mtrIsoTime('2026-01-01T00:30:00-05:30')).toBe('2026-01-01T00:30:00-0530');
  });
});

describe('hop selection and pooling', () => {
  it('pools ECMP responders like mtr (one set of figures per TTL)', () => {
    const s = summarizeHop(handMade.hops[2] as Hop);
    expect(s.avgMs).toBe(14);
    expect(s.stdevMs).toBeCloseTo(Math.sqrt(257 / 9), 12);
    expect(s.bestMs).toBe(8.5);
    expect(s.worstMs).toBe(23.9);
    expect(s.lastMs).toBe(21.4);
    expect(s.dropped).toBe(0);
    expect(summarizeHop(handMade.hops[3] as Hop).dropped).toBe(1);
    expect(summarizeHop(handMade.hops[1] as Hop)).toMatchObject({ dropped: 10, avgMs: null, stdevMs: null });
  });

  it('lists hops up to the destination, or one silent hop past the last answer', () => {
    const beyond = traceDocument([...handMade.hops, silent(5, 10)]);
    expect(reportHops(beyond).map((h) => h.ttl)).toEqual([1, 2, 3, 4]);
    const lost = traceDocument([...handMade.hops.slice(0, 3), silent(4, 10), silent(5, 10), silent(6, 10)], {
      destinationReached: false,
    });
    expect(reportHops(lost).map((h) => h.ttl)).toEqual([1, 2, 3, 4]);
    expect(reportHops(traceDocument([silent(1, 3), silent(2, 3)])).map((h) => h.ttl)).toEqual([1]);
    expect(reportHops(traceDocument([]))).toEqual([]);
  });
});

// ---- Byte-for-byte against real mtr 0.95 output ----
// Captured from `mtr -u` on a namespace path: a router that never sends
// time-exceeded, an ECMP pair (one with a hosts-file name) and the destination.
// The documents below hold figures that print the same at mtr's precision.

const real = {
  report: [
    'Start: 2026-11-22T02:34:40+0000',
    'HOST: vm                          Loss%   Snt   Last   Avg  Best  Wrst StDev',
    '  1.|-- ???                       100.0    12    0.0   0.0   0.0   0.0   0.0',
    '  2.|-- 10.231.3.2                 0.0%    12    0.1   0.1   0.1   0.3   0.1',
    '        branch-a.hsfmt.test              ',
    '  3.|-- dest.hsfmt.test            0.0%    12    0.1   0.1   0.1   0.2   0.0',
    '',
  ].join('\n'),
  wide: [
    'Start: 2026-11-22T02:34:50+0000',
    'HOST: vm                  Loss%   Snt   Last   Avg  Best  Wrst StDev',
    '  1.|-- ???                 100.0    12    0.0   0.0   0.0   0.0   0.0',
    '  2.|-- branch-a.hsfmt.test  0.0%    12    0.1   0.1   0.1   0.1   0.0',
    '        10.231.3.2         ',
    '  3.|-- dest.hsfmt.test      0.0%    12    0.1   0.1   0.1   0.1   0.0',
    '',
  ].join('\n'),
  csvWide: [
    'Mtr_Version,Start_Time,Status,Host,Hop,Ip,Loss%,Snt, ,Last,Avg,Best,Wrst,StDev,',
    'MTR.0.95,1795314923,OK,10.231.9.1,1,???,100.00,12,12,0.00,0.00,0.00,0.00,0.00',
    'MTR.0.95,1795314923,OK,10.231.9.1,2,branch-a.hsfmt.test,0.00,12,0,0.09,0.09,0.07,0.12,0.01',
    'MTR.0.95,1795314923,OK,10.231.9.1,2,10.231.3.2,0.00,12,0,0.09,0.09,0.07,0.12,0.01',
    'MTR.0.95,1795314923,OK,10.231.9.1,3,dest.hsfmt.test,0.00,12,0,0.10,0.14,0.08,0.70,0.17',
    '',
  ].join('\n'),
  json: `{
    "report": {
        "mtr": {
            "src": "vm",
            "dst": "10.231.9.1",
            "tos": 0,
            "tests": 4,
            "psize": "64",
            "bitpattern": "0x00"
        },
        "hubs": [
            {
                "count": 1,
                "host": "???",
                "Loss%": 100.0,
                "Snt": 4,
                "Last": 0.0,
                "Avg": 0.0,
                "Best": 0.0,
                "Wrst": 0.0,
                "StDev": 0.0
            },
            {
                "count": 2,
                "host": "branch-a.hsfmt.test",
                "Loss%": 0.0,
                "Snt": 4,
                "Last": 0.108,
                "Avg": 0.094,
                "Best": 0.09,
                "Wrst": 0.108,
                "StDev": 0.009
            },
            {
                "count": 3,
                "host": "dest.hsfmt.test",
                "Loss%": 0.0,
                "Snt": 4,
                "Last": 0.098,
                "Avg": 0.099,
                "Best": 0.096,
                "Wrst": 0.108,
                "StDev": 0.005
            }
        ]
    }
}
`,
};

const namespaceDoc = (createdAt: string, sent: number, hop2: Hop['hosts'], hop3: Hop['hosts'][number], count = sent) =>
  traceDocument(
    [
      silent(1, sent),
      { ttl: 2, sent, received: sent, lossPct: 0, hosts: hop2, samples: [] },
      { ttl: 3, sent, received: sent, lossPct: 0, hosts: [hop3], samples: [] },
    ],
    {
      createdAt,
      tool: { name: 'hopscope', version: '0.95', mtrPacketVersion: '0.95' },
      target: { input: '10.231.9.1', address: '10.231.9.1', ipVersion: 4 },
      options: { protocol: 'udp', firstTtl: 1, maxTtl: 30, count, intervalSec: 0.1, timeoutSec: 10, dns: true },
    },
  );

describe('mtr --report', () => {
  it('matches real mtr output for a silent hop and an ECMP hop', () => {
    const doc = namespaceDoc(
      '2026-11-22T02:34:40+00:00',
      12,
      [
        namedHost('10.231.3.2', null, 7, st(0.1, 0.12, 0.08, 0.3, 0.08)),
        namedHost('10.231.2.2', 'branch-a.hsfmt.test', 5, st(0.1, 0.1, 0.09, 0.12, 0.02)),
      ],
      namedHost('10.231.9.1', 'dest.hsfmt.test', 12, st(0.1, 0.1, 0.09, 0.2, 0.03)),
    );
    expect(formatReport(doc, { localHost: 'vm', mtrCompat: true })).toBe(real.report);
  });

  it('matches real mtr --report-wide output', () => {
    const doc = namespaceDoc(
      '2026-11-22T02:34:50Z',
      12,
      [
        namedHost('10.231.2.2', 'branch-a.hsfmt.test', 6, st(0.1, 0.1, 0.08, 0.12, 0.01)),
        namedHost('10.231.3.2', null, 6, st(0.1, 0.1, 0.09, 0.11, 0.01)),
      ],
      namedHost('10.231.9.1', 'dest.hsfmt.test', 12, st(0.1, 0.1, 0.09, 0.14, 0.02)),
    );
    expect(formatReport(doc, { localHost: 'vm', wide: true, mtrCompat: true })).toBe(real.wide);
  });

  it('matches the real localhost report, including the cut at column 33', () => {
    const doc = traceDocument(
      [
        {
          ttl: 1,
          sent: 2,
          received: 2,
          lossPct: 0,
          hosts: [namedHost('127.0.0.1', 'localhost', 2, st(0.1, 0.1, 0.1, 0.1, 0))],
          samples: [],
        },
      ],
      { createdAt: '2026-11-22T02:28:28Z', target: { input: '127.0.0.1', address: '127.0.0.1', ipVersion: 4 } },
    );
    expect(formatReport(doc, { localHost: 'vm', mtrCompat: true })).toBe(
      'Start: 2026-11-22T02:28:28+0000\n' +
        'HOST: vm                          Loss%   Snt   Last   Avg  Best  Wrst StDev\n' +
        '  1.|-- localhost                  0.0%     2    0.1   0.1   0.1   0.1   0.0\n',
    );
    const long = traceDocument(
      [
        {
          ttl: 1,
          sent: 2,
          received: 2,
          lossPct: 0,
          hosts: [namedHost('10.231.9.1', 'dest.hsfmt.test', 2, st(0.1, 0.1, 0.1, 0.1, 0))],
          samples: [],
        },
      ],
      { target: { input: '10.231.9.1', address: '10.231.9.1', ipVersion: 4 } },
    );
    // Real `mtr -r -b` line: the name is cut where the statistics start.
    expect(formatReport(long, { localHost: 'vm', showIps: true, mtrCompat: true }).split('\n')[2]).toBe(
      '  1.|-- dest.hsfmt.test (10.231.9  0.0%     2    0.1   0.1   0.1   0.1   0.0',
    );
  });

  it('golden: hand-made trace (ECMP, silent hop, loss, glibc rounding)', () => {
    expect(formatReport(handMade, { localHost: 'testbox', mtrCompat: true })).toBe(
      [
        'Start: 2026-03-01T12:00:00+0100',
        'HOST: testbox                     Loss%   Snt   Last   Avg  Best  Wrst StDev',
        '  1.|-- router.lan                 0.0%    10    0.4   0.5   0.3   0.7   0.1',
        '  2.|-- ???                       100.0    10    0.0   0.0   0.0   0.0   0.0',
        '  3.|-- 203.0.113.5                0.0%    10   21.4  14.0   8.5  23.9   5.3',
        '        ae1.core.example.net             ',
        '  4.|-- example.net               10.0%    10   30.2  31.5  29.8  35.0   1.8',
        '',
      ].join('\n'),
    );
  });

  it('golden: wide, --show-ips and MPLS lines', () => {
    expect(
      formatReport(handMade, { localHost: 'testbox', wide: true, showIps: true, mpls: true, mtrCompat: true }),
    ).toBe(
      [
        'Start: 2026-03-01T12:00:00+0100',
        'HOST: testbox                     Loss%   Snt   Last   Avg  Best  Wrst StDev',
        '  1.|-- router.lan (192.168.1.1)     0.0%    10    0.4   0.5   0.3   0.7   0.1',
        '  2.|-- ???                         100.0    10    0.0   0.0   0.0   0.0   0.0',
        '  3.|-- 203.0.113.5                  0.0%    10   21.4  14.0   8.5  23.9   5.3',
        '        ae1.core.example.net (203.0.113.6)',
        '       [MPLS: Lbl 24001 TC 0 S 1 TTL 1]',
        '  4.|-- example.net (198.51.100.10) 10.0%    10   30.2  31.5  29.8  35.0   1.8',
        '',
      ].join('\n'),
    );
  });

  it('defaults the local host name and copes with no hops', () => {
    expect(formatReport(traceDocument([]))).toBe(
      'Start: 2026-03-01T12:00:00+0100\nHOST: localhost                   Loss%   Snt   Last   Avg  Best  Wrst StDev\n',
    );
  });
});

describe('mtr --csv', () => {
  it('matches real mtr --csv --report-wide output apart from the honest version column', () => {
    const doc = namespaceDoc(
      new Date(1795314923_000).toISOString(),
      12,
      [
        namedHost('10.231.2.2', 'branch-a.hsfmt.test', 6, st(0.09, 0.09, 0.07, 0.12, 0.01)),
        namedHost('10.231.3.2', null, 6, st(0.09, 0.09, 0.08, 0.11, 0.01)),
      ],
      namedHost('10.231.9.1', 'dest.hsfmt.test', 12, st(0.1, 0.14, 0.08, 0.7, 0.17)),
    );
    expect(toMtrCsv(doc, { wide: true, mtrCompat: true })).toBe(real.csvWide.replaceAll('MTR.0.95,', 'HOPSCOPE.0.95,'));
    // Without wide, like mtr, only the first responder of a TTL gets a row.
    expect(toMtrCsv(doc).split('\n')).toHaveLength(5);
  });

  it('golden: hand-made trace', () => {
    expect(toMtrCsv(handMade, { mtrCompat: true })).toBe(
      [
        MTR_CSV_HEADER,
        'HOPSCOPE.0.1.0,1772362800,OK,example.net,1,router.lan,0.00,10,0,0.40,0.45,0.30,0.70,0.12',
        'HOPSCOPE.0.1.0,1772362800,OK,example.net,2,???,100.00,10,10,0.00,0.00,0.00,0.00,0.00',
        'HOPSCOPE.0.1.0,1772362800,OK,example.net,3,203.0.113.5,0.00,10,0,21.40,14.00,8.50,23.90,5.34',
        'HOPSCOPE.0.1.0,1772362800,OK,example.net,4,example.net,10.00,10,1,30.25,31.50,29.75,35.00,1.75',
        '',
      ].join('\n'),
    );
  });

  it('quotes the odd name from an imported file', () => {
    const doc = traceDocument([
      { ttl: 1, sent: 1, received: 1, lossPct: 0, hosts: [namedHost('a,b', 'x "y", z', 1)], samples: [] },
    ]);
    expect(toMtrCsv(doc).split('\n')[1]).toContain(',1,"x ""y"", z",');
  });
});

describe('mtr --json', () => {
  it('matches real mtr --json output byte for byte', () => {
    const doc = namespaceDoc(
      '2026-11-22T02:35:00Z',
      4,
      [namedHost('10.231.2.2', 'branch-a.hsfmt.test', 4, st(0.108, 0.094, 0.09, 0.108, 0.009))],
      namedHost('10.231.9.1', 'dest.hsfmt.test', 4, st(0.098, 0.099, 0.096, 0.108, 0.005)),
    );
    expect(formatMtrJson(doc, { localHost: 'vm' })).toBe(real.json);
    expect(JSON.parse(real.json)).toEqual(toMtrJson(doc, { localHost: 'vm' }));
  });

  it('golden: hand-made trace object (first responder only, pooled figures)', () => {
    expect(toMtrJson(handMade, { localHost: 'testbox' })).toEqual({
      report: {
        mtr: { src: 'testbox', dst: 'example.net', tos: 0, tests: 10, psize: '64', bitpattern: '0x00' },
        hubs: [
          {
            count: 1,
            host: 'router.lan',
            'Loss%': 0,
            Snt: 10,
            Last: 0.4,
            Avg: 0.45,
            Best: 0.3,
            Wrst: 0.7,
            StDev: 0.12,
          },
          { count: 2, host: '???', 'Loss%': 100, Snt: 10, Last: 0, Avg: 0, Best: 0, Wrst: 0, StDev: 0 },
          {
            count: 3,
            host: '203.0.113.5',
            'Loss%': 0,
            Snt: 10,
            Last: 21.4,
            Avg: 14,
            Best: 8.5,
            Wrst: 23.9,
            StDev: 5.344,
          },
          {
            count: 4,
            host: 'example.net',
            'Loss%': 10,
            Snt: 10,
            Last: 30.25,
            Avg: 31.5,
            Best: 29.75,
            Wrst: 35,
            StDev: 1.75,
          },
        ],
      },
    });
  });

  it('records tos, size, bit pattern and an open-ended count', () => {
    const doc = traceDocument(handMade.hops, {
      options: { ...handMade.options, tos: 16, size: 128, bitPattern: 0xab, count: null },
      rounds: 42,
    });
    expect(toMtrJson(doc).report.mtr).toEqual({
      src: 'localhost',
      dst: 'example.net',
      tos: 16,
      tests: 42,
      psize: '128',
      bitpattern: '0xAB',
    });
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseTraceFile } from '@shared/formats/importTrace';
import { MAX_TRACE_FILE_CHARS } from '@shared/limits';
import { formatMtrJson, fromMtrJson, parseMtrJson, toMtrJson } from '@shared/formats/mtrJson';
import { hopName } from '@shared/formats/common';
import { findJsonSyntaxError } from '@shared/formats/jsonSyntax';
import { traceDocumentSchema } from '@shared/traceFile';
import { handMade } from './fixtures';

// The tests poke at arbitrary JSON trees.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

// As mtr 0.93's hand-rolled printf JSON writer lays it out: count/tos/tests as strings.
const mtr093 = `{
  "report": {
    "mtr": {
      "src": "vm",
      "dst": "target.hopscope.test",
      "tos": "0x0",
      "psize": "64",
      "bitpattern": "0x00",
      "tests": "10"
    },
    "hubs": [{
      "count": "1",
      "host": "_gateway",
      "Loss%": 0.00,
      "Snt": 10,
      "Last": 0.35,
      "Avg": 0.42,
      "Best": 0.31,
      "Wrst": 0.77,
      "StDev": 0.13
    },
    {
      "count": "2",
      "host": "???",
      "Loss%": 100.00,
      "Snt": 10,
      "Last": 0.00,
      "Avg": 0.00,
      "Best": 0.00,
      "Wrst": 0.00,
      "StDev": 0.00
    },
    {
      "count": "3",
      "host": "100.64.0.1",
      "Loss%": 20.00,
      "Snt": 10,
      "Last": 9.87,
      "Avg": 10.12,
      "Best": 8.95,
      "Wrst": 14.20,
      "StDev": 1.61
    },
    {
      "count": "4",
      "host": "93.184.216.34",
      "Loss%": 0.00,
      "Snt": 10,
      "Last": 88.10,
      "Avg": 88.43,
      "Best": 87.90,
      "Wrst": 90.02,
      "StDev": 0.61
    }]
  }
}
`;

// mtr 0.94+ (jansson), run with --show-ips and a 0.95 ASN-less build.
const mtr095 = `{
    "report": {
        "mtr": {
            "src": "laptop",
            "dst": "2001:db8::53",
            "tos": 0,
            "tests": 5,
            "psize": "rand(36-1000)",
            "bitpattern": "0x5A"
        },
        "hubs": [
            {
                "count": 1,
                "host": "fritz.box (2001:db8:1::1)",
                "Loss%": 0.0,
                "Snt": 5,
                "Last": 1.234,
                "Avg": 1.5,
                "Best": 1.1,
                "Wrst": 2.01,
                "StDev": 0.362
            },
            {
                "count": 2,
                "host": "???",
                "Loss%": 100.0,
                "Snt": 5,
                "Last": 0.0,
                "Avg": 0.0,
                "Best": 0.0,
                "Wrst": 0.0,
                "StDev": 0.0
            },
            {
                "count": 3,
                "host": "???",
                "Loss%": 100.0,
                "Snt": 5,
                "Last": 0.0,
                "Avg": 0.0,
                "Best": 0.0,
                "Wrst": 0.0,
                "StDev": 0.0
            },
            {
                "count": 4,
                "host": "2001:db8::53",
                "Loss%": 40.0,
                "Snt": 5,
                "Last": 20.5,
                "Avg": 21.0,
                "Best": 20.5,
                "Wrst": 21.6,
                "StDev": 0.557
            }
        ]
    }
}
`;

const trippy = JSON.stringify({
  info: { target: { ip: '192.0.2.80', hostname: 'www.example.org' } },
  hops: [
    {
      ttl: 1,
      hosts: [{ ip: '10.0.0.1', hostname: 'gw.home' }],
      extensions: [],
      loss_pct: '0.00',
      sent: 10,
      last: '0.52',
      recv: 10,
      avg: '0.61',
      best: '0.44',
      worst: '1.02',
      stddev: '0.17',
      jitter: '0.08',
      javg: '0.12',
      jmax: '0.50',
      jinta: '1.93',
      nat: null,
    },
    {
      ttl: 2,
      hosts: [],
      extensions: [],
      loss_pct: '100.00',
      sent: 10,
      last: '0.00',
      recv: 0,
      avg: '0.00',
      best: '0.00',
      worst: '0.00',
      stddev: '0.00',
      jitter: '0.00',
      javg: '0.00',
      jmax: '0.00',
      jinta: '0.00',
      nat: null,
    },
    {
      ttl: 3,
      hosts: [
        { ip: '198.51.100.1', hostname: '198.51.100.1' },
        { ip: '198.51.100.2', hostname: 'core2.example.net' },
      ],
      extensions: [{ mpls: { members: [{ label: 24005, exp: 0, bos: 1, ttl: 1 }] } }],
      loss_pct: '10.00',
      sent: 10,
      last: '12.30',
      recv: 9,
      avg: '12.71',
      best: '11.90',
      worst: '14.05',
      stddev: '0.63',
      jitter: '0.40',
      javg: '0.55',
      jmax: '1.80',
      jinta: '5.00',
      nat: false,
    },
    {
      ttl: 4,
      hosts: [{ ip: '192.0.2.80', hostname: 'www.example.org' }],
      extensions: [],
      loss_pct: '0.00',
      sent: 10,
      last: '20.01',
      recv: 10,
      avg: '20.40',
      best: '19.87',
      worst: '21.33',
      stddev: '0.41',
      jitter: '0.11',
      javg: '0.30',
      jmax: '0.90',
      jinta: '3.10',
      nat: false,
    },
  ],
});

function ok(text: string) {
  const r = parseTraceFile(text);
  if (!r.ok) throw new Error(`expected success, got: ${r.error}`);
  expect(traceDocumentSchema.safeParse(r.doc).success).toBe(true);
  return r;
}
function err(text: string): string {
  const r = parseTraceFile(text);
  expect(r.ok).toBe(false);
  return r.ok ? '' : r.error;
}

describe('parseTraceFile: hopscope.trace', () => {
  it('reads a document back unchanged', () => {
    const r = ok(JSON.stringify(handMade));
    expect(r.sourceFormat).toBe('hopscope');
    expect(r.doc).toEqual(handMade);
  });

  it('accepts a leading byte-order mark', () => {
    expect(ok(`\ufeff${JSON.stringify(handMade)}`).sourceFormat).toBe('hopscope');
  });

  const mutate = (f: (d: Loose) => void) => {
    const d: Loose = structuredClone(handMade);
    f(d);
    return JSON.stringify(d);
  };

  it('names the first bad field', () => {
    expect(err(mutate((d) => (d.hops[2].hosts[0].avgMs = '12.5')))).toBe(
      'hops[2].hosts[0].avgMs: expected number, received string',
    );
    expect(err(mutate((d) => delete d.target))).toBe('target: missing (expected object)');
    expect(err(mutate((d) => (d.createdAt = 'yesterday')))).toBe('createdAt: Invalid ISO datetime');
    expect(err(mutate((d) => (d.hops[1].lossPct = 101)))).toMatch(/^hops\[1\]\.lossPct: /);
    expect(
      err(mutate((d) => (d.hops[0].samples = [{ round: 0, at: 1, result: 'maybe', address: null, rttMs: null }]))),
    ).toMatch(/^hops\[0\]\.samples\[0\]\.result: Invalid option/);
    expect(err(mutate((d) => (d.options.protocol = 'gre')))).toMatch(/^options\.protocol: protocol must be one of/);
    expect(err(mutate((d) => (d.target.input = 'bad host!')))).toMatch(/^target\.input: target must be/);
  });

  it('rejects other formats, versions, duplicate TTLs and over 255 hops', () => {
    expect(err(mutate((d) => (d.format = 'other')))).toBe('format: unknown format "other" (expected "hopscope.trace")');
    expect(err(mutate((d) => (d.version = 3)))).toBe(
      'version: unsupported hopscope.trace version 3 (this build reads versions 1 and 2)',
    );
    expect(err(mutate((d) => (d.hops[1].ttl = 1)))).toBe('hops[1].ttl: duplicate TTL 1');
    expect(err(mutate((d) => (d.hops = Array.from({ length: 256 }, () => d.hops[0]))))).toBe(
      'hops: 256 hops (at most 255 are possible)',
    );
  });
});

describe('parseTraceFile: hopscope.trace segments', () => {
  const segment = (index: number, protocol: 'icmp' | 'udp', hops?: unknown[]) => ({
    index,
    target: { input: 'example.net', address: '198.51.100.10', ipVersion: 4 },
    options: { protocol, firstTtl: 1, maxTtl: 30 },
    startedAt: 1_000 * (index + 1),
    ...(hops ? { endedAt: 1_000 * (index + 2) - 1, hops } : {}),
    firstRound: index * 10,
    rounds: 10,
    destinationTtl: 3,
  });
  const twoSegments = (f: (d: Loose) => void = () => {}) => {
    const d: Loose = structuredClone(handMade);
    d.version = 2;
    const earlier = structuredClone(handMade.hops).map((h: Loose) => ({
      ...h,
      samples: h.samples.map((s: Loose) => ({ ...s, segment: 0 })),
    }));
    d.segments = [segment(0, 'icmp', earlier), segment(1, 'udp')];
    f(d);
    return JSON.stringify(d);
  };

  it('reads a version-2 file with its segments, and a version-1 file as one segment', () => {
    const two = ok(twoSegments()).doc;
    expect(two.segments?.map((s) => [s.index, s.options.protocol, s.hops?.length])).toEqual([
      [0, 'icmp', handMade.hops.length],
      [1, 'udp', undefined],
    ]);
    expect(two.segments?.[0]?.hops?.[0]?.samples.every((s) => s.segment === 0)).toBe(true);
    const one = ok(JSON.stringify({ ...handMade, version: 1 })).doc;
    expect(one.version).toBe(1);
    expect(one.segments).toBeUndefined();
    expect(one.hops).toEqual(handMade.hops);
  });

  it('rejects segments out of order, hops on the current segment, duplicate TTLs in a segment, and segments in v1', () => {
    expect(err(twoSegments((d) => (d.segments[1].index = 0)))).toBe('segments[1].index: 0 does not follow 0');
    expect(err(twoSegments((d) => (d.segments[1].hops = [])))).toBe(
      'segments[1].hops: the current segment\'s hops are the document\'s "hops"',
    );
    expect(err(twoSegments((d) => (d.segments[0].hops[1].ttl = d.segments[0].hops[0].ttl)))).toMatch(
      /^segments\[0\]\.hops\[1\]\.ttl: duplicate TTL/,
    );
    expect(err(twoSegments((d) => (d.version = 1)))).toBe('segments: a version-1 document has no segments');
    expect(err(twoSegments((d) => (d.segments[0].startedAt = 'noon')))).toMatch(/^segments\[0\]\.startedAt: /);
  });
});

describe('parseTraceFile: mtr --json', () => {
  it('imports a 0.93 report with string-typed count, tos and tests', () => {
    const r = ok(mtr093);
    expect(r.sourceFormat).toBe('mtr-json');
    const d = r.doc;
    expect(d.tool).toEqual({ name: 'mtr', version: '<=0.93', mtrPacketVersion: null });
    expect(d.target).toEqual({ input: 'target.hopscope.test', address: null, ipVersion: 4 });
    // mtr does not record its protocol, interval, timeout or TTL range, nor a time: they stay unknown (#8).
    expect(d.options).toEqual({ count: 10, tos: 0, size: 64, bitPattern: 0, dns: true });
    expect(d.rounds).toBe(10);
    expect(d.createdAt).toBeUndefined();
    expect(d.startedAt).toBeUndefined();
    expect(d.hops.map((h) => [h.ttl, h.sent, h.received, h.lossPct, h.hosts.map((x) => x.address)])).toEqual([
      [1, 10, 10, 0, ['_gateway']],
      [2, 10, 0, 100, []],
      [3, 10, 8, 20, ['100.64.0.1']],
      [4, 10, 10, 0, ['93.184.216.34']],
    ]);
    expect(d.hops[0]?.hosts[0]).toEqual({
      address: '_gateway',
      hostname: '_gateway',
      received: 10,
      lastMs: 0.35,
      avgMs: 0.42,
      bestMs: 0.31,
      worstMs: 0.77,
      stdevMs: 0.13,
      jitterMs: null,
      mpls: [],
    });
    expect(d.hops[2]?.hosts[0]?.hostname).toBeNull();
    expect(d.hops.every((h) => h.samples.length === 0)).toBe(true);
    expect(d.destinationReached).toBe(false);
  });

  it('imports a 0.94+ report with integers, IPv6, --show-ips names and ??? hops', () => {
    const d = ok(mtr095).doc;
    expect(d.tool.version).toBe('>=0.94');
    expect(d.target).toEqual({ input: '2001:db8::53', address: '2001:db8::53', ipVersion: 6 });
    expect(d.destinationReached).toBe(true);
    // "rand(...)" has no single size; "0x5A" is a real pattern.
    expect(d.options.size).toBeUndefined();
    expect(d.options.bitPattern).toBe(0x5a);
    expect(d.hops[0]?.hosts[0]).toMatchObject({ address: '2001:db8:1::1', hostname: 'fritz.box', received: 5 });
    expect(d.hops[1]?.hosts).toEqual([]);
    expect(d.hops[2]?.hosts).toEqual([]);
    expect(d.hops[3]).toMatchObject({ sent: 5, received: 3, lossPct: 40 });
  });

  it('round-trips toMtrJson -> file -> import (hop count, hosts, loss)', () => {
    for (const text of [formatMtrJson(handMade), JSON.stringify(toMtrJson(handMade))]) {
      const back = ok(text).doc;
      const expected = toMtrJson(handMade).report.hubs;
      expect(back.hops).toHaveLength(expected.length);
      back.hops.forEach((hop, i) => {
        const hub = expected[i];
        expect(hop.ttl).toBe(hub?.count);
        expect(hopName(hop)).toBe(hub?.host);
        expect(hop.lossPct).toBe(handMade.hops[i]?.lossPct);
        expect(hop.sent).toBe(handMade.hops[i]?.sent);
        expect(hop.received).toBe(handMade.hops[i]?.received);
      });
      expect(back.hops[2]?.hosts[0]?.avgMs).toBe(14);
      expect(back.target.input).toBe('example.net');
      expect(back.destinationReached).toBe(true);
    }
  });

  it('names the bad field in a broken report', () => {
    const bad = (f: (d: Loose) => void) => {
      const d: Loose = JSON.parse(mtr093);
      f(d);
      return err(JSON.stringify(d));
    };
    expect(bad((d) => (d.report.hubs[1].count = 'two'))).toBe(
      'mtr JSON report: report.hubs[1].count: expected an integer (or a string holding one), received string "two"',
    );
    expect(bad((d) => (d.report.hubs[2]['Loss%'] = true))).toBe(
      'mtr JSON report: report.hubs[2]["Loss%"]: expected a number (or a string holding one), received boolean',
    );
    expect(bad((d) => delete d.report.hubs[0].host)).toBe(
      'mtr JSON report: report.hubs[0].host: missing (expected string)',
    );
    expect(bad((d) => (d.report.hubs = {}))).toMatch(/^mtr JSON report: report\.hubs: expected array/);
    expect(bad((d) => (d.report.mtr.dst = 'no such host!'))).toMatch(
      /^mtr JSON report: report\.mtr\.dst: target must be/,
    );
    expect(bad((d) => (d.report.hubs[3].count = '1'))).toBe('mtr JSON report: report.hubs[3].count: duplicate hop 1');
    expect(bad((d) => (d.report.hubs[0].count = 256))).toBe(
      'mtr JSON report: report.hubs[0].count: hop count must be between 1 and 255',
    );
    expect(bad((d) => (d.report.hubs = Array.from({ length: 300 }, () => d.report.hubs[0])))).toBe(
      'report.hubs: 300 hops (at most 255 are possible)',
    );
  });

  it('fromMtrJson converts objects directly and throws on invalid ones', () => {
    expect(fromMtrJson(JSON.parse(mtr095)).hops).toHaveLength(4);
    expect(() => fromMtrJson({ report: {} })).toThrow(/report\.mtr/);
    expect(parseMtrJson(null).ok).toBe(false);
  });
});

describe('parseTraceFile: Trippy --mode json', () => {
  it('imports hops, hosts, string floats and MPLS', () => {
    const r = ok(trippy);
    expect(r.sourceFormat).toBe('trippy-json');
    const d = r.doc;
    expect(d.target).toEqual({ input: 'www.example.org', address: '192.0.2.80', ipVersion: 4 });
    expect(d.destinationReached).toBe(true);
    expect(d.hops.map((h) => [h.ttl, h.sent, h.received, h.lossPct, h.hosts.length])).toEqual([
      [1, 10, 10, 0, 1],
      [2, 10, 0, 100, 0],
      [3, 10, 9, 10, 2],
      [4, 10, 10, 0, 1],
    ]);
    expect(d.hops[0]?.hosts[0]).toMatchObject({ hostname: 'gw.home', avgMs: 0.61, stdevMs: 0.17, jitterMs: 0.12 });
    const ecmp = d.hops[2]?.hosts;
    expect(ecmp?.[0]).toMatchObject({ address: '198.51.100.1', hostname: null, received: 9, avgMs: 12.71 });
    expect(ecmp?.[0]?.mpls).toEqual([{ label: 24005, trafficClass: 0, bottomOfStack: true, ttl: 1 }]);
    expect(ecmp?.[1]).toMatchObject({
      address: '198.51.100.2',
      hostname: 'core2.example.net',
      received: 0,
      avgMs: null,
    });
  });

  it('names the bad field', () => {
    const d = JSON.parse(trippy);
    d.hops[2].avg = 'fast';
    expect(err(JSON.stringify(d))).toBe(
      'Trippy JSON report: hops[2].avg: expected a number or a decimal string, received string',
    );
    delete d.hops[2].avg;
    d.hops[1].sent = -1;
    expect(err(JSON.stringify(d))).toMatch(/^Trippy JSON report: hops\[1\]\.sent: /);
  });
});

describe('parseTraceFile: bad input', () => {
  it('reports invalid JSON with line, column and position', () => {
    expect(err('{\n  "format": "hopscope.trace",\n  "version": 1,,\n}')).toBe(
      "invalid JSON at line 3, column 16 (position 47): unexpected ',', expected a property name in double quotes",
    );
    expect(err('{"a": [1, 2')).toBe(
      "invalid JSON at line 1, column 12 (position 11): unexpected end of input, expected ',' or ']'",
    );
    expect(err('{"a": "x')).toMatch(/^invalid JSON at line 1, column 9 \(position 8\): unterminated string/);
    expect(err('{} x')).toMatch(/position 3\): unexpected 'x' after the end/);
  });

  it('rejects empty files, non-objects, unknown shapes and huge files', () => {
    expect(err('')).toBe('file is empty');
    expect(err('  \n')).toBe('file is empty');
    expect(err('[1,2]')).toBe('expected a JSON object at the top level, found an array');
    expect(err('42')).toBe('expected a JSON object at the top level, found a number');
    expect(err('null')).toBe('expected a JSON object at the top level, found null');
    expect(err('{"hello": "world"}')).toMatch(/^unrecognised file: expected a hopscope\.trace document/);
    expect(err(' '.repeat(MAX_TRACE_FILE_CHARS + 1))).toMatch(
      /^file is too large \(50\.0 MB; at most 50 MB is accepted\)$/,
    );
  });

  it('locates syntax errors exactly where JSON.parse fails (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        let valid = true;
        try {
          JSON.parse(s);
        } catch {
          valid = false;
        }
        expect(findJsonSyntaxError(s) === null).toBe(valid);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(findJsonSyntaxError(JSON.stringify(v, null, 2))).toBeNull();
      }),
    );
  });

  it('never throws on arbitrary strings or arbitrary JSON values (property)', () => {
    const check = (text: string) => {
      const r = parseTraceFile(text);
      if (r.ok) expect(traceDocumentSchema.safeParse(r.doc).success).toBe(true);
      else expect(typeof r.error).toBe('string');
    };
    fc.assert(fc.property(fc.string(), check), { numRuns: 1000 });
    fc.assert(
      fc.property(fc.jsonValue(), (v) => check(JSON.stringify(v))),
      { numRuns: 1000 },
    );
    // Shapes close to the real formats reach deeper into the validators.
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom('hopscope', 'mtr', 'trippy'), (v, kind) => {
        if (kind === 'hopscope') check(JSON.stringify({ format: 'hopscope.trace', version: 1, hops: v }));
        else if (kind === 'mtr') check(JSON.stringify({ report: { mtr: { dst: 'a.example' }, hubs: [v] } }));
        else check(JSON.stringify({ info: { target: v }, hops: [v] }));
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws when any single field of a valid file is replaced (property)', () => {
    const sources: unknown[] = [handMade, JSON.parse(mtr093), JSON.parse(mtr095), JSON.parse(trippy)];
    const paths = (v: unknown, at: (string | number)[] = []): (string | number)[][] =>
      typeof v === 'object' && v !== null
        ? [at, ...Object.entries(v).flatMap(([k, c]) => paths(c, [...at, Array.isArray(v) ? Number(k) : k]))]
        : [at];
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.jsonValue({ maxDepth: 2 }), (si, pi, replacement) => {
        const src = structuredClone(sources[si % sources.length]) as Record<string, unknown>;
        const all = paths(src).filter((p) => p.length > 0);
        const path = all[pi % all.length] ?? [];
        let node: Loose = src;
        for (const key of path.slice(0, -1)) node = node[key];
        node[path[path.length - 1] as string] = replacement;
        const r = parseTraceFile(JSON.stringify(src));
        if (r.ok) expect(traceDocumentSchema.safeParse(r.doc).success).toBe(true);
        else expect(r.error).toMatch(/\S/);
      }),
      { numRuns: 2000 },
    );
    // 2,000 parses take seconds on a loaded machine; the default 5 s is a timer, not what this tests.
  }, 60_000);
});

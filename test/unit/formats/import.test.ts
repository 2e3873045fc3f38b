/** Reading hopscope.trace (with segments), mtr --json and Trippy JSON files. */
import { describe, expect, it } from 'vitest';
import { formatMtrJson, toMtrJson } from '@shared/formats/mtrJson';
import { fromMtrJson, parseMtrJson } from '@shared/formats/mtrJsonImport';
import { hopName } from '@shared/formats/common';
import { handMade } from './fixtures';
import { err, mtr093, mtr095, ok, trippy, type Loose } from './importSamples';

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

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MtrRawStream } from '@shared/formats/mtrRaw';
import { parseMtrRaw } from '@shared/formats/mtrRawImport';
import type { SessionEventBatch } from '@shared/session';
import type { Hop, Sample } from '@shared/traceFile';
import { printableText } from '@shared/textSafety';
import { pathDocument } from './pathArbitrary';
import { host } from '../../fixtures/traceBuilders';

let seq = 0;
const batch = (events: SessionEventBatch['events']): SessionEventBatch => ({ sessionId: 'cli', seq: ++seq, events });

/** The hops' samples as a session sends them: in `cuts` batches in the order probes complete, some replies late. */
function batchesOf(hops: Hop[], cuts: number[], late: boolean[]): SessionEventBatch[] {
  const stats = (hop: Hop) => ({ ...hop, samples: undefined });
  const all = hops
    .flatMap((hop) => hop.samples.map((s) => ({ hop, s })))
    .sort((a, b) => a.s.round - b.s.round || a.hop.ttl - b.hop.ttl);
  const batches: { hop: Hop; s: Sample }[][] = [[]];
  all.forEach((entry, i) => {
    if (cuts.includes(i)) batches.push([]);
    // A late reply: first presumed lost in this batch, its reply in the next.
    if (late[i] && entry.s.rttMs !== null) {
      batches[batches.length - 1]!.push({
        hop: entry.hop,
        s: { ...entry.s, result: 'no-reply', rttMs: null, address: null },
      });
      batches.push([]);
    }
    batches[batches.length - 1]!.push(entry);
  });
  return batches.map((list) => {
    const ttls = [...new Set(list.map((e) => e.hop.ttl))];
    return batch([
      {
        type: 'hops',
        hops: ttls.map((t) => stats(hops.find((h) => h.ttl === t)!)),
        samples: ttls.map((ttl) => ({ ttl, samples: list.filter((e) => e.hop.ttl === ttl).map((e) => e.s) })),
      },
    ]);
  });
}

describe('mtr --raw export', () => {
  it('streams every sample, and the importer reads back the same probes and replies', () => {
    fc.assert(
      fc.property(
        pathDocument,
        fc.array(fc.nat(80), { maxLength: 6 }),
        fc.array(fc.boolean(), { maxLength: 80 }),
        (doc, cuts, late) => {
          const raw = new MtrRawStream({ dns: false, mpls: false });
          const text = batchesOf(doc.hops, cuts, late)
            .map((b) => raw.write(b))
            .join('');
          const r = parseMtrRaw(text);
          if (!r.ok) throw new Error(r.error);
          const back = new Map(r.doc.hops.map((h) => [h.ttl, h]));
          for (const hop of doc.hops) {
            const got = back.get(hop.ttl);
            if (hop.received === 0) {
              // Silent to the end: its probes went out, nothing came back.
              expect(got?.sent ?? 0).toBe(hop.sent);
              expect(got?.received ?? 0).toBe(0);
              continue;
            }
            expect(got!.sent).toBe(hop.sent);
            expect(got!.received).toBe(hop.received);
            expect(got!.hosts.map((h) => h.address)).toEqual(hop.hosts.map((h) => h.address));
            const replies = (h: Hop) => h.samples.flatMap((s) => (s.rttMs === null ? [] : [[s.round, s.rttMs]]));
            expect(replies(got!)).toEqual(replies(hop));
          }
        },
      ),
    );
  });

  it("prints mtr's lines: x with p, h twice for a new responder, d once per hop, nothing for local failures", () => {
    const raw = new MtrRawStream({ dns: true, mpls: true });
    const s = (
      round: number,
      address: string | null,
      rttMs: number | null,
      result: Sample['result'] = 'ttl-expired',
    ) => ({
      round,
      at: 1000 + round,
      result,
      address,
      rttMs,
    });
    const mpls = [{ label: 24001, trafficClass: 0, bottomOfStack: true, ttl: 1 }];
    const hosts = [host('10.0.0.1', { received: 1, mpls })];
    const hop = { ttl: 2, sent: 1, received: 1, lossPct: 0, hosts };
    expect(
      raw.write(
        batch([
          { type: 'hostname', address: '10.0.0.1', hostname: 'r1.example\nx 9 1' },
          {
            type: 'hops',
            hops: [hop],
            samples: [{ ttl: 2, samples: [s(0, '10.0.0.1', 0.25), s(1, null, null, 'probes-exhausted')] }],
          },
        ]),
      ),
    ).toBe(
      `x 1 33000\nh 1 10.0.0.1\nm 1 24001 0 1 1\nh 1 10.0.0.1\nm 1 24001 0 1 1\nd 1 ${printableText('r1.example\nx 9 1')}\np 1 250 33000\n`,
    );
    expect(
      raw.write(
        batch([
          {
            type: 'hops',
            hops: [hop],
            samples: [{ ttl: 2, samples: [s(2, '10.0.0.1', 1.5), s(3, null, null, 'no-reply')] }],
          },
        ]),
      ),
    ).toBe('x 1 33001\np 1 1500 33001\nx 1 33002\n');
    // The late reply to round 3, from another router: h once (new, so twice), p for the same probe.
    expect(
      raw.write(batch([{ type: 'hops', hops: [hop], samples: [{ ttl: 2, samples: [s(3, '10.0.0.2', 2)] }] }])),
    ).toBe('h 1 10.0.0.2\nh 1 10.0.0.2\np 1 2000 33002\n');
  });

  it("reads mtr -e's m lines back as the labels of the responder named before them", () => {
    const text = 'x 0 33000\nh 0 10.0.0.1\nm 0 24001 0 1 1\nh 0 10.0.0.1\nm 0 24001 0 1 1\np 0 250 33000\n';
    const r = parseMtrRaw(text);
    if (!r.ok) throw new Error(r.error);
    expect(r.doc.hops[0]!.hosts[0]!.mpls).toEqual([{ label: 24001, trafficClass: 0, bottomOfStack: true, ttl: 1 }]);
    const bad = parseMtrRaw('x 0 33000\nh 0 10.0.0.1\nm 0 24001 9 1 1\n');
    expect(!bad.ok && bad.error).toBe('line 3: expected "LABEL TC S TTL", found "24001 9 1 1"');
  });
});

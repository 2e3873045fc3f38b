import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { toMtrXml } from '@shared/formats/mtrXml';
import { parseMtrXml } from '@shared/formats/mtrXmlImport';
import { cFixed, hopName, summarizeHop } from '@shared/formats/common';
import { readableMs } from '@shared/formats/verdictText';
import { printableText } from '@shared/textSafety';
import { namedHost, traceDocument } from '../../fixtures/traceBuilders';
import { pathDocument } from './pathArbitrary';

const REAL = readFileSync(resolve(__dirname, '../../fixtures/mtr/mtr-0.95.xml'), 'utf8');

function imported(text: string) {
  const r = parseMtrXml(text);
  if (!r.ok) throw new Error(r.error);
  return r.doc;
}

describe('mtr --xml export', () => {
  it("writes real mtr 0.95's file byte for byte from the statistics it carries (--mtr-compat)", () => {
    expect(toMtrXml(imported(REAL), { mtrCompat: true })).toBe(REAL);
  });

  it('imports back to the same statistics, as printed', () => {
    fc.assert(
      fc.property(pathDocument, fc.boolean(), (doc, mtrCompat) => {
        const ms = mtrCompat ? (v: number) => cFixed(v, 1) : readableMs;
        const back = imported(toMtrXml(doc, { mtrCompat }));
        expect(back.target.input).toBe(doc.target.input);
        expect(back.host).toBe('vm');
        expect(back.options.count).toBe(doc.options.count);
        expect(back.hops.map((h) => [h.ttl, hopName(h)])).toEqual(doc.hops.map((h) => [h.ttl, hopName(h)]));
        doc.hops.forEach((hop, i) => {
          const s = summarizeHop(hop);
          const b = summarizeHop(back.hops[i]!);
          expect(b.sent).toBe(s.sent);
          expect(b.lossPct).toBe(Number(cFixed(s.lossPct, 1)));
          expect(b.received).toBe(s.received);
          if (s.received === 0) return;
          for (const key of ['lastMs', 'avgMs', 'bestMs', 'worstMs', 'stdevMs'] as const) {
            expect(b[key], `hop ${hop.ttl} ${key}`).toBeCloseTo(Number(ms(s[key]!)), 9);
          }
        });
      }),
    );
  });

  it('lays out the -o fields in order, skipping the blank, as mtr does', () => {
    fc.assert(
      fc.property(pathDocument, (doc) => {
        const xml = toMtrXml(doc, { fields: 'DR SNJ' });
        const hub = /<HUB [^>]*>\n([\s\S]*?)\n {4}<\/HUB>/.exec(xml)![1]!;
        expect(hub.split('\n').map((l) => /<(\w+)>/.exec(l)![1])).toEqual(['Drop', 'Rcv', 'Snt', 'Last', 'Jttr']);
        expect(hub).toMatch(/^ {8}<Drop> {1,4}\d+<\/Drop>$/m);
      }),
    );
  });

  it('escapes any name so the file stays well-formed and imports the name back printable', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }), (name) => {
        const doc = traceDocument(
          [{ ttl: 1, sent: 2, received: 2, lossPct: 0, hosts: [namedHost('10.0.0.1', name, 2)], samples: [] }],
          { target: { input: 'target.example', address: '10.0.0.9', ipVersion: 4 }, destinationReached: false },
        );
        const xml = toMtrXml(doc, { localHost: 'a"b' });
        expect(xml.split('\n').filter((l) => /^\s*<HUB /.test(l))).toHaveLength(1);
        const back = imported(xml);
        expect(back.host).toBe('a"b');
        expect(hopName(back.hops[0]!)).toBe(printableText(hopName(doc.hops[0]!)));
      }),
    );
  });
});

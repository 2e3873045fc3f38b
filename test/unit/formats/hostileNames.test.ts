/* eslint-disable no-control-regex -- the test looks for control characters */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { csvTextCell, printableText } from '@shared/textSafety';
import { formatReport } from '@shared/formats/report';
import { toMtrCsv } from '@shared/formats/mtrCsv';
import { splitCsvLine } from '@shared/formats/mtrCsvImport';
import { buildTraceDocument } from '@shared/traceDocument';
import type { TraceDocument } from '@shared/traceFile';
import { formatLiveFrame } from '../../../src/cli/liveFrame';
import { CLEAR_SCREEN } from '../../../src/cli/clearScreen';
import { namedHost, traceDocument, summary } from '../../fixtures/traceBuilders';

// Written independently of src/shared/textSafety.ts: what must never reach a terminal, a spreadsheet or an image.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const FORMULA = /^\s*[=+\-@]|^[\t\r]/;

/** Names as a hostile resolver or file could supply them: arbitrary text, weighted towards escapes and formulas. */
const hostileName = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc
    .tuple(
      fc.constantFrom('=', '+', '-', '@', '\t', '\r', ' =', '\x1b]0;', '\x1b[2J', '\x07', '\u202e', '\x9b'),
      fc.string({ unit: 'binary', maxLength: 20 }),
    )
    .map(([a, b]) => a + b),
  fc.constant("=cmd|'/C calc'!A0"),
  fc.constant('evil\x1b]8;;http://x\x07link\x1b]8;;\x07.example'),
);

function docNamed(names: string[]): TraceDocument {
  return traceDocument(
    names.map((name, i) => ({
      ttl: i + 1,
      sent: 4,
      received: 4,
      lossPct: 0,
      hosts: [namedHost(`10.0.0.${i + 1}`, name, 4, { lastMs: 1, avgMs: 1, bestMs: 1, worstMs: 1, stdevMs: 0 })],
      samples: [],
    })),
    { target: { input: 'example.net', address: '10.0.0.250', ipVersion: 4 }, destinationReached: false },
  );
}

describe('hostile names', () => {
  it('printableText leaves no control character and changes nothing else (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        const out = printableText(text);
        expect(out).not.toMatch(CONTROL);
        expect([...out]).toHaveLength([...text].length);
        if (!CONTROL.test(text)) expect(out).toBe(text);
      }),
    );
  });

  it('csvTextCell never yields a formula-leading or control-bearing cell (property)', () => {
    fc.assert(
      fc.property(hostileName, (name) => {
        const [cell = ''] = splitCsvLine(csvTextCell(name));
        expect(splitCsvLine(csvTextCell(name))).toHaveLength(1);
        expect(cell).not.toMatch(FORMULA);
        expect(cell).not.toMatch(CONTROL);
      }),
    );
    expect(csvTextCell("=cmd|'/C calc'!A0")).toBe("'=cmd|'/C calc'!A0");
  });

  it('--csv rows: every cell is safe, and there is one row per hop (property)', () => {
    fc.assert(
      fc.property(fc.array(hostileName, { minLength: 1, maxLength: 5 }), fc.boolean(), (names, mtrCompat) => {
        const lines = toMtrCsv(docNamed(names), { mtrCompat }).split('\n');
        expect(lines).toHaveLength(names.length + 2);
        for (const line of lines.slice(1, -1)) {
          for (const cell of splitCsvLine(line)) {
            expect(cell).not.toMatch(FORMULA);
            expect(cell).not.toMatch(CONTROL);
          }
        }
      }),
    );
  });

  it('-r / Copy report: no control character but line ends, in both modes (property)', () => {
    fc.assert(
      fc.property(
        fc.array(hostileName, { minLength: 1, maxLength: 5 }),
        hostileName,
        fc.boolean(),
        (names, local, mtrCompat) => {
          const report = formatReport(docNamed(names), { localHost: local, showIps: true, wide: true, mtrCompat });
          expect(report.replace(/\n/g, '')).not.toMatch(CONTROL);
        },
      ),
    );
  });

  it('the live view sends no escape but its own clear-screen (property)', () => {
    const session = summary(
      { id: 'cli', targetAddress: '10.0.0.250', rounds: 2, startedAt: 1_772_362_800_000 },
      { target: 'example.net', count: 5 },
    );
    fc.assert(
      fc.property(fc.array(hostileName, { minLength: 1, maxLength: 5 }), hostileName, (names, local) => {
        const doc = buildTraceDocument(session, docNamed(names).hops);
        const frame = formatLiveFrame(session, doc, { wide: false, showIps: true, localHost: local });
        expect(frame.startsWith(CLEAR_SCREEN)).toBe(true);
        expect(frame.slice(CLEAR_SCREEN.length).replace(/\n/g, '')).not.toMatch(CONTROL);
      }),
    );
  });
});

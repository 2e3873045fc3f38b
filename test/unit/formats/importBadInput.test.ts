/** parseTraceFile on broken, hostile or oversized input: a clear error, never a crash. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseTraceFile } from '@shared/formats/importTrace';
import { MAX_TRACE_FILE_CHARS } from '@shared/limits';
import { findJsonSyntaxError } from '@shared/formats/jsonSyntax';
import { traceDocumentSchema } from '@shared/traceFile';
import { handMade } from './fixtures';
import { err, mtr093, mtr095, trippy, type Loose } from './importSamples';

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

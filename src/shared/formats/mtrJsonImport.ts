/**
 * mtr `--json` import. mtr 0.94+ writes integers for count, Snt, tos and
 * tests; 0.93 and older wrote count/tos/tests as strings (`"count": "1"`,
 * `"tos": "0x0"`). The importer takes both. mtr pools the statistics of
 * every responder of a TTL; the import puts those pooled figures on the
 * single host it knows.
 */
import { z } from 'zod';
import { targetSchema } from '../probe';
import { numberOfText } from '../numberText';
import type { TraceDocument } from '../traceFile';
import { mtrReportToDocument } from './mtrReportImport';
import type { ConvertResult } from './validated';
import { describeSchemaProblem, firstSchemaProblem } from '../schemaProblem';

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Number or numeric string (0.93 wrote several as strings; `0x..` for tos/bitpattern). */
function numeric(opts: { int?: boolean; required?: boolean; hex?: boolean }) {
  const what = opts.int ? 'an integer' : 'a number';
  const schema = z.unknown().transform((v, ctx): number | undefined => {
    if (v === undefined) {
      if (opts.required) ctx.addIssue({ code: 'custom', message: `missing (expected ${what})` });
      return undefined;
    }
    let n: number = Number.NaN;
    if (typeof v === 'number') n = v;
    else if (typeof v === 'string') n = numberOfText(v, opts.hex) ?? Number.NaN;
    if (!Number.isFinite(n) || n < 0 || (opts.int && !Number.isInteger(n))) {
      ctx.addIssue({
        code: 'custom',
        message: `expected ${what} (or a string holding one), received ${kindOf(v)}${typeof v === 'string' || typeof v === 'number' ? ` ${JSON.stringify(v)}` : ''}`,
      });
      return z.NEVER;
    }
    return n;
  });
  // zod 4 only lets a key be absent when its schema is marked optional.
  return opts.required ? schema : schema.optional();
}

const optionalString = z.union([z.string(), z.number()], { error: 'expected a string' }).optional();

export const mtrHubSchema = z.object({
  count: numeric({ int: true, required: true }).refine((n) => n !== undefined && n >= 1 && n <= 255, {
    error: 'hop count must be between 1 and 255',
  }),
  host: z.string().min(1, { error: 'host is empty' }),
  'Loss%': numeric({}).refine((n) => n === undefined || n <= 100, { error: 'loss must be at most 100' }),
  Snt: numeric({ int: true }),
  Rcv: numeric({ int: true }),
  Drop: numeric({ int: true }),
  Last: numeric({}),
  Avg: numeric({}),
  Best: numeric({}),
  Wrst: numeric({}),
  StDev: numeric({}),
  Javg: numeric({}),
});

export const mtrJsonSchema = z.object({
  report: z.object({
    mtr: z.object({
      src: optionalString,
      dst: targetSchema,
      tos: numeric({ int: true, hex: true }),
      tests: numeric({ int: true }),
      psize: optionalString,
      bitpattern: optionalString,
    }),
    hubs: z.array(mtrHubSchema).max(255, { error: 'more than 255 hops' }),
  }),
});

export type MtrJsonInput = z.output<typeof mtrJsonSchema>;

/** True when `value` looks like an mtr `--json` report (so errors can be reported against its schema). */
export function looksLikeMtrJson(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'report' in value;
}

/** Validates and converts an mtr `--json` report (0.93 or 0.94+). Never throws. */
export function parseMtrJson(input: unknown): ConvertResult {
  const parsed = mtrJsonSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, error: describeSchemaProblem(firstSchemaProblem(parsed.error, 'invalid mtr JSON report')) };
  }
  const { mtr, hubs } = parsed.data.report;
  const raw = (input as { report: { mtr: Record<string, unknown>; hubs: Record<string, unknown>[] } }).report;
  const legacy = typeof raw.mtr.tests === 'string' || typeof raw.hubs[0]?.count === 'string';
  return mtrReportToDocument(
    {
      dst: mtr.dst,
      ...(mtr.src !== undefined ? { src: String(mtr.src) } : {}),
      tos: mtr.tos,
      tests: mtr.tests,
      psize: mtr.psize,
      bitpattern: mtr.bitpattern,
      toolVersion: legacy ? '<=0.93' : '>=0.94',
    },
    hubs.map((hub) => ({ ...hub, count: hub.count as number })),
    'report.hubs',
  );
}

/** {@link parseMtrJson} for callers that prefer an exception. */
export function fromMtrJson(input: unknown): TraceDocument {
  const r = parseMtrJson(input);
  if (!r.ok) throw new Error(`not a valid mtr JSON report: ${r.error}`);
  return r.doc;
}

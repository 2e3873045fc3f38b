/**
 * mtr `--json` export and import. mtr 0.94+ writes integers for count, Snt,
 * tos and tests; 0.93 and older wrote count/tos/tests as strings
 * (`"count": "1"`, `"tos": "0x0"`). The importer takes both.
 *
 * mtr lists one responder per hop and pools the statistics of every
 * responder of that TTL, so does the export; the import puts those pooled
 * figures on the single host it knows.
 */
import { z } from 'zod';
import { ipVersionOf, isIpLiteral, targetSchema } from '../probe';
import {
  type Hop,
  type HostStats,
  type TraceDocument,
  TRACE_FORMAT,
  TRACE_FORMAT_VERSION,
  traceDocumentSchema,
} from '../traceFile';
import {
  DEFAULT_LOCAL_HOST,
  type MtrStyleOptions,
  hopName,
  jsonReal,
  reportHops,
  roundMs,
  summarizeHop,
} from './common';
import { describeSchemaProblem, firstSchemaProblem } from '../schemaProblem';

export interface MtrJsonHub {
  count: number;
  host: string;
  'Loss%': number;
  Snt: number;
  Last: number;
  Avg: number;
  Best: number;
  Wrst: number;
  StDev: number;
}

export interface MtrJsonReport {
  report: {
    mtr: { src: string; dst: string; tos: number; tests: number; psize: string; bitpattern: string };
    hubs: MtrJsonHub[];
  };
}

/** The mtr 0.94+ `--json` object. Times in ms rounded to µs (what mtr-packet measures), loss to 0.001 % like mtr. */
export function toMtrJson(doc: TraceDocument, opts: MtrStyleOptions = {}): MtrJsonReport {
  const hops = reportHops(doc);
  const o = doc.options;
  const tests = o.count ?? doc.rounds ?? Math.max(0, ...doc.hops.map((h) => h.sent));
  return {
    report: {
      mtr: {
        src: opts.localHost ?? DEFAULT_LOCAL_HOST,
        dst: doc.target.input,
        tos: o.tos ?? 0,
        tests,
        psize: String(o.size ?? 64),
        bitpattern: `0x${(o.bitPattern ?? 0).toString(16).toUpperCase().padStart(2, '0')}`,
      },
      hubs: hops.map((hop) => {
        const s = summarizeHop(hop);
        return {
          count: hop.ttl,
          host: hopName(hop, opts.showIps),
          'Loss%': Math.trunc(s.lossPct * 1000) / 1000,
          Snt: s.sent,
          Last: roundMs(s.lastMs ?? 0),
          Avg: roundMs(s.avgMs ?? 0),
          Best: roundMs(s.bestMs ?? 0),
          Wrst: roundMs(s.worstMs ?? 0),
          StDev: roundMs(s.stdevMs ?? 0),
        };
      }),
    },
  };
}

const REAL_KEYS = /^(\s*"(?:Loss%|Last|Avg|Best|Wrst|StDev)": )(\S+?)(,?)$/;

/** {@link toMtrJson} as text laid out like mtr's (jansson, 4-space indent, reals as `%.5g` with `.0`). */
export function formatMtrJson(doc: TraceDocument, opts: MtrStyleOptions = {}): string {
  const text = JSON.stringify(toMtrJson(doc, opts), null, 4);
  const lines = text.split('\n').map((line) => {
    const m = REAL_KEYS.exec(line);
    return m ? `${m[1]}${jsonReal(Number(m[2]))}${m[3]}` : line;
  });
  return `${lines.join('\n')}\n`;
}

// ---- import ----

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
    else if (typeof v === 'string') {
      const t = v.trim();
      if (opts.hex && /^0x[0-9a-f]+$/i.test(t)) n = Number.parseInt(t.slice(2), 16);
      else if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) n = Number(t);
    }
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

export interface ImportOptions {
  /** `createdAt` for formats that carry no timestamp; defaults to now. */
  importedAt?: string;
}

export type ConvertResult = { ok: true; doc: TraceDocument } | { ok: false; error: string };

/** True when `value` looks like an mtr `--json` report (so errors can be reported against its schema). */
export function looksLikeMtrJson(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'report' in value;
}

/** Validates and converts an mtr `--json` report (0.93 or 0.94+). Never throws. */
export function parseMtrJson(input: unknown, opts: ImportOptions = {}): ConvertResult {
  const parsed = mtrJsonSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, error: describeSchemaProblem(firstSchemaProblem(parsed.error, 'invalid mtr JSON report')) };
  }
  const { mtr, hubs } = parsed.data.report;
  const raw = (input as { report: { mtr: Record<string, unknown>; hubs: Record<string, unknown>[] } }).report;
  const legacy = typeof raw.mtr.tests === 'string' || typeof raw.hubs[0]?.count === 'string';

  const seen = new Set<number>();
  const hops: Hop[] = [];
  for (const [i, hub] of hubs.entries()) {
    const ttl = hub.count as number;
    if (seen.has(ttl)) return { ok: false, error: `report.hubs[${i}].count: duplicate hop ${ttl}` };
    seen.add(ttl);
    hops.push(hubToHop(ttl, hub));
  }
  hops.sort((a, b) => a.ttl - b.ttl);

  const dst = mtr.dst;
  const addresses = hops.flatMap((h) => h.hosts.map((x) => x.address));
  const last = hops[hops.length - 1]?.hosts[0];
  const reached = last !== undefined && (last.address === dst || last.hostname?.toLowerCase() === dst.toLowerCase());
  const targetAddress = isIpLiteral(dst) ? dst : reached && last && isIpLiteral(last.address) ? last.address : null;
  const ipVersion =
    (targetAddress ? ipVersionOf(targetAddress) : null) ??
    addresses.map((a) => ipVersionOf(a)).find((v) => v !== null) ??
    null;
  const size = parseSmallInt(mtr.psize, 0, 65535);
  const bitPattern = parseSmallInt(mtr.bitpattern, 0, 255);
  const tests = mtr.tests;

  const doc: TraceDocument = {
    format: TRACE_FORMAT,
    version: TRACE_FORMAT_VERSION,
    createdAt: opts.importedAt ?? new Date().toISOString(),
    tool: { name: 'mtr', version: legacy ? '<=0.93' : '>=0.94', mtrPacketVersion: null },
    target: { input: dst, address: targetAddress, ipVersion },
    options: {
      protocol: 'icmp',
      firstTtl: hops[0]?.ttl ?? 1,
      maxTtl: Math.max(30, hops[hops.length - 1]?.ttl ?? 1),
      count: tests !== undefined && tests >= 1 ? tests : null,
      intervalSec: 1,
      timeoutSec: 10,
      ...(size !== undefined ? { size } : {}),
      ...(bitPattern !== undefined ? { bitPattern } : {}),
      ...(mtr.tos !== undefined && mtr.tos <= 255 ? { tos: mtr.tos } : {}),
      dns: hops.some((h) => h.hosts.some((x) => !isIpLiteral(x.address))),
    },
    destinationReached: reached,
    ...(tests !== undefined ? { rounds: tests } : {}),
    hops,
  };
  return validated(doc);
}

/** {@link parseMtrJson} for callers that prefer an exception. */
export function fromMtrJson(input: unknown, opts: ImportOptions = {}): TraceDocument {
  const r = parseMtrJson(input, opts);
  if (!r.ok) throw new Error(`not a valid mtr JSON report: ${r.error}`);
  return r.doc;
}

/** Final check that a conversion produced a valid document. */
export function validated(doc: TraceDocument): ConvertResult {
  const check = traceDocumentSchema.safeParse(doc);
  if (check.success) return { ok: true, doc: check.data };
  return {
    ok: false,
    error: `cannot convert: ${describeSchemaProblem(firstSchemaProblem(check.error, 'invalid document'))}`,
  };
}

function hubToHop(ttl: number, hub: z.output<typeof mtrHubSchema>): Hop {
  const sent = hub.Snt ?? 0;
  let lossPct = hub['Loss%'];
  if (lossPct === undefined) {
    const done = hub.Rcv !== undefined && hub.Drop !== undefined ? hub.Rcv + hub.Drop : sent;
    lossPct = hub.Rcv !== undefined && done > 0 ? 100 * (1 - hub.Rcv / done) : 0;
  }
  const received = Math.min(sent, Math.max(0, hub.Rcv ?? Math.round(sent * (1 - lossPct / 100))));

  const hosts: HostStats[] = [];
  if (hub.host !== '???') {
    const answered = received > 0;
    const stat = (v: number | undefined) => (answered && v !== undefined ? v : null);
    hosts.push({
      ...splitHost(hub.host),
      received,
      lastMs: stat(hub.Last),
      avgMs: stat(hub.Avg),
      bestMs: stat(hub.Best),
      worstMs: stat(hub.Wrst),
      stdevMs: stat(hub.StDev),
      jitterMs: stat(hub.Javg),
      mpls: [],
    });
  }
  return { ttl, sent, received, lossPct, hosts, samples: [] };
}

/** `name`, `address`, or `name (address)` as `mtr --show-ips` prints it. */
function splitHost(host: string): { address: string; hostname: string | null } {
  const m = /^(.+) \(([^()\s]+)\)$/.exec(host);
  if (m && m[1] && m[2] && isIpLiteral(m[2])) return { address: m[2], hostname: m[1] };
  // Without an address mtr shows only the name: keep it as both.
  return isIpLiteral(host) ? { address: host, hostname: null } : { address: host, hostname: host };
}

/** psize "64" / bitpattern "0x00"; randomised values ("rand(...)") have no single number. */
function parseSmallInt(v: string | number | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const t = String(v).trim();
  let n: number;
  if (/^0x[0-9a-f]+$/i.test(t)) n = Number.parseInt(t.slice(2), 16);
  else if (/^\d+$/.test(t)) n = Number(t);
  else return undefined;
  return n >= min && n <= max ? n : undefined;
}

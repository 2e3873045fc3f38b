/**
 * Import of Trippy `--mode json` reports. Trippy writes its float figures as
 * strings with two decimals ("12.34"); numbers are accepted too. Its figures
 * are per hop (all responders pooled), so they go on the hop's first host and
 * the other hosts are listed with no statistics of their own.
 */
import { z } from 'zod';
import { ipVersionOf, targetSchema } from '../probe';
import { type Hop, type HostStats, type TraceDocument, TRACE_FORMAT, TRACE_FORMAT_VERSION } from '../traceFile';
import { type ConvertResult, validated } from './validated';
import { describeSchemaProblem, firstSchemaProblem } from '../schemaProblem';

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

const decimal = (required: boolean) => {
  const schema = z.unknown().transform((v, ctx): number | undefined => {
    if (v === undefined || v === null) {
      if (required) ctx.addIssue({ code: 'custom', message: 'missing (expected a number or a decimal string)' });
      return undefined;
    }
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isFinite(n) || n < 0) {
      ctx.addIssue({ code: 'custom', message: `expected a number or a decimal string, received ${kindOf(v)}` });
      return z.NEVER;
    }
    return n;
  });
  return required ? schema : schema.optional();
};

const count = z.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' }).min(0);

const mplsMemberSchema = z.object({
  label: z.number().int().min(0).max(0xfffff),
  exp: z.number().int().min(0).max(7),
  bos: z.union([z.number().int().min(0).max(1), z.boolean()]),
  ttl: z.number().int().min(0).max(255),
});

const extensionSchema = z.union([
  z.object({ mpls: z.object({ members: z.array(mplsMemberSchema) }) }),
  // Unknown ICMP extensions carry nothing we show.
  z.record(z.string(), z.unknown()),
]);

export const trippyHopSchema = z.object({
  ttl: z.number().int().min(1).max(255),
  hosts: z.array(z.object({ ip: z.string().min(1), hostname: z.string().nullable().optional() })),
  extensions: z.array(extensionSchema).optional(),
  loss_pct: decimal(true).refine((n) => n === undefined || n <= 100, { error: 'loss must be at most 100' }),
  sent: count,
  recv: count,
  last: decimal(false),
  avg: decimal(false),
  best: decimal(false),
  worst: decimal(false),
  stddev: decimal(false),
  javg: decimal(false),
});

export const trippyJsonSchema = z.object({
  info: z.object({
    target: z.object({ ip: z.string().nullable().optional(), hostname: targetSchema }),
    start_timestamp: z.union([z.string(), z.number()]).optional(),
  }),
  hops: z.array(trippyHopSchema).max(255, { error: 'more than 255 hops' }),
});

export function looksLikeTrippyJson(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    'info' in value &&
    'hops' in value &&
    Array.isArray((value as { hops: unknown }).hops)
  );
}

/** Validates and converts a Trippy JSON report. Never throws. */
export function parseTrippyJson(input: unknown): ConvertResult {
  const parsed = trippyJsonSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, error: describeSchemaProblem(firstSchemaProblem(parsed.error, 'invalid Trippy JSON report')) };
  }
  const { info, hops: rawHops } = parsed.data;

  const seen = new Set<number>();
  const hops: Hop[] = [];
  for (const [i, h] of rawHops.entries()) {
    if (seen.has(h.ttl)) return { ok: false, error: `hops[${i}].ttl: duplicate TTL ${h.ttl}` };
    seen.add(h.ttl);
    hops.push(toHop(h));
  }
  hops.sort((a, b) => a.ttl - b.ttl);

  const address = info.target.ip && ipVersionOf(info.target.ip) !== null ? info.target.ip : null;
  const reached = address !== null && hops.some((h) => h.hosts.some((x) => x.address === address));
  const started = startTime(info.start_timestamp);

  const doc: TraceDocument = {
    format: TRACE_FORMAT,
    version: TRACE_FORMAT_VERSION,
    ...(started !== null ? { startedAt: started } : {}),
    tool: { name: 'trippy', version: 'unknown', mtrPacketVersion: null },
    target: { input: info.target.hostname, address, ipVersion: address ? ipVersionOf(address) : null },
    // Trippy's report does not record its protocol, interval, timeout or TTL range: they stay unknown.
    options: hops.some((h) => h.hosts.some((x) => x.hostname !== null)) ? { dns: true } : {},
    destinationReached: reached,
    hops,
  };
  return validated(doc);
}

function toHop(h: z.output<typeof trippyHopSchema>): Hop {
  const labels = (h.extensions ?? []).flatMap((e) =>
    'mpls' in e && typeof e.mpls === 'object' && e.mpls !== null && 'members' in e.mpls
      ? (e.mpls.members as z.output<typeof mplsMemberSchema>[]).map((m) => ({
          label: m.label,
          trafficClass: m.exp,
          bottomOfStack: m.bos === true || m.bos === 1,
          ttl: m.ttl,
        }))
      : [],
  );
  const answered = h.recv > 0;
  const stat = (v: number | undefined) => (answered && v !== undefined ? v : null);
  const hosts: HostStats[] = h.hosts.map((x, i) => ({
    address: x.ip,
    // Trippy prints the address again when there is no name.
    hostname: x.hostname && x.hostname !== x.ip ? x.hostname : null,
    received: i === 0 ? h.recv : 0,
    lastMs: i === 0 ? stat(h.last) : null,
    avgMs: i === 0 ? stat(h.avg) : null,
    bestMs: i === 0 ? stat(h.best) : null,
    worstMs: i === 0 ? stat(h.worst) : null,
    stdevMs: i === 0 ? stat(h.stddev) : null,
    jitterMs: i === 0 ? stat(h.javg) : null,
    mpls: i === 0 ? labels : [],
  }));
  return {
    ttl: h.ttl,
    sent: h.sent,
    received: Math.min(h.recv, h.sent),
    lossPct: h.loss_pct ?? 0,
    hosts,
    samples: [],
  };
}

function startTime(v: string | number | undefined): string | null {
  if (v === undefined) return null;
  // Numbers: seconds or milliseconds since the epoch.
  const ms = typeof v === 'number' ? (v < 1e11 ? v * 1000 : v) : Date.parse(v);
  if (!Number.isFinite(ms)) return null;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

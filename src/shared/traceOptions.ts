/**
 * Options of one trace session. The CLI flags, the IPC payloads and the
 * `options` block of a saved trace all derive from this schema.
 */
import { z } from './zodMini';
import { boundedInt, field, ipVersionOf, targetSchema, unprobeableAddressProblem } from './probe';
import { TRACE_OPTION_DEFAULTS as DEFAULTS } from './traceOptionDefaults';

/**
 * Most raw samples kept per hop. The engine and every window each keep this
 * many per TTL (about 100 bytes a sample), so 255 TTLs at the cap stay near
 * 250 MB per side; statistics cover the whole session regardless.
 */
export const MAX_SAMPLE_BUFFER_SIZE = 10_000;

export const MIN_INTERVAL_SEC = 0.05;

/** A target a trace can probe: a valid target that is no address mtr-packet cannot send to. */
const traceTargetSchema = targetSchema.check(
  z.superRefine((v: string, ctx) => {
    const problem = unprobeableAddressProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: `target ${problem}` });
  }),
);

/**
 * The option fields; `traceOptionsSchema` adds the cross-field rules. Checks
 * go in one `.check()` (not `.int().min().max()`, which builds the same schema
 * through throwaway copies): every trace builds these at start-up.
 */
export const traceOptionFields = z.strictObject({
  target: traceTargetSchema,
  protocol: z._default(field.protocol, DEFAULTS.protocol),
  port: z.optional(field.port),
  firstTtl: z._default(boundedInt(1, 255, 'first TTL'), DEFAULTS.firstTtl),
  maxTtl: z._default(boundedInt(1, 255, 'max TTL'), DEFAULTS.maxTtl),
  /** Rounds to run; null runs until stopped. */
  count: z._default(
    z.nullable(
      z
        .number()
        .check(
          z.int({ error: 'count must be a whole number' }),
          z.gte(1, { error: 'count must be at least 1' }),
          z.lte(1_000_000, { error: 'count must be at most 1000000' }),
        ),
    ),
    DEFAULTS.count,
  ),
  intervalSec: z._default(
    z
      .number({ error: 'interval must be a number' })
      .check(
        z.gte(MIN_INTERVAL_SEC, { error: `interval must be at least ${MIN_INTERVAL_SEC} seconds` }),
        z.lte(3600, { error: 'interval must be at most 3600 seconds' }),
      ),
    DEFAULTS.intervalSec,
  ),
  timeoutSec: z._default(field.timeoutSec, DEFAULTS.timeoutSec),
  size: z.optional(field.size),
  bitPattern: z.optional(field.bitPattern),
  tos: z.optional(field.tos),
  mark: z.optional(field.mark),
  localIp: z.optional(field.localIp),
  localPort: z.optional(field.localPort),
  ipVersion: z.optional(field.ipVersion),
  dns: z._default(z.boolean(), DEFAULTS.dns),
  /**
   * mtr's `-U`: a later round stops one TTL past the point where more than this many TTLs below it have
   * never answered. Absent: at most MAX_UNKNOWN_HOPS (5) past the last TTL that answered.
   */
  maxUnknown: z.optional(boundedInt(1, 255, 'max unknown')),
  /**
   * mtr's `-G`: seconds to wait for replies once the last round is sent; probes still unanswered then
   * are lost. Absent: each probe's timeout and the silent-hop wait decide when a counted run ends.
   */
  graceSec: z.optional(
    z
      .number({ error: 'grace time must be a number' })
      .check(
        z.gt(0, { error: 'grace time must be positive' }),
        z.lte(3600, { error: 'grace time must be at most 3600 seconds' }),
      ),
  ),
  /** Raw samples kept per hop (ring buffer). */
  sampleBufferSize: z._default(
    z.number({ error: 'sample buffer size must be a number' }).check(
      z.int({ error: 'sample buffer size must be a whole number' }),
      z.gte(1, { error: 'sample buffer size must be at least 1' }),
      z.lte(MAX_SAMPLE_BUFFER_SIZE, {
        error: `sample buffer size must be at most ${MAX_SAMPLE_BUFFER_SIZE}: samples are kept per hop in memory, in the engine and in every window`,
      }),
    ),
    DEFAULTS.sampleBufferSize,
  ),
});

/** The cross-field rules of the options, for the options themselves and any request that extends their fields. */
export function withOptionRules<T extends z.ZodMiniType<z.output<typeof traceOptionFields>>>(schema: T): T {
  type Options = z.output<typeof traceOptionFields>;
  return schema.check(
    z.refine<Options>((o) => o.firstTtl <= o.maxTtl, {
      // Both values: a max TTL left at its default (30) is one the user never typed.
      error: (issue) => {
        const o = issue.input as Options;
        return `first TTL ${o.firstTtl} must not exceed max TTL ${o.maxTtl}`;
      },
      path: ['firstTtl'],
    }),
    z.refine<Options>((o) => o.port === undefined || o.protocol !== 'icmp', {
      error: 'a port applies only to UDP, TCP and SCTP',
      path: ['port'],
    }),
    z.refine<Options>((o) => o.localPort === undefined || o.protocol !== 'icmp', {
      error: 'a local port applies only to UDP, TCP and SCTP',
      path: ['localPort'],
    }),
    z.superRefine((o: Options, ctx) => {
      const target = ipVersionOf(o.target);
      const local = o.localIp === undefined ? null : ipVersionOf(o.localIp);
      if (o.ipVersion !== undefined && target !== null && target !== o.ipVersion) {
        const message = `the target ${o.target} is an IPv${target} address, and IPv${o.ipVersion} was asked for`;
        ctx.addIssue({ code: 'custom', message, path: ['ipVersion'] });
      } else if (local !== null && local !== (o.ipVersion ?? target ?? local)) {
        const other =
          o.ipVersion !== undefined ? `IPv${o.ipVersion} was asked for` : `the target ${o.target} is IPv${target}`;
        ctx.addIssue({
          code: 'custom',
          message: `source address ${o.localIp} is IPv${local}, and ${other}`,
          path: ['localIp'],
        });
      }
    }),
    z.refine((o: Options) => o.graceSec === undefined || o.count !== null, {
      error: 'a grace time applies after the last round, so only to a run with a count of rounds',
      path: ['graceSec'],
    }),
  );
}

export const traceOptionsSchema = withOptionRules(traceOptionFields);

/** What a caller supplies (defaults optional). */
export type TraceOptionsInput = z.input<typeof traceOptionsSchema>;
/** What the engine works with (defaults filled in). */
export type TraceOptions = z.output<typeof traceOptionsSchema>;

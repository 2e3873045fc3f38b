/**
 * The `hopscope.trace` v1 document: what `hopscope trace --json` prints and
 * what the app saves and opens. Its hop shape is also the live trace model,
 * so what is drawn live and what is saved can never drift apart.
 */
import { z } from 'zod';
import { mplsLabelSchema, PROBE_RESULT_KINDS, field, targetSchema } from './probe';
import { traceOptionFields } from './traceOptions';

const ms = z.number().finite().min(0);

export const hostStatsSchema = z.object({
  address: z.string().min(1),
  hostname: z.string().nullable(),
  /** Replies from this responder at this TTL. */
  received: z.number().int().min(0),
  lastMs: ms.nullable(),
  avgMs: ms.nullable(),
  bestMs: ms.nullable(),
  worstMs: ms.nullable(),
  stdevMs: ms.nullable(),
  /** Mean absolute difference of consecutive RTTs. */
  jitterMs: ms.nullable(),
  mpls: z.array(mplsLabelSchema),
});
export type HostStats = z.infer<typeof hostStatsSchema>;

export const sampleSchema = z.object({
  round: z.number().int().min(0),
  /** Milliseconds since the Unix epoch when the probe was sent. */
  at: z.number().finite(),
  result: z.enum(PROBE_RESULT_KINDS),
  address: z.string().nullable(),
  rttMs: ms.nullable(),
});
export type Sample = z.infer<typeof sampleSchema>;

export const hopSchema = z.object({
  ttl: z.number().int().min(1).max(255),
  sent: z.number().int().min(0),
  received: z.number().int().min(0),
  lossPct: z.number().min(0).max(100),
  hosts: z.array(hostStatsSchema),
  /** Most recent samples, oldest first (bounded by the session's buffer size). */
  samples: z.array(sampleSchema),
  /**
   * False for a TTL that is no longer probed (past the current destination, or
   * outside a new TTL range): its history stays, drawn as not on the path. The
   * engine decides this once; front ends only read it. Absent means true.
   */
  onPath: z.boolean().optional(),
  /**
   * True when the responder at this TTL answered ICMP net/host unreachable
   * (mtr-packet's `no-route` with a router address): the path ends here and
   * nothing past it is probed. Absent means false.
   */
  unreachable: z.boolean().optional(),
});
export type Hop = z.infer<typeof hopSchema>;

/** Events worth marking on a timeline: the statistics around them are not comparable across the mark. */
export const MARKER_KINDS = ['options-changed', 'helper-restarted', 'helper-stalled'] as const;
export type MarkerKind = (typeof MARKER_KINDS)[number];
export const markerSchema = z.object({
  kind: z.enum(MARKER_KINDS),
  /** Milliseconds since the Unix epoch. */
  at: z.number().finite(),
  /** The round it applies to (the first round after it, for a restart). */
  round: z.number().int().min(0),
  detail: z.string().optional(),
});
export type Marker = z.infer<typeof markerSchema>;

/** The path ended at a router that answered ICMP net/host unreachable. */
export const unreachableSchema = z.object({
  ttl: z.number().int().min(1).max(255),
  address: z.string().min(1),
});
export type Unreachable = z.infer<typeof unreachableSchema>;

export const TRACE_FORMAT = 'hopscope.trace';
export const TRACE_FORMAT_VERSION = 1;

/**
 * Options as recorded in a file: the engine's options without the target
 * (which has its own block). Unknown keys from newer versions are dropped.
 */
export const recordedOptionsSchema = traceOptionFields
  .omit({ target: true })
  // Any size a version-1 file recorded still reads (the live bound came later); it is a record, not a setting.
  .extend({ sampleBufferSize: z.number().int().min(1).optional() })
  .strip();

export const traceDocumentSchema = z.object({
  format: z.literal(TRACE_FORMAT),
  version: z.literal(TRACE_FORMAT_VERSION),
  createdAt: z.iso.datetime({ offset: true }),
  tool: z.object({
    name: z.string(),
    version: z.string(),
    mtrPacketVersion: z.string().nullable(),
  }),
  target: z.object({
    input: targetSchema,
    address: z.string().nullable(),
    ipVersion: field.ipVersion.nullable(),
  }),
  options: recordedOptionsSchema,
  destinationReached: z.boolean(),
  /** Rounds completed when the document was written. */
  rounds: z.number().int().min(0).optional(),
  /** Times options changed mid-trace (a restart that kept history). */
  restarts: z.array(z.object({ at: z.number(), round: z.number().int().min(0) })).optional(),
  /** Options changes, helper restarts and stalls, in time order. */
  markers: z.array(markerSchema).optional(),
  /** Set when the target is unreachable: the router that said so. */
  unreachable: unreachableSchema.optional(),
  /** Set when the run ended before it was done (the helper died, a fatal probe error): why. */
  endedEarly: z.object({ reason: z.string().min(1), code: z.string().optional() }).optional(),
  hops: z.array(hopSchema),
});
export type TraceDocument = z.infer<typeof traceDocumentSchema>;

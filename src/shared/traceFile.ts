/**
 * The `hopscope.trace` v2 document: what `hopscope trace --json` prints and
 * what the app saves and opens. Its hop shape is also the live trace model,
 * so what is drawn live and what is saved can never drift apart.
 */
import { z } from 'zod';
import { mplsLabelSchema, PROBE_RESULT_KINDS, field, targetSchema } from './probe';
import { traceOptionFields } from './traceOptions';
import { pathVerdictsSchema } from './pathVerdictSchema';
import { enrichmentSourceSchema, responderEnrichmentSchema } from './enrichment';
import { MAX_SEGMENTS, TRACE_FORMAT, TRACE_FORMAT_VERSION } from './traceFormat';

export { MAX_SEGMENTS, READABLE_TRACE_FORMAT_VERSIONS, TRACE_FORMAT, TRACE_FORMAT_VERSION } from './traceFormat';

const ms = z.number().min(0);

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
  /**
   * Who owns this responder (AS, country) and which data date said so, when
   * it was looked up: `{}` means looked up and unknown, absent means not
   * looked up. Kept with the trace so another machine shows the same owners.
   */
  owner: responderEnrichmentSchema.optional(),
});
export type HostStats = z.infer<typeof hostStatsSchema>;

export const sampleSchema = z.object({
  round: z.number().int().min(0),
  /**
   * Index of the segment the sample belongs to (see `segmentSchema`). Written
   * in files; absent in a version-1 file and in the live model, whose hops
   * are held per segment.
   */
  segment: z.number().int().min(0).optional(),
  /** Milliseconds since the Unix epoch when the probe was sent. */
  at: z.number(),
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
export const MARKER_KINDS = ['options-changed', 'statistics-reset', 'helper-restarted', 'helper-stalled'] as const;
export type MarkerKind = (typeof MARKER_KINDS)[number];
export const markerSchema = z.object({
  kind: z.enum(MARKER_KINDS),
  /** Milliseconds since the Unix epoch. */
  at: z.number(),
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

/** A focus window [from, to) in ms since the epoch. */
export const focusWindowSchema = z
  .object({ from: z.number().min(0), to: z.number().min(0) })
  .refine((w) => w.to > w.from, { message: 'to must be after from', path: ['to'] });

const { target: _target, ...optionShapes } = traceOptionFields.shape;

/**
 * Options as recorded in a file: the engine's options without the target
 * (which has its own block). Every option may be absent, meaning unknown: an
 * imported mtr report does not say which protocol, interval or TTL range it
 * used, and no default may be invented for it. Unknown keys from newer
 * versions are dropped.
 */
export const recordedOptionsSchema = z
  .object(
    Object.fromEntries(
      Object.entries(optionShapes).map(([key, schema]) => [
        key,
        z.optional(schema instanceof z.core.$ZodDefault ? schema._zod.def.innerType : schema),
      ]),
    ) as unknown as { [K in keyof typeof optionShapes]: z.ZodOptional<RecordedOptionField<(typeof optionShapes)[K]>> },
  )
  // Any size a version-1 file recorded still reads (the live bound came later); it is a record, not a setting.
  .extend({ sampleBufferSize: z.number().int().min(1).optional() })
  .strip();

type RecordedOptionField<T> =
  T extends z.core.$ZodDefault<infer Inner> ? Inner : T extends z.core.$ZodOptional<infer Inner> ? Inner : T;
export type RecordedOptions = z.infer<typeof recordedOptionsSchema>;

/**
 * A stretch of one session run with one set of options. Applying changed
 * options starts the next segment; statistics never mix across segments.
 * `index` is 0 for a session's first segment and grows by one per options
 * change (never reused, even when old segments are forgotten): with the
 * session id it is the key the history store files rounds under.
 */
export const segmentSchema = z.object({
  index: z.number().int().min(0),
  /** The target as entered, and what it resolved to, for this segment. */
  target: z.object({
    input: targetSchema,
    address: z.string().nullable(),
    ipVersion: z.nullable(field.ipVersion),
  }),
  options: recordedOptionsSchema,
  /** Milliseconds since the Unix epoch when the segment began, and ended (absent while it runs). */
  startedAt: z.number(),
  endedAt: z.number().optional(),
  /** Session round number of its first round; rounds are numbered across the whole session. */
  firstRound: z.number().int().min(0),
  /** Rounds completed within this segment. */
  rounds: z.number().int().min(0),
  /** TTL where the destination answered during this segment, if it did. */
  destinationTtl: z.number().int().min(1).max(255).nullable(),
  unreachable: unreachableSchema.optional(),
});
export type Segment = z.infer<typeof segmentSchema>;

/** A finished segment as a file holds it: with its own hops (the current segment's are the document's `hops`). */
export const segmentRecordSchema = segmentSchema.extend({ hops: z.array(hopSchema).optional() });
export type SegmentRecord = z.infer<typeof segmentRecordSchema>;

export const traceDocumentSchema = z.object({
  format: z.literal(TRACE_FORMAT),
  /** Writers write TRACE_FORMAT_VERSION; a version-1 document (no segments) reads as one segment. */
  version: z.union([z.literal(1), z.literal(TRACE_FORMAT_VERSION)]),
  /** When the document was written; absent when an imported file does not say (never the time of opening). */
  createdAt: z.iso.datetime({ offset: true }).optional(),
  /** When the measurement started (mtr's `Start:`), when known. */
  startedAt: z.iso.datetime({ offset: true }).optional(),
  tool: z.object({
    name: z.string(),
    version: z.string(),
    mtrPacketVersion: z.string().nullable(),
  }),
  /** Host name of the machine that ran the trace (mtr's `HOST:` and `src`), when known. */
  host: z.string().min(1).max(255).optional(),
  target: z.object({
    input: targetSchema,
    address: z.string().nullable(),
    ipVersion: z.nullable(field.ipVersion),
  }),
  options: recordedOptionsSchema,
  /** Of the current (last) segment. */
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
  /**
   * Hops of the current (last) segment: what reports, exports and a file tab
   * show by default. Earlier segments carry their own hops in `segments`.
   */
  hops: z.array(hopSchema),
  /**
   * Every segment, oldest first, the last being the current one (whose hops
   * are `hops`). Absent in version 1 and in imported reports: one segment.
   */
  segments: z.array(segmentRecordSchema).max(MAX_SEGMENTS).optional(),
  /** The AS and country databases the hosts' owners came from, when owners were looked up. */
  enrichment: z.array(enrichmentSourceSchema).optional(),
  /** Derived verdicts (loss not carried downstream, SYN retransmissions, end to end) as written; readers recompute them. */
  verdicts: pathVerdictsSchema.optional(),
  /**
   * Set when the document holds one focus window [from, to) of a session (ms
   * since the epoch): its statistics and samples are that window's only.
   * Absent: the whole session (and in every version-1 file).
   */
  focusWindow: focusWindowSchema.optional(),
});
export type TraceDocument = z.infer<typeof traceDocumentSchema>;

/**
 * Schemas of the live model as it crosses a network: session summaries and
 * event batches. The app validates every one an agent sends (an agent is an
 * untrusted peer); the annotations tie them to the types in session.ts, so
 * the two cannot drift apart without a compile error.
 */
import { z } from 'zod';
import { field } from './probe';
import { traceOptionsSchema } from './traceOptions';
import { hopSchema, markerSchema, MAX_SEGMENTS, sampleSchema, segmentSchema, unreachableSchema } from './traceFile';
import { responderEnrichmentSchema } from './enrichment';
import { MAX_HOPS } from './limits';
import {
  SESSION_STATES,
  USER_FACING_ERROR_CODES,
  type SessionEventBatch,
  type SessionSummary,
  type UserFacingError,
} from './session';

/** Text of at most `max` characters, as an untrusted peer may send it. */
export const boundedText = (max: number) => z.string().max(max);
/** A count: a whole number from 0. */
export const countSchema = z.number().int().min(0);
const ttl = z.number().int().min(1).max(255);
/** Markers a summary may carry: the engine keeps a bounded list too. */
export const MAX_SUMMARY_MARKERS = 1000;
/** Events in one batch: one per changed hop, path change and name at most. */
export const MAX_BATCH_EVENTS = 4096;

export const userFacingErrorSchema: z.ZodType<UserFacingError> = z.object({
  code: z.enum(USER_FACING_ERROR_CODES),
  title: boundedText(500),
  detail: boundedText(2000),
  fix: boundedText(2000).optional(),
});

export const remoteOriginSchema = z.object({
  agentId: z.string().regex(/^agent-\d{1,6}$/),
  address: boundedText(300),
  connection: z.enum(['connecting', 'connected', 'lost', 'closed']),
  retryAt: z.number().nullable(),
  history: z.literal('off').optional(),
});

export const sessionSummarySchema: z.ZodType<SessionSummary> = z.object({
  id: z.string().min(1).max(64),
  options: traceOptionsSchema,
  state: z.enum(SESSION_STATES),
  targetAddress: boundedText(100).nullable(),
  ipVersion: z.nullable(field.ipVersion),
  destinationTtl: ttl.nullable(),
  rounds: countSchema,
  segment: countSchema.optional(),
  segments: z.array(segmentSchema).max(MAX_SEGMENTS).optional(),
  startedAt: z.number(),
  mtrPacketVersion: boundedText(100).nullable(),
  host: boundedText(300).optional(),
  restarts: z.array(z.object({ at: z.number(), round: countSchema })).max(MAX_SUMMARY_MARKERS),
  markers: z.array(markerSchema).max(MAX_SUMMARY_MARKERS).optional(),
  unreachable: unreachableSchema.optional(),
  heldBackProbes: countSchema.optional(),
  error: userFacingErrorSchema.optional(),
  remote: remoteOriginSchema.optional(),
});

const hopsEventSchema = z.object({
  type: z.literal('hops'),
  segment: countSchema.optional(),
  hops: z.array(hopSchema.omit({ samples: true })).max(MAX_HOPS),
  samples: z.array(z.object({ ttl, samples: z.array(sampleSchema) })).max(MAX_HOPS),
  dropped: z.array(ttl).max(MAX_HOPS).optional(),
});

export const sessionEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('state'), summary: sessionSummarySchema }),
  hopsEventSchema,
  z.object({ type: z.literal('path-changed'), ttl, address: boundedText(100) }),
  z.object({ type: z.literal('destination-reached'), ttl }),
  z.object({ type: z.literal('hostname'), address: boundedText(100), hostname: boundedText(300).nullable() }),
  z.object({ type: z.literal('owner'), address: boundedText(100), owner: responderEnrichmentSchema }),
  z.object({ type: z.literal('error'), error: userFacingErrorSchema }),
]);

export const sessionEventBatchSchema: z.ZodType<SessionEventBatch> = z.object({
  sessionId: z.string().min(1).max(64),
  seq: countSchema,
  events: z.array(sessionEventSchema).max(MAX_BATCH_EVENTS),
});

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
import { SESSION_STATES, type SessionEventBatch, type SessionSummary, type UserFacingError } from './session';

const text = (max: number) => z.string().max(max);
const count = z.number().int().min(0);
const ttl = z.number().int().min(1).max(255);
/** Markers a summary may carry: the engine keeps a bounded list too. */
export const MAX_SUMMARY_MARKERS = 1000;
/** Events in one batch: one per changed hop, path change and name at most. */
export const MAX_BATCH_EVENTS = 4096;

export const userFacingErrorSchema: z.ZodType<UserFacingError> = z.object({
  code: z.enum([
    'mtr-packet-missing',
    'mtr-packet-permission',
    'mtr-packet-crashed',
    'mtr-packet-invalid',
    'resolve-failed',
    'invalid-argument',
    'no-route',
    'network-down',
    'mtr-packet-limitation',
    'internal',
  ]),
  title: text(500),
  detail: text(2000),
  fix: text(2000).optional(),
});

export const remoteOriginSchema = z.object({
  agentId: z.string().regex(/^agent-\d{1,6}$/),
  address: text(300),
  connection: z.enum(['connecting', 'connected', 'lost', 'closed']),
  retryAt: z.number().nullable(),
});

export const sessionSummarySchema: z.ZodType<SessionSummary> = z.object({
  id: z.string().min(1).max(64),
  options: traceOptionsSchema,
  state: z.enum(SESSION_STATES),
  targetAddress: text(100).nullable(),
  ipVersion: field.ipVersion.nullable(),
  destinationTtl: ttl.nullable(),
  rounds: count,
  segment: count.optional(),
  segments: z.array(segmentSchema).max(MAX_SEGMENTS).optional(),
  startedAt: z.number(),
  mtrPacketVersion: text(100).nullable(),
  host: text(300).optional(),
  restarts: z.array(z.object({ at: z.number(), round: count })).max(MAX_SUMMARY_MARKERS),
  markers: z.array(markerSchema).max(MAX_SUMMARY_MARKERS).optional(),
  unreachable: unreachableSchema.optional(),
  heldBackProbes: count.optional(),
  error: userFacingErrorSchema.optional(),
  remote: remoteOriginSchema.optional(),
});

const hopsEventSchema = z.object({
  type: z.literal('hops'),
  segment: count.optional(),
  hops: z.array(hopSchema.omit({ samples: true })).max(MAX_HOPS),
  samples: z.array(z.object({ ttl, samples: z.array(sampleSchema) })).max(MAX_HOPS),
  dropped: z.array(ttl).max(MAX_HOPS).optional(),
});

export const sessionEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('state'), summary: sessionSummarySchema }),
  hopsEventSchema,
  z.object({ type: z.literal('path-changed'), ttl, address: text(100) }),
  z.object({ type: z.literal('destination-reached'), ttl }),
  z.object({ type: z.literal('hostname'), address: text(100), hostname: text(300).nullable() }),
  z.object({ type: z.literal('owner'), address: text(100), owner: responderEnrichmentSchema }),
  z.object({ type: z.literal('error'), error: userFacingErrorSchema }),
]);

export const sessionEventBatchSchema: z.ZodType<SessionEventBatch> = z.object({
  sessionId: z.string().min(1).max(64),
  seq: count,
  events: z.array(sessionEventSchema).max(MAX_BATCH_EVENTS),
});

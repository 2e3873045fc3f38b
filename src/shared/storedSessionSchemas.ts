/**
 * Schemas of the stored-session answers as they cross a network: the app
 * checks every answer an agent's view gives about its history file (an agent
 * is an untrusted peer). Sizes are bounded by what the calls ask for; the
 * annotations tie them to the types in storedSessions.ts, so the two cannot
 * drift apart without a compile error.
 */
import { z } from 'zod';
import { MAX_HOPS } from './limits';
import { boundedText, countSchema } from './sessionSchemas';
import {
  MAX_TIMELINE_BUCKETS,
  MAX_TIMELINE_MARKERS,
  epochMsSchema,
  storedSessionId,
  TIMELINE_MARKER_KINDS,
  type StoredSessionList,
  type TimelineBucketInfo,
  type TimelineMarkerList,
  type WindowStatsInfo,
} from './storedSessions';

/** Stored sessions one agent's list may name: a month of its targets' sessions, retried now and then, is far less. */
export const MAX_LISTED_STORED_SESSIONS = 10_000;
/** Responders one hop may list in window statistics (ECMP paths rarely show more than a handful). */
export const MAX_WINDOW_HOSTS = 256;

const ms = z.number().finite().min(0).nullable();
const ttl = z.number().int().min(1).max(MAX_HOPS);

export const storedSessionListSchema: z.ZodType<StoredSessionList> = z.object({
  history: z.object({
    state: z.enum(['recording', 'off', 'failed']),
    path: boundedText(4096).nullable(),
    problem: boundedText(2000).optional(),
  }),
  sessions: z
    .array(
      z.object({
        id: storedSessionId,
        uid: z.string().min(1).max(64),
        target: boundedText(300),
        targetAddress: boundedText(100).nullable(),
        startedAt: epochMsSchema,
        endedAt: epochMsSchema.nullable(),
        lastAt: epochMsSchema,
        rounds: countSchema,
        samples: countSchema,
        approxBytes: countSchema,
        state: boundedText(32),
        live: z.boolean(),
      }),
    )
    .max(MAX_LISTED_STORED_SESSIONS),
});

export const timelineBucketsSchema: z.ZodType<TimelineBucketInfo[]> = z
  .array(
    z.object({
      from: epochMsSchema,
      sent: countSchema,
      received: countSchema,
      lossPct: z.number().min(0).max(100).nullable(),
      minMs: ms,
      avgMs: ms,
      maxMs: ms,
    }),
  )
  .max(MAX_TIMELINE_BUCKETS);

const rttFigures = {
  lastMs: ms,
  avgMs: ms,
  bestMs: ms,
  worstMs: ms,
  stdevMs: ms,
  p50Ms: ms,
  p95Ms: ms,
  p99Ms: ms,
};

export const windowStatsSchema: z.ZodType<WindowStatsInfo> = z.object({
  hops: z
    .array(
      z.object({
        ttl,
        sent: countSchema,
        received: countSchema,
        lossPct: z.number().min(0).max(100),
        ...rttFigures,
        hosts: z
          .array(z.object({ address: boundedText(100), received: countSchema, jitterMs: ms, ...rttFigures }))
          .max(MAX_WINDOW_HOSTS),
      }),
    )
    .max(MAX_HOPS),
  rounds: countSchema,
  firstAt: epochMsSchema.nullable(),
  lastAt: epochMsSchema.nullable(),
});

export const timelineMarkerListSchema: z.ZodType<TimelineMarkerList> = z.object({
  markers: z
    .array(
      z.object({
        at: epochMsSchema,
        kind: z.enum(TIMELINE_MARKER_KINDS),
        ttl: ttl.nullable(),
        detail: boundedText(2000).nullable(),
      }),
    )
    .max(MAX_TIMELINE_MARKERS),
  more: z.boolean(),
});

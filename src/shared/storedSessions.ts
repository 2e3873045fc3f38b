/**
 * The session history as the contract sees it: requests (bounded, validated
 * by main like every other call) and answers of the stored-session calls.
 * The store itself lives in src/main/history; these are the shapes that
 * cross to the renderer.
 */
import { z } from 'zod';
import type { HostStats } from './traceFile';

/** A timeline is drawn one bucket per pixel: no screen is wider than this. */
export const MAX_TIMELINE_BUCKETS = 10_000;
/** Longest window a call may ask for: a session older than the retention is gone anyway. */
export const MAX_STORED_WINDOW_MS = 400 * 24 * 60 * 60 * 1000;
/** In limits.ts, which the renderer's first screen loads without zod. */
export { MAX_OPENED_SAMPLES } from './limits';

/** A stored session's number in the history file. */
export const storedSessionId = z.number().int().min(1).max(0xffffffff);
/** Milliseconds since the Unix epoch. */
export const epochMsSchema = z.number().int().min(0).max(8.64e15);

function boundedWindow<T extends { from?: number; to?: number }>(window: T, ctx: z.RefinementCtx): void {
  if (window.from === undefined || window.to === undefined) return;
  if (window.to <= window.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
  else if (window.to - window.from > MAX_STORED_WINDOW_MS) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'window is longer than 400 days' });
  }
}

/**
 * A focus window [from, to) in ms since the epoch: what the table, graph,
 * sparklines, Copy report and Export JSON show statistics for once the
 * person brushed a range on the timeline.
 */
export interface FocusWindow {
  from: number;
  to: number;
}

/** The default focus of a live tab: its last this-many minutes (PingPlotter's "live" focus). */
export const LIVE_FOCUS_MINUTES = 10;

export const storedSessionRequest = z.object({ id: storedSessionId }).strict();

const storedWindowFields = z.object({
  id: storedSessionId,
  from: epochMsSchema.optional(),
  to: epochMsSchema.optional(),
});

export const storedWindowRequest = storedWindowFields.strict().superRefine(boundedWindow);

/** Most samples per hop an opened tab may ask for (a live tab keeps DEFAULT_SAMPLES_PER_HOP). */
export const MAX_OPENED_SAMPLES_PER_HOP = 10_000;

/**
 * A window of a stored session as a document. With `samplesPerHop` (how a
 * tab opens it) each segment's hops carry only their newest that-many
 * rounds of samples, so what a tab holds does not grow with the session's
 * length; the statistics still cover the whole window. Without it, every
 * sample (an export, an agent's answer), up to MAX_OPENED_SAMPLES.
 */
export const openStoredRequest = storedWindowFields
  .extend({ samplesPerHop: z.number().int().min(1).max(MAX_OPENED_SAMPLES_PER_HOP).optional() })
  .strict()
  .superRefine(boundedWindow);

/**
 * Export JSON of a stored session (or a window of it): main builds the
 * document from the store and writes it, so no copy of every sample passes
 * through the renderer. In the browser harness the page downloads it from
 * STORED_EXPORT_PATH with the same fields as query parameters.
 */
export const exportStoredRequest = storedWindowFields
  .extend({ suggestedName: z.string().max(200) })
  .strict()
  .superRefine(boundedWindow);
export type ExportStoredRequest = z.input<typeof exportStoredRequest>;

/** Where the browser harness serves a stored session's export (GET, the page's cookie authenticates). */
export const STORED_EXPORT_PATH = '/export/stored-session';

/** The query string of an export request, as the harness client asks for it. */
export function storedExportQuery(request: ExportStoredRequest): string {
  const params = new URLSearchParams({ id: String(request.id), suggestedName: request.suggestedName });
  if (request.from !== undefined) params.set('from', String(request.from));
  if (request.to !== undefined) params.set('to', String(request.to));
  return params.toString();
}

/** The request a query string carries (validated by the caller with exportStoredRequest). */
export function storedExportRequestOf(params: URLSearchParams): Record<string, unknown> {
  const number = (name: string) => (params.has(name) ? Number(params.get(name)) : undefined);
  const request: Record<string, unknown> = { id: number('id'), suggestedName: params.get('suggestedName') ?? '' };
  for (const name of ['from', 'to'] as const) if (params.has(name)) request[name] = number(name);
  return request;
}

export const timelineRequest = z
  .object({
    id: storedSessionId,
    ttl: z.number().int().min(1).max(255),
    from: epochMsSchema,
    to: epochMsSchema,
    buckets: z.number().int().min(1).max(MAX_TIMELINE_BUCKETS),
  })
  .strict()
  .superRefine(boundedWindow);

/** A session in the history file, for the sessions list. */
export interface StoredSessionInfo {
  id: number;
  /** The id it had while it ran (SessionSummary.id). */
  uid: string;
  target: string;
  targetAddress: string | null;
  startedAt: number;
  /** When it ended, or null when it did not say (still running, or the app was killed). */
  endedAt: number | null;
  /** Time of the newest thing recorded. */
  lastAt: number;
  rounds: number;
  samples: number;
  /** Its share of the file's bytes on disk (by samples). */
  approxBytes: number;
  /**
   * As recorded; 'interrupted' when it was left running by an app that is
   * gone (killed, crashed) and is not running now.
   */
  state: string;
  /** True while this app is recording it. */
  live: boolean;
}

export interface HistoryStatus {
  /** 'off': no history file configured; 'failed': it could not be opened or written. */
  state: 'recording' | 'off' | 'failed';
  path: string | null;
  /** What went wrong, in words a banner can show. */
  problem?: string;
}

export interface StoredSessionList {
  history: HistoryStatus;
  sessions: StoredSessionInfo[];
}

/** One slice of a hop's timeline (the store answers exactly `buckets` of them). */
export interface TimelineBucketInfo {
  /** Start of the bucket (ms since the epoch). */
  from: number;
  sent: number;
  received: number;
  /** Null when nothing was sent in the bucket. */
  lossPct: number | null;
  minMs: number | null;
  avgMs: number | null;
  maxMs: number | null;
}

/** RTT figures of a hop or responder over a window (the store computes them: src/main/history). */
export interface WindowRttFigures {
  lastMs: number | null;
  avgMs: number | null;
  bestMs: number | null;
  worstMs: number | null;
  stdevMs: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

/** A window's RTT figures alone, field by field (the statistics they come with carry more). */
export function windowRttFigures(f: WindowRttFigures): WindowRttFigures {
  return {
    lastMs: f.lastMs,
    avgMs: f.avgMs,
    bestMs: f.bestMs,
    worstMs: f.worstMs,
    stdevMs: f.stdevMs,
    p50Ms: f.p50Ms,
    p95Ms: f.p95Ms,
    p99Ms: f.p99Ms,
  };
}

/** A responder's numbers over a window, as the store computes them. */
export type WindowHostNumbers = Pick<
  HostStats,
  'address' | 'received' | 'lastMs' | 'avgMs' | 'bestMs' | 'worstMs' | 'stdevMs' | 'jitterMs'
>;

/**
 * A responder's window statistics as the trace model's host: the numbers
 * from the store, the facts (name, MPLS stack, owner) from wherever they
 * are known: the store's own records in main, the tab in the renderer.
 */
export function windowHostStats(
  h: WindowHostNumbers,
  facts: Pick<HostStats, 'hostname' | 'mpls' | 'owner'>,
): HostStats {
  return {
    address: h.address,
    hostname: facts.hostname,
    received: h.received,
    lastMs: h.lastMs,
    avgMs: h.avgMs,
    bestMs: h.bestMs,
    worstMs: h.worstMs,
    stdevMs: h.stdevMs,
    jitterMs: h.jitterMs,
    mpls: facts.mpls,
    ...(facts.owner === undefined ? {} : { owner: facts.owner }),
  };
}

export interface WindowHostStats extends WindowRttFigures {
  address: string;
  received: number;
  jitterMs: number | null;
}

export interface WindowHopStats extends WindowRttFigures {
  ttl: number;
  sent: number;
  received: number;
  lossPct: number;
  hosts: WindowHostStats[];
}

/** Per-hop statistics of a window [from, to) of a stored session. */
export interface WindowStatsInfo {
  hops: WindowHopStats[];
  rounds: number;
  firstAt: number | null;
  lastAt: number | null;
}

/** Most markers one timeline call answers; a view with more says so (`more`) rather than growing the answer. */
export const MAX_TIMELINE_MARKERS = 500;

export const timelineMarkersRequest = z
  .object({ id: storedSessionId, from: epochMsSchema, to: epochMsSchema })
  .strict()
  .superRefine(boundedWindow);

/**
 * What a vertical marker on the timeline stands for: mtr-packet restarted or
 * stalled, the options changed (a new segment), an error was recorded, or a
 * TTL answered from a responder it had not answered from before.
 */
export const TIMELINE_MARKER_KINDS = ['restart', 'segment', 'error', 'path-change'] as const;
export type TimelineMarkerKind = (typeof TIMELINE_MARKER_KINDS)[number];

export interface TimelineMarkerInfo {
  /** When it happened (ms since the epoch). */
  at: number;
  kind: TimelineMarkerKind;
  /** The TTL of a path change; null otherwise. */
  ttl: number | null;
  /** The new responder's address, the segment's reason, the error's title or the restart's cause. */
  detail: string | null;
}

/** Markers in [from, to), oldest first, at most MAX_TIMELINE_MARKERS. */
export interface TimelineMarkerList {
  markers: TimelineMarkerInfo[];
  /** True when the window holds more markers than were returned. */
  more: boolean;
}

/**
 * The one builder of `hopscope.trace` documents from a session's summary and
 * hops: the CLI's `--json`, the service's export and the renderer's Copy
 * report all go through it, so they cannot disagree on what a trace file says.
 */
import { APP_NAME, APP_VERSION } from './appInfo';
import type { SessionSummary } from './session';
import type { EnrichmentSource, ResponderEnrichment } from './enrichment';
import type { Hop, SegmentRecord, TraceDocument } from './traceFile';
import { TRACE_FORMAT, TRACE_FORMAT_VERSION } from './traceFormat';

/** Hops of earlier (closed) segments, by segment index. */
export type EarlierSegmentHops = Readonly<Record<number, readonly Hop[]>>;

/** The hops with every sample saying which segment it belongs to. */
export function inSegment(hops: readonly Hop[], segment: number): Hop[] {
  return hops.map((hop) => ({ ...hop, samples: hop.samples.map((s) => ({ ...s, segment })) }));
}

/**
 * `hops` are the current segment's; `earlier` holds the hops of the
 * summary's earlier segments, which the document carries in `segments`.
 */
export function buildTraceDocument(
  summary: SessionSummary,
  hops: readonly Hop[],
  createdAt = new Date(),
  earlier: EarlierSegmentHops = {},
): TraceDocument {
  const { target, ...options } = summary.options;
  const current = summary.segment ?? 0;
  const segments: SegmentRecord[] | undefined = summary.segments?.map((segment) =>
    segment.index === current ? segment : { ...segment, hops: inSegment(earlier[segment.index] ?? [], segment.index) },
  );
  return {
    format: TRACE_FORMAT,
    version: TRACE_FORMAT_VERSION,
    createdAt: createdAt.toISOString(),
    // The session's start is what a report's `Start:` shows, not the time of writing.
    ...(Number.isFinite(summary.startedAt) && summary.startedAt > 0
      ? { startedAt: new Date(summary.startedAt).toISOString() }
      : {}),
    tool: { name: APP_NAME, version: APP_VERSION, mtrPacketVersion: summary.mtrPacketVersion },
    ...(summary.host ? { host: summary.host } : {}),
    target: { input: target, address: summary.targetAddress, ipVersion: summary.ipVersion },
    options: definedOnly(options),
    destinationReached: summary.destinationTtl !== null,
    rounds: summary.rounds,
    restarts: summary.restarts,
    ...(summary.markers?.length ? { markers: summary.markers } : {}),
    ...(summary.unreachable ? { unreachable: summary.unreachable } : {}),
    hops: inSegment(hops, current),
    ...(segments?.length ? { segments } : {}),
  };
}

/** Unset options are left out rather than written as undefined, so a document compares equal after a round trip. */
export function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The document with each responder's owner as `lookup` answers it now, and
 * the databases behind the answers. A responder `lookup` cannot answer yet
 * (data still loading: undefined) is left without an owner, never given a guess.
 */
export function withOwners(
  doc: TraceDocument,
  lookup: (address: string) => ResponderEnrichment | undefined,
  sources: EnrichmentSource[],
): TraceDocument {
  const hops = doc.hops.map((hop) => ({
    ...hop,
    hosts: hop.hosts.map((host) => {
      const owner = lookup(host.address);
      return owner === undefined ? host : { ...host, owner };
    }),
  }));
  return { ...doc, hops, ...(sources.length > 0 ? { enrichment: sources } : {}) };
}

/** A document as a saved `hopscope.trace` file's text (Export JSON, wherever it is written). */
export function traceFileText(document: TraceDocument): string {
  return JSON.stringify(document, null, 2) + '\n';
}

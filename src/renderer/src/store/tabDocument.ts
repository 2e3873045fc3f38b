/**
 * A tab and a `hopscope.trace` document, both ways: a read-only tab of an
 * opened file (every segment it carries), and the document of what a tab
 * holds or shows.
 */
import type { HopStatsUpdate } from '@shared/session';
import type { Hop, Sample, TraceDocument } from '@shared/traceFile';
import { buildTraceDocument, type EarlierSegmentHops } from '@shared/traceDocument';
import { DEFAULT_SAMPLES_PER_HOP } from '@shared/limits';
import type { SegmentData, TraceTab } from './reducers';
import { EMPTY_SAMPLES } from './sampleList';
import { segmentDocument } from './segments';

/** TTL the destination answered at in a saved trace, which records only whether it did. */
function destinationTtlOf(doc: TraceDocument): number | null {
  if (!doc.destinationReached) return null;
  const hops = [...doc.hops].sort((a, b) => a.ttl - b.ttl);
  const target = doc.target.address;
  const atTarget = target === null ? undefined : hops.find((h) => h.hosts.some((host) => host.address === target));
  return atTarget?.ttl ?? hops.filter((h) => h.hosts.length > 0).pop()?.ttl ?? null;
}

export interface FileTabInit {
  /** Defaults to one derived from the document, so opening the same file twice replaces its tab. */
  id?: string;
  title?: string;
  sampleCap?: number;
}

/** A read-only tab showing a saved trace. Sample arrays are shared with the document, not copied. */
export function loadDocument(
  doc: TraceDocument,
  { id = `file:${doc.target.input}@${doc.createdAt}`, title, sampleCap = DEFAULT_SAMPLES_PER_HOP }: FileTabInit = {},
): TraceTab {
  const current = byTtl(doc.hops);
  let longest = current.longest;
  const earlierSegments: Record<number, SegmentData> = {};
  const segments = doc.segments ?? [];
  for (const segment of segments.slice(0, -1)) {
    const earlier = byTtl(segment.hops ?? []);
    longest = Math.max(longest, earlier.longest);
    const { hops, samples } = earlier;
    earlierSegments[segment.index] = { hops, samples, destinationTtl: segment.destinationTtl };
  }
  const { hops, samples } = current;
  return {
    id,
    title: title ?? doc.target.input,
    mode: 'file',
    sessionId: null,
    summary: null,
    hops,
    samples,
    // A file keeps every sample it has.
    sampleCap: Math.max(sampleCap, longest),
    selectedTtl: null,
    // A version-2 file says where its current segment's path ended; older files are read for it.
    destinationTtl: segments.at(-1)?.destinationTtl ?? destinationTtlOf(doc),
    error: null,
    hostnames: {},
    pathChanges: [],
    lastSeq: null,
    missedBatches: 0,
    readOnlyDoc: doc,
    segment: segments.at(-1)?.index ?? 0,
    earlierSegments,
    viewedSegment: null,
  };
}

function byTtl(fileHops: readonly Hop[]) {
  const hops: Record<number, HopStatsUpdate> = {};
  const samples: Record<number, readonly Sample[]> = {};
  let longest = 0;
  for (const { samples: hopSamples, ...stats } of fileHops) {
    hops[stats.ttl] = stats;
    samples[stats.ttl] = hopSamples;
    longest = Math.max(longest, hopSamples.length);
  }
  return { hops, samples, longest };
}

/** Hops of a tab (or of one of its segments) in TTL order, with their samples. */
export function tabHops(tab: Pick<SegmentData, 'hops' | 'samples'>): Hop[] {
  return Object.values(tab.hops)
    .sort((a, b) => a.ttl - b.ttl)
    .map((hop) => ({ ...hop, samples: [...(tab.samples[hop.ttl] ?? EMPTY_SAMPLES)] }));
}

/** Hops of a tab's earlier segments, by index. */
export function earlierSegmentHops(tab: TraceTab): EarlierSegmentHops {
  return Object.fromEntries(Object.entries(tab.earlierSegments).map(([index, data]) => [index, tabHops(data)]));
}

/**
 * A `hopscope.trace` document of the tab: every segment, the current one's
 * hops on top. On the view of an earlier segment, a document of that one
 * segment (what is shown is what is copied and exported). A file tab keeps
 * its original metadata, so opening and saving a file changes nothing.
 */
export function toTraceDocument(tab: TraceTab, createdAt = new Date()): TraceDocument {
  const hops = tabHops(tab);
  const whole =
    tab.readOnlyDoc !== undefined
      ? tab.readOnlyDoc
      : tab.summary === null
        ? null
        : buildTraceDocument(tab.summary, tab.showing === undefined ? hops : [], createdAt, earlierSegmentHops(tab));
  if (whole === null) throw new Error(`Tab "${tab.title}" has no trace to export yet`);
  if (tab.showing !== undefined) return segmentDocument(whole, tab.showing, hops);
  return tab.readOnlyDoc !== undefined ? { ...whole, hops } : whole;
}

/**
 * Segments as the renderer sees them: which a tab has, the view of an
 * earlier one (so the graph, table and report show one segment and never a
 * mix), and the document of a single segment.
 */
import { inSegment } from '@shared/traceDocument';
import type { Hop, Segment, TraceDocument } from '@shared/traceFile';
import type { TraceTab } from './reducers';

/** The segments of a live session or a file, oldest first; none listed for a version-1 file (one segment). */
export function segmentsOf(tab: TraceTab): readonly Segment[] {
  return tab.readOnlyDoc?.segments ?? tab.summary?.segments ?? [];
}

/** The index the tab shows: the chosen one while it is still held, otherwise the current one. */
export function shownSegmentIndex(tab: TraceTab): number {
  const chosen = tab.viewedSegment;
  return chosen !== null && chosen in tab.earlierSegments ? chosen : tab.segment;
}

const views = new WeakMap<TraceTab, TraceTab>();

/**
 * The tab as it is to be drawn: itself while following the current segment,
 * otherwise a copy holding the chosen earlier segment's hops and samples
 * (the same object until the tab changes, so selectors stay stable).
 */
export function shownTab(tab: TraceTab): TraceTab {
  const index = shownSegmentIndex(tab);
  const data = tab.earlierSegments[index];
  if (index === tab.segment || data === undefined) return tab;
  let view = views.get(tab);
  if (view === undefined) {
    view = { ...tab, hops: data.hops, samples: data.samples, destinationTtl: data.destinationTtl, showing: index };
    views.set(tab, view);
  }
  return view;
}

/** Chooses the segment to show; null (or the current index) follows the current one. */
export function viewSegment(tab: TraceTab, index: number | null): TraceTab {
  const next = index === tab.segment ? null : index;
  return tab.viewedSegment === next ? tab : { ...tab, viewedSegment: next };
}

/**
 * A document of one segment of `doc`: its target, options, end of path and
 * hops, and that segment alone in `segments`. Derived verdicts are left out
 * (readers recompute them for these hops).
 */
export function segmentDocument(doc: TraceDocument, index: number, hops: readonly Hop[]): TraceDocument {
  const segment = doc.segments?.find((s) => s.index === index);
  const tagged = inSegment(hops, index);
  if (segment === undefined) return { ...doc, hops: tagged };
  const { hops: _earlierHops, ...info } = segment;
  const { unreachable: _unreachable, verdicts: _verdicts, ...rest } = doc;
  return {
    ...rest,
    target: info.target,
    options: info.options,
    destinationReached: info.destinationTtl !== null,
    rounds: info.rounds,
    ...(info.unreachable ? { unreachable: info.unreachable } : {}),
    hops: tagged,
    segments: [info],
  };
}

/**
 * Which stretch of a session the timeline shows, as plain numbers: the
 * session's extent, the view inside it (from a minute to all of it), the
 * d3-zoom transform that stands for a view, and how many buckets to ask the
 * store for. Pure, so zoom, pan and "follow now" can be tested without a DOM.
 */

/** The narrowest view: one minute. */
export const MIN_VIEW_MS = 60_000;

/** A time range [from, to) in ms since the epoch. */
export interface TimeRange {
  from: number;
  to: number;
}

/** What the zoom keeps: scale k and horizontal offset x, as d3-zoom's ZoomTransform has them. */
export interface ZoomState {
  k: number;
  x: number;
}

/**
 * The whole session as the timeline spans it: from its start to its newest
 * record (now, for a session still running), at least a minute wide so a
 * young session fills the width as it grows.
 */
export function sessionExtent(startedAt: number, end: number): TimeRange {
  const from = Math.floor(startedAt);
  return { from, to: Math.max(Math.ceil(end), from + MIN_VIEW_MS) };
}

/** A view moved and sized to fit in the extent: at least a minute (or the extent), never past either end. */
export function clampView(view: TimeRange, extent: TimeRange): TimeRange {
  const extentSpan = extent.to - extent.from;
  const span = Math.min(extentSpan, Math.max(MIN_VIEW_MS, view.to - view.from));
  let from = Math.max(extent.from, Math.min(view.from, extent.to - span));
  if (!Number.isFinite(from)) from = extent.from;
  return { from, to: from + span };
}

/** The view a zoom transform shows, over a plot `width` pixels wide that shows `extent` at k = 1. */
export function viewFromZoom(zoom: ZoomState, extent: TimeRange, width: number): TimeRange {
  const msPerPx = (extent.to - extent.from) / width;
  const from = extent.from + (-zoom.x / zoom.k) * msPerPx;
  const to = extent.from + ((width - zoom.x) / zoom.k) * msPerPx;
  return clampView({ from, to }, extent);
}

/** The zoom transform that shows `view` (the inverse of viewFromZoom). */
export function zoomForView(view: TimeRange, extent: TimeRange, width: number): ZoomState {
  const k = (extent.to - extent.from) / Math.max(1, view.to - view.from);
  return { k, x: (-k * (view.from - extent.from) * width) / (extent.to - extent.from) };
}

/** The largest zoom factor: the whole session down to a minute. */
export function maxZoom(extent: TimeRange): number {
  return Math.max(1, (extent.to - extent.from) / MIN_VIEW_MS);
}

/** Within this share of the view's width of the newest record, the view keeps following it. */
const FOLLOW_SLACK = 0.02;

/** Whether a view ends at (or next to) the extent's end: a live timeline then keeps following "now". */
export function isAtEnd(view: TimeRange, extent: TimeRange): boolean {
  return view.to >= extent.to - (view.to - view.from) * FOLLOW_SLACK;
}

/**
 * The view after the extent changed (a live session grew): one that followed
 * the end keeps its width and moves with it; one the person panned away stays
 * where it is; no view yet (null) means the whole session.
 */
export function nextView(view: TimeRange | null, following: boolean, extent: TimeRange): TimeRange {
  if (view === null) return extent;
  if (following) return clampView({ from: extent.to - (view.to - view.from), to: extent.to }, extent);
  return clampView(view, extent);
}

/**
 * How many buckets to ask for: one per pixel, but none narrower than two
 * probe intervals, so every bucket of a session without gaps holds a sample
 * and a gap in the drawing is a gap in the data.
 */
export function bucketCount(view: TimeRange, widthPx: number, intervalMs: number, maxBuckets: number): number {
  const bySamples = Math.floor((view.to - view.from) / Math.max(1, 2 * intervalMs));
  return Math.max(1, Math.min(Math.floor(widthPx), bySamples, maxBuckets));
}

/** A view as whole milliseconds (the store takes integers), at least one ms wide. */
export function wholeRange(view: TimeRange): TimeRange {
  const from = Math.floor(view.from);
  return { from, to: Math.max(from + 1, Math.ceil(view.to)) };
}

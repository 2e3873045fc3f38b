/**
 * What the timeline draws, computed from the store's buckets: the RTT scale
 * shared by every series (linear or log), the min–max band and the average
 * line as SVG path data, loss as a few shaded paths per series, and the
 * markers placed on the time axis with close ones merged. Pure: d3 computes,
 * React draws.
 */
import { area, line } from 'd3-shape';
import { scaleLinear, scaleLog } from 'd3-scale';
import type { TimelineBucketInfo, TimelineMarkerInfo, TimelineMarkerKind } from '@shared/storedSessions';
import { clock } from '../focus/focusLabels';

/** Maps a time (ms since the epoch) or an RTT (ms) to a pixel. */
export type PixelScale = (value: number) => number;

/** The smallest RTT a log scale shows (10 µs): mtr-packet measures whole microseconds. */
export const LOG_FLOOR_MS = 0.01;

/**
 * The RTT domain of every series together, so rows compare at a glance:
 * from 0 (linear) or just under the fastest minimum (log) to just over the
 * slowest maximum. Without any RTT yet, a 0–10 ms frame.
 */
export function rttDomain(series: readonly (readonly TimelineBucketInfo[])[], log: boolean): [number, number] {
  let lo = Infinity;
  let hi = 0;
  for (const buckets of series) {
    for (const b of buckets) {
      if (b.maxMs !== null && b.maxMs > hi) hi = b.maxMs;
      if (b.minMs !== null && b.minMs < lo) lo = b.minMs;
    }
  }
  if (!(hi > 0)) return log ? [LOG_FLOOR_MS * 10, 10] : [0, 10];
  if (!log) return [0, hi * 1.05];
  const bottom = Math.max(LOG_FLOOR_MS, Math.min(lo, hi) * 0.9);
  return [bottom, Math.max(hi * 1.1, bottom * 10)];
}

/** A row's RTT scale: the shared domain onto the row's height (top is slow), values outside clamped; and its gridlines. */
export function rttScale(
  domain: [number, number],
  log: boolean,
  height: number,
  tickCount = 2,
): { y: PixelScale; ticks: number[] } {
  const scale = log
    ? scaleLog().domain(domain).range([height, 0]).clamp(true)
    : scaleLinear().domain(domain).range([height, 0]).nice(tickCount).clamp(true);
  const ticks = scale.ticks(tickCount).filter((t) => t > 0);
  // A log scale over decades proposes every 1-9 step: keep the powers of ten.
  return { y: scale, ticks: log ? ticks.filter((t) => Math.abs(Math.log10(t) % 1) < 1e-9) : ticks };
}

/** A bucket's middle on the time axis. */
const middle = (b: TimelineBucketInfo, bucketMs: number) => b.from + bucketMs / 2;

/** The min–max band of a series: one area, broken where a bucket has no RTT. */
export function bandPath(
  buckets: readonly TimelineBucketInfo[],
  bucketMs: number,
  x: PixelScale,
  y: PixelScale,
): string {
  const shape = area<TimelineBucketInfo>()
    .defined((b) => b.minMs !== null && b.maxMs !== null)
    .x((b) => x(middle(b, bucketMs)))
    .y0((b) => y(b.minMs ?? 0))
    .y1((b) => y(b.maxMs ?? 0));
  return shape(buckets) ?? '';
}

/** The average line of a series, broken where a bucket has no RTT. */
export function avgPath(
  buckets: readonly TimelineBucketInfo[],
  bucketMs: number,
  x: PixelScale,
  y: PixelScale,
): string {
  const shape = line<TimelineBucketInfo>()
    .defined((b) => b.avgMs !== null)
    .x((b) => x(middle(b, bucketMs)))
    .y((b) => y(b.avgMs ?? 0));
  return shape(buckets) ?? '';
}

/** Loss levels, each drawn as one path: the DOM stays a handful of elements however many buckets lost probes. */
export const LOSS_LEVELS = [
  { level: 1, upTo: 10 },
  { level: 2, upTo: 50 },
  { level: 3, upTo: 100 },
] as const;

export function lossLevel(lossPct: number): number {
  return LOSS_LEVELS.find((l) => lossPct <= l.upTo)?.level ?? 3;
}

/**
 * Loss marks of a series on its strip: per level, one path of rectangles, a
 * bucket each (at least a pixel wide), neighbours of the same level merged.
 */
export function lossPaths(
  buckets: readonly TimelineBucketInfo[],
  bucketMs: number,
  x: PixelScale,
  height: number,
): { level: number; d: string }[] {
  const parts = new Map<number, string[]>();
  let run: { level: number; x0: number; x1: number } | null = null;
  const close = () => {
    if (!run) return;
    const list = parts.get(run.level) ?? [];
    const w = Math.max(1, run.x1 - run.x0).toFixed(1);
    list.push(`M${run.x0.toFixed(1)},0h${w}v${height}h-${w}Z`);
    parts.set(run.level, list);
    run = null;
  };
  for (const b of buckets) {
    if (b.lossPct === null || b.lossPct <= 0) {
      close();
      continue;
    }
    const level = lossLevel(b.lossPct);
    const x0 = x(b.from);
    const x1 = x(b.from + bucketMs);
    if (run && run.level === level && x0 - run.x1 < 0.5) run.x1 = x1;
    else {
      close();
      run = { level, x0, x1 };
    }
  }
  close();
  return [...parts].sort((a, b) => a[0] - b[0]).map(([level, list]) => ({ level, d: list.join('') }));
}

/** Which kind colours a merged mark: the most alarming one in it. */
const KIND_RANK: Record<TimelineMarkerKind, number> = { error: 0, restart: 1, segment: 2, 'path-change': 3 };

export const MARKER_LABELS: Record<TimelineMarkerKind, string> = {
  restart: 'mtr-packet restarted',
  segment: 'options changed',
  error: 'error',
  'path-change': 'path change',
};

export interface PlacedMarker {
  x: number;
  kind: TimelineMarkerKind;
  /** Markers merged into this mark. */
  count: number;
  /** What a tooltip says: each merged marker's time and description (the first few). */
  title: string;
}

const SHOWN_IN_TITLE = 6;

function describeMarker(m: TimelineMarkerInfo): string {
  const time = clock(new Date(m.at));
  const what = MARKER_LABELS[m.kind];
  if (m.kind === 'path-change') return `${time} ${what} at TTL ${m.ttl ?? '?'}: ${m.detail ?? 'new responder'}`;
  return m.detail ? `${time} ${what}: ${m.detail}` : `${time} ${what}`;
}

/**
 * Markers in the plot's width, in time order; marks closer than `minGapPx`
 * merge into one (so there are at most width / minGapPx of them).
 */
export function placeMarkers(
  markers: readonly TimelineMarkerInfo[],
  x: PixelScale,
  width: number,
  minGapPx = 4,
): PlacedMarker[] {
  const placed: (PlacedMarker & { merged: TimelineMarkerInfo[] })[] = [];
  for (const m of [...markers].sort((a, b) => a.at - b.at)) {
    const px = x(m.at);
    if (!(px >= 0 && px <= width)) continue;
    const last = placed[placed.length - 1];
    if (last && px - last.x < minGapPx) {
      last.count++;
      last.merged.push(m);
      if (KIND_RANK[m.kind] < KIND_RANK[last.kind]) last.kind = m.kind;
      continue;
    }
    placed.push({ x: px, kind: m.kind, count: 1, title: '', merged: [m] });
  }
  return placed.map(({ merged, ...mark }) => {
    const lines = merged.slice(0, SHOWN_IN_TITLE).map(describeMarker);
    if (merged.length > SHOWN_IN_TITLE) lines.push(`… and ${merged.length - SHOWN_IN_TITLE} more`);
    return { ...mark, title: lines.join('\n') };
  });
}

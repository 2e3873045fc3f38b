/**
 * Which hops the timeline draws and how tall each row is: the destination
 * first, then the pinned hops in pin order, then the selected hop, each TTL
 * once; rows share the height, none shorter than a readable minimum.
 */

export interface SeriesRow {
  ttl: number;
  role: 'destination' | 'pinned' | 'selected';
}

export function seriesRows(
  destinationTtl: number | null,
  pinned: readonly number[],
  selectedTtl: number | null,
): SeriesRow[] {
  const rows: SeriesRow[] = [];
  const add = (ttl: number | null, role: SeriesRow['role']) => {
    if (ttl !== null && !rows.some((r) => r.ttl === ttl)) rows.push({ ttl, role });
  };
  add(destinationTtl, 'destination');
  for (const ttl of pinned) add(ttl, 'pinned');
  add(selectedTtl, 'selected');
  return rows;
}

/** Height of the time axis under the rows. */
export const AXIS_HEIGHT = 22;
/** Height of each row's loss strip, and the gap under it. */
export const LOSS_HEIGHT = 6;
export const ROW_GAP = 6;
const MIN_ROW_HEIGHT = 40;

export interface RowGeometry {
  /** Top of each row's chart, in the order of the rows. */
  tops: number[];
  /** Height of each chart (the loss strip and the gap come after it). */
  chartHeight: number;
  rowHeight: number;
  /** Height of the series area (where the brush works); the axis is under it. */
  seriesHeight: number;
}

export function rowGeometry(count: number, bodyHeight: number): RowGeometry {
  const rows = Math.max(1, count);
  const rowHeight = Math.max(MIN_ROW_HEIGHT, Math.floor((bodyHeight - AXIS_HEIGHT) / rows));
  return {
    tops: Array.from({ length: count }, (_, i) => i * rowHeight),
    chartHeight: rowHeight - LOSS_HEIGHT - ROW_GAP,
    rowHeight,
    seriesHeight: rows * rowHeight,
  };
}

/**
 * The path graph's small parts around the nodes: column headers, edges and
 * the selected column's highlight. They take plain values and are memoised:
 * a live batch changes every node's statistics and sparkline, but little of
 * the text, boxes and edges around them.
 */
import { memo } from 'react';
import type { GraphColumn, GraphEdge } from './pathLayout';

export const ColumnHeader = memo(function ColumnHeader({
  ttl,
  x,
  y,
  isDestination,
  onPath,
}: {
  ttl: number;
  x: number;
  y: number;
  isDestination: boolean;
  onPath: boolean;
}) {
  const state = isDestination ? 'is-destination' : onPath ? '' : 'is-off-path';
  return (
    <text className={`hs-column-ttl ${state}`.trim()} x={x + 2} y={y} aria-hidden="true">
      {`#${ttl}${isDestination ? ' · destination' : onPath ? '' : ' · not probed'}`}
    </text>
  );
});

export const EdgePath = memo(function EdgePath({
  kind,
  selected,
  d,
  markerEnd,
  strokeWidth,
}: {
  kind: GraphEdge['kind'];
  selected: boolean;
  d: string;
  markerEnd: string;
  strokeWidth: number;
}) {
  return (
    <path
      className={`hs-edge hs-edge--${kind}${selected ? ' is-selected' : ''}`}
      d={d}
      markerEnd={markerEnd}
      style={{ strokeWidth }}
    />
  );
});

export function ColumnHighlight({ column }: { column: GraphColumn | undefined }) {
  if (column === undefined) return null;
  return (
    <rect
      className="hs-column-selected"
      x={column.x - 10}
      y={column.top}
      width={column.width + 20}
      height={column.bottom - column.top}
      rx={10}
      aria-hidden="true"
    />
  );
}

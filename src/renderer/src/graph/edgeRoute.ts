/**
 * How a link between two boxes of the path graph is drawn. Pure: boxes in,
 * SVG path data out.
 */
import { path as svgPath } from 'd3-path';
import type { GraphNode } from './pathLayout';

/** The gaps a link runs through. */
export interface EdgeSpacing {
  /** Between columns. */
  gapX: number;
  /** Left/right margin. */
  side: number;
  /** Between rows. */
  rowGap: number;
}

type Box = Pick<GraphNode, 'x' | 'y' | 'width' | 'height' | 'row'>;

/**
 * A link from `source` to `target`, always leaving a box on its right and
 * entering the next on its left. Within a row it is an S through the column
 * gap; from the end of one row to the start of the next it runs down the
 * right margin, back along the gap between the rows (below `rowBottom`), and
 * down into the target, so the path still reads left to right.
 */
export function edgePath(source: Box, target: Box, rowBottom: number, spacing: EdgeSpacing): string {
  const sx = source.x + source.width;
  const sy = source.y + source.height / 2;
  const tx = target.x;
  const ty = target.y + target.height / 2;
  const p = svgPath();
  p.moveTo(sx, sy);
  if (source.row === target.row) {
    const bend = Math.max(spacing.gapX / 2, Math.abs(tx - sx) / 2);
    p.bezierCurveTo(sx + bend, sy, tx - bend, ty, tx, ty);
    return p.toString();
  }
  const out = sx + spacing.side * 0.6;
  const back = tx - spacing.side * 0.6;
  const between = rowBottom + spacing.rowGap / 2;
  const r = 8;
  p.lineTo(out - r, sy);
  p.quadraticCurveTo(out, sy, out, sy + r);
  p.lineTo(out, between - r);
  p.quadraticCurveTo(out, between, out - r, between);
  p.lineTo(back + r, between);
  p.quadraticCurveTo(back, between, back, between + r);
  p.lineTo(back, ty - r);
  p.quadraticCurveTo(back, ty, back + r, ty);
  p.lineTo(tx, ty);
  return p.toString();
}

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

/** What an edge's path depends on, in a fixed order (with the spacing, compared by identity). */
function geometryOf(source: Box, target: Box, rowBottom: number): number[] {
  return [
    source.x,
    source.y,
    source.width,
    source.height,
    source.row,
    target.x,
    target.y,
    target.height,
    target.row,
    rowBottom,
  ];
}

function sameGeometry(held: readonly number[], source: Box, target: Box, rowBottom: number): boolean {
  return (
    held[0] === source.x &&
    held[1] === source.y &&
    held[2] === source.width &&
    held[3] === source.height &&
    held[4] === source.row &&
    held[5] === target.x &&
    held[6] === target.y &&
    held[7] === target.height &&
    held[8] === target.row &&
    held[9] === rowBottom
  );
}

/** An edge's path and what it was made from. */
interface HeldPath {
  geometry: number[];
  spacing: EdgeSpacing;
  path: string;
}

/**
 * The edge paths of a graph's last layout, by source and target box: a live
 * batch lays the path out again but rarely moves a box, so its edges keep
 * their strings (30 hops × 4 responders have 464 edges, whose paths were
 * about 230 kB of strings a frame). Each layout keeps only the edges it drew.
 */
export class EdgePathCache {
  private held = new Map<string, Map<string, HeldPath>>();
  private drawn = new Map<string, Map<string, HeldPath>>();

  /** edgePath(source, target, rowBottom, spacing), reused when the same boxes had the same geometry last layout. */
  path(source: Box & { id: string }, target: Box & { id: string }, rowBottom: number, spacing: EdgeSpacing): string {
    let entry = this.held.get(source.id)?.get(target.id);
    if (entry === undefined || entry.spacing !== spacing || !sameGeometry(entry.geometry, source, target, rowBottom)) {
      entry = {
        geometry: geometryOf(source, target, rowBottom),
        spacing,
        path: edgePath(source, target, rowBottom, spacing),
      };
    }
    let fromSource = this.drawn.get(source.id);
    if (fromSource === undefined) this.drawn.set(source.id, (fromSource = new Map<string, HeldPath>()));
    fromSource.set(target.id, entry);
    return entry.path;
  }

  /** Ends a layout: the edges it drew are the ones held for the next. */
  finish(): void {
    this.held = this.drawn;
    this.drawn = new Map();
  }
}

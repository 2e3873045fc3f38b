/**
 * Where the path crosses from one network to the next: consecutive columns
 * of one row whose responders share an AS form a band, drawn behind them
 * with the AS name above. Pure geometry from the layout, so it is tested
 * without a DOM. A column whose responders disagree (ECMP across networks),
 * know no AS, or stay silent belongs to no band: nothing is guessed.
 */
import type { AsOwner } from '@shared/enrichment';
import type { GraphColumn, GraphNode, PathLayout } from './pathLayout';
import { ownerLine } from './ownerLabels';
import { monoCharsThatFit } from './textFit';

export interface AsBand {
  /** Stable across updates: first TTL and AS. */
  key: string;
  asn: number;
  organisation: string;
  /** `AS64500 Example Transit`, cut to the band's width. */
  label: string;
  firstTtl: number;
  lastTtl: number;
  /** Alternates from one AS to the next along the path, so neighbours differ. */
  shade: 0 | 1;
  x: number;
  y: number;
  width: number;
  height: number;
  labelX: number;
  labelY: number;
}

/** Above the TTL headers, inside each row's header space (see PATH_SPACING.rowHeader). */
const LABEL_ABOVE_HEADER = 16;
const LABEL_FONT_PX = 11;
const MARGIN_X = 6;

/** The AS every responder of the column shares, or null. */
export function columnAs(column: GraphColumn, nodeById: ReadonlyMap<string, GraphNode>): AsOwner | null {
  let shared: AsOwner | null = null;
  for (const id of column.nodeIds) {
    const as = nodeById.get(id)?.host?.owner?.as;
    if (as === undefined || (shared !== null && shared.asn !== as.asn)) return null;
    shared ??= as;
  }
  return shared;
}

export function asBands(layout: PathLayout): AsBand[] {
  const nodeById = new Map(layout.nodes.map((n) => [n.id, n]));
  const bands: AsBand[] = [];
  let shade: 0 | 1 = 1;
  let previousAsn: number | null = null;
  let run: { as: AsOwner; columns: GraphColumn[] } | null = null;
  const close = () => {
    if (run !== null) bands.push(bandOf(run.as, run.columns, shade));
    run = null;
  };
  for (const column of layout.columns) {
    const as = columnAs(column, nodeById);
    if (run !== null && (as === null || as.asn !== run.as.asn || column.row !== run.columns[0]!.row)) close();
    if (as === null) {
      previousAsn = null;
      continue;
    }
    if (run === null) {
      if (as.asn !== previousAsn) shade = shade === 0 ? 1 : 0;
      run = { as, columns: [] };
    }
    run.columns.push(column);
    previousAsn = as.asn;
  }
  close();
  return bands;
}

function bandOf(as: AsOwner, columns: readonly GraphColumn[], shade: 0 | 1): AsBand {
  const first = columns[0]!;
  const last = columns[columns.length - 1]!;
  const x = first.x - MARGIN_X;
  const width = last.x + last.width + MARGIN_X - x;
  const y = first.headerY - LABEL_ABOVE_HEADER - 12;
  return {
    key: `${first.ttl}:${as.asn}`,
    asn: as.asn,
    organisation: as.organisation,
    label: ownerLine({ as }, monoCharsThatFit(width - 8, LABEL_FONT_PX)) ?? `AS${as.asn}`,
    firstTtl: first.ttl,
    lastTtl: last.ttl,
    shade,
    x,
    y,
    width,
    height: first.bottom + 2 - y,
    labelX: x + 4,
    labelY: first.headerY - LABEL_ABOVE_HEADER,
  };
}

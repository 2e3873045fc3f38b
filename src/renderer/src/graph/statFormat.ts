/**
 * How hop statistics read as text, the same in the graph, its tooltip and
 * the table. One decimal like mtr; a dash for "no data" so an empty cell is
 * never mistaken for zero.
 */
import type { MplsLabel } from '@shared/probe';

export const NO_VALUE = '—';

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return NO_VALUE;
  return ms >= 1000 ? ms.toFixed(0) : ms.toFixed(1);
}

export function formatLossPct(pct: number): string {
  return `${pct.toFixed(1)}%`;
}

/** mtr -e style: "Lbl 24005 TC 0 S 1 TTL 1". */
export function formatMplsLabel(label: MplsLabel): string {
  return `Lbl ${label.label} TC ${label.trafficClass} S ${label.bottomOfStack ? 1 : 0} TTL ${label.ttl}`;
}

/** Compact stack for a table cell: labels top to bottom. */
export function formatMplsStack(labels: readonly MplsLabel[]): string {
  return labels.map((l) => String(l.label)).join(' / ');
}

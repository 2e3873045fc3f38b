/**
 * Hops as table rows, mtr style (one row per responder, extra responders
 * under their TTL), and their ordering. Pure, so the table stays a view.
 */
import type { HostStats } from '@shared/traceFile';
import type { HopStatsUpdate } from '@shared/session';
import { formatMplsStack } from '../graph/statFormat';

export const HOP_COLUMNS = [
  'ttl',
  'host',
  'as',
  'country',
  'loss',
  'sent',
  'last',
  'avg',
  'best',
  'worst',
  'stdev',
  'jitter',
  'p50',
  'p95',
  'p99',
  'mpls',
] as const;
export type HopColumnId = (typeof HOP_COLUMNS)[number];

export type SortDirection = 'ascending' | 'descending';
export interface HopSort {
  column: HopColumnId;
  direction: SortDirection;
}
export const DEFAULT_HOP_SORT: HopSort = { column: 'ttl', direction: 'ascending' };

const ASCENDING_FIRST: ReadonlySet<HopColumnId> = new Set(['ttl', 'host', 'as', 'country', 'mpls']);

/** Columns only a trace with owners (AS, country) fills; the table leaves them out otherwise. */
export const OWNER_COLUMNS: readonly HopColumnId[] = ['as', 'country'];

/** Columns only the statistics of a focus window fill (the store computes them); left out otherwise. */
export const PERCENTILE_COLUMNS: readonly HopColumnId[] = ['p50', 'p95', 'p99'];

/** A responder's RTT percentiles, present on the hops of a focus window. */
export interface RttPercentiles {
  p50Ms?: number | null;
  p95Ms?: number | null;
  p99Ms?: number | null;
}

/** Whether any responder carries percentiles (the hops are a focus window's). */
export function hasPercentiles(hops: readonly HopStatsUpdate[]): boolean {
  return hops.some((hop) => hop.hosts.some((h) => (h as RttPercentiles).p50Ms !== undefined));
}

/** Direction a column sorts in on its first click: metrics worst-first, names and TTLs in path order. */
export function firstSortDirection(column: HopColumnId): SortDirection {
  return ASCENDING_FIRST.has(column) ? 'ascending' : 'descending';
}

export interface HopRow {
  /** Stable React key: `${ttl}:${address}` or `${ttl}:*`. */
  key: string;
  ttl: number;
  hop: HopStatsUpdate;
  /** Null for a TTL nobody answered. */
  host: (HostStats & RttPercentiles) | null;
  /** 0 for the first responder at its TTL, 1… for the ECMP siblings after it. */
  responderIndex: number;
}

/** Rows in path order: by TTL, responders in the order the engine reports them. */
export function hopRows(hops: readonly HopStatsUpdate[]): HopRow[] {
  const rows: HopRow[] = [];
  for (const hop of [...hops].sort((a, b) => a.ttl - b.ttl)) {
    if (hop.hosts.length === 0) {
      rows.push({ key: `${hop.ttl}:*`, ttl: hop.ttl, hop, host: null, responderIndex: 0 });
      continue;
    }
    hop.hosts.forEach((host, responderIndex) =>
      rows.push({ key: `${hop.ttl}:${host.address}`, ttl: hop.ttl, hop, host, responderIndex }),
    );
  }
  return rows;
}

/** The value a column sorts by; null sorts last in both directions. */
export function hopRowValue(row: HopRow, column: HopColumnId): number | string | null {
  const host = row.host;
  switch (column) {
    case 'ttl':
      return row.ttl;
    case 'host':
      return host === null ? null : (host.hostname ?? host.address);
    case 'as':
      return host?.owner?.as?.asn ?? null;
    case 'country':
      return host?.owner?.country?.code ?? null;
    case 'loss':
      return row.hop.sent === 0 ? null : row.hop.lossPct;
    case 'sent':
      return row.hop.sent;
    case 'last':
      return host?.lastMs ?? null;
    case 'avg':
      return host?.avgMs ?? null;
    case 'best':
      return host?.bestMs ?? null;
    case 'worst':
      return host?.worstMs ?? null;
    case 'stdev':
      return host?.stdevMs ?? null;
    case 'jitter':
      return host?.jitterMs ?? null;
    case 'p50':
      return host?.p50Ms ?? null;
    case 'p95':
      return host?.p95Ms ?? null;
    case 'p99':
      return host?.p99Ms ?? null;
    case 'mpls':
      return host === null || host.mpls.length === 0 ? null : formatMplsStack(host.mpls);
  }
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function compareValues(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

/** Orders rows by `sort`; ties keep path order, so ECMP siblings stay together under their TTL. */
function sortHopRows(rows: readonly HopRow[], sort: HopSort): HopRow[] {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const va = hopRowValue(a, sort.column);
    const vb = hopRowValue(b, sort.column);
    if (va !== vb) {
      if (va === null) return 1;
      if (vb === null) return -1;
      const c = compareValues(va, vb);
      if (c !== 0) return sign * c;
    }
    return a.ttl - b.ttl || a.responderIndex - b.responderIndex;
  });
}

export function sortHops(hops: readonly HopStatsUpdate[], sort: HopSort = DEFAULT_HOP_SORT): HopRow[] {
  return sortHopRows(hopRows(hops), sort);
}

/** True when rows appear grouped by TTL (path order), as in mtr; then siblings omit TTL-wide cells. */
export function isPathOrder(sort: HopSort): boolean {
  return sort.column === 'ttl';
}

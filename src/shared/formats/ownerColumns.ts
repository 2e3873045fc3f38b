/**
 * The owner columns of the text writers, as mtr's `-z` / `-y 2` print them
 * (mtr 0.95 ui/asn.c fmt_ipinfo: `AS%-7s` for the AS, `%-4s` for the
 * country, `???` when unknown). A hop's owner is its first responder's, the
 * one whose name the row shows; a silent hop's is unknown, as in mtr.
 */
// Types only: the writers build none of the enrichment schemas.
import type { ResponderEnrichment } from '../enrichment';
import type { Hop } from '../traceFile';
import { printableText } from '../textSafety';

/** `as`: mtr's `-z` (`-y 0`); `country`: mtr's `-y 2`. Always shown in this order. */
export const OWNER_COLUMNS = ['as', 'country'] as const;
export type OwnerColumn = (typeof OWNER_COLUMNS)[number];

export interface OwnerColumnOptions {
  /** Owner columns to show before each hop's name (none by default). */
  owners?: readonly OwnerColumn[];
}

/** mtr's iiwidth: the item's width plus one space; the AS cell adds its `AS` prefix on top. */
const CELL_WIDTH: Record<OwnerColumn, number> = { as: 9, country: 4 };

const UNKNOWN = '???';

/** The columns asked for, de-duplicated, in {@link OWNER_COLUMNS} order. */
export function ownerColumnsOf(opts: OwnerColumnOptions): OwnerColumn[] {
  return OWNER_COLUMNS.filter((c) => opts.owners?.includes(c));
}

/** mtr's `-z` column text: `AS64500`, or `AS???` when nothing is known. */
export function asLabel(enrichment: ResponderEnrichment | undefined): string {
  return enrichment?.as ? `AS${enrichment.as.asn}` : 'AS???';
}

/** One cell's text without padding: `AS64500` / `AS???`, `NL` / `???` (mtr's JSON and CSV values). */
export function ownerCell(column: OwnerColumn, owner: ResponderEnrichment | undefined): string {
  return column === 'as' ? asLabel(owner) : (owner?.country?.code ?? UNKNOWN);
}

/** The cells as the report prints them before a name: each padded to mtr's width. */
export function ownerPrefix(columns: readonly OwnerColumn[], owner: ResponderEnrichment | undefined): string {
  return columns.map((c) => ownerCell(c, owner).padEnd(CELL_WIDTH[c])).join('');
}

/** Extra header width of a wide report: the cells, `AS` prefix included (mtr's `len_tmp`). */
export function ownerHeaderWidth(columns: readonly OwnerColumn[]): number {
  return columns.reduce((sum, c) => sum + CELL_WIDTH[c], 0);
}

/** The owner mtr would show for a hop: its first responder's; undefined for a silent hop. */
export function hopOwner(hop: Hop): ResponderEnrichment | undefined {
  return hop.hosts[0]?.owner;
}

/**
 * Hopscope's footnote under a report with owner columns: each AS on the path
 * once, in path order, with its organisation, country and the data behind it,
 * since the number alone does not say whom to call.
 */
export function ownerFootnotes(hops: readonly Hop[]): string[] {
  const seen = new Map<number, { ttls: number[]; line: string }>();
  for (const hop of hops) {
    for (const host of hop.hosts) {
      const as = host.owner?.as;
      if (!as) continue;
      const entry = seen.get(as.asn);
      if (entry) {
        if (!entry.ttls.includes(hop.ttl)) entry.ttls.push(hop.ttl);
        continue;
      }
      const country = host.owner?.country ? `, ${host.owner.country.code}` : '';
      const line = `AS${as.asn} ${printableText(as.organisation)}${country} (${as.origin} data of ${as.dataDate})`;
      seen.set(as.asn, { ttls: [hop.ttl], line });
    }
  }
  return [...seen.values()].map(({ ttls, line }) => `${line}: ${ttls.length > 1 ? 'hops' : 'hop'} ${ttls.join(', ')}`);
}

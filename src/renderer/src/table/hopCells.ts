/**
 * What one cell of the hop table says: its text and its tooltip, from a row
 * (a responder of a TTL, or the TTL when nobody answered). Pure.
 */
import { NO_VALUE, formatLossPct, formatMplsLabel, formatMplsStack, formatMs } from '../graph/statFormat';
import { countryName, ownerLine } from '../graph/ownerLabels';
import type { HopColumnId, HopRow } from './sortHops';

export function cellTitle(row: HopRow, column: HopColumnId, lossLocal: boolean): string | undefined {
  const host = row.host;
  if (column === 'mpls' && host !== null && host.mpls.length > 0) return host.mpls.map(formatMplsLabel).join('\n');
  if (column === 'loss' && lossLocal) return 'Loss not seen downstream: likely ICMP rate limiting on this router';
  if (column === 'as' && host?.owner?.as) return `AS${host.owner.as.asn} ${host.owner.as.organisation}`;
  if (column === 'country' && host?.owner?.country) return countryName(host.owner.country.code);
  return undefined;
}

export function cellText(row: HopRow, column: Exclude<HopColumnId, 'ttl' | 'host'>, siblingRow: boolean): string {
  const host = row.host;
  switch (column) {
    case 'loss':
      // Loss and Snt belong to the TTL; mtr prints them once per TTL.
      return siblingRow ? '' : row.hop.sent === 0 ? NO_VALUE : formatLossPct(row.hop.lossPct);
    case 'sent':
      return siblingRow ? '' : String(row.hop.sent);
    case 'last':
      return formatMs(host?.lastMs);
    case 'avg':
      return formatMs(host?.avgMs);
    case 'best':
      return formatMs(host?.bestMs);
    case 'worst':
      return formatMs(host?.worstMs);
    case 'stdev':
      return formatMs(host?.stdevMs);
    case 'jitter':
      return formatMs(host?.jitterMs);
    case 'p50':
      return formatMs(host?.p50Ms);
    case 'p95':
      return formatMs(host?.p95Ms);
    case 'p99':
      return formatMs(host?.p99Ms);
    case 'mpls':
      return host === null || host.mpls.length === 0 ? '' : formatMplsStack(host.mpls);
    // Not looked up: empty; looked up and unknown: the no-value mark.
    case 'as':
      return host?.owner === undefined ? '' : (ownerLine(host.owner, 32) ?? NO_VALUE);
    case 'country':
      return host?.owner === undefined ? '' : (host.owner.country?.code ?? NO_VALUE);
  }
}

/**
 * How an owner (AS, organisation, country) is written in the graph, the
 * tooltip, the table and the map: one place, so they all say the same.
 */
import type { DataOrigin, ResponderEnrichment } from '@shared/enrichment';

/** Legal-form endings that say nothing about whose network it is. */
const LEGAL_FORM =
  /[\s,]+(inc|llc|l\.l\.c|ltd|limited|gmbh|ag|b\.?v|s\.?a|s\.?a\.?s|plc|co|corp|corporation|oy|ab|as|srl|sro|kk|pte|pty)\.?$/i;

/** A short organisation name for a box or a band: without the legal form, at most `maxChars`. */
export function shortOrganisation(organisation: string, maxChars = 28): string {
  let name = organisation.trim();
  for (let previous = ''; previous !== name;) {
    previous = name;
    name = name.replace(LEGAL_FORM, '').trim();
  }
  if (name === '') name = organisation.trim();
  return name.length <= maxChars ? name : `${name.slice(0, maxChars - 1).trimEnd()}…`;
}

/**
 * `AS64500 Example Transit`, at most `maxChars` long (the AS number always
 * whole, the organisation cut at its end), or null when no AS is known.
 */
export function ownerLine(owner: ResponderEnrichment | undefined, maxChars = 40): string | null {
  if (owner?.as === undefined) return null;
  const asn = `AS${owner.as.asn}`;
  const room = maxChars - asn.length - 1;
  const organisation = room >= 4 ? shortOrganisation(owner.as.organisation, room) : '';
  return organisation === '' ? asn : `${asn} ${organisation}`;
}

let regionNames: Intl.DisplayNames | null | undefined;

/** `Germany (DE)`, or the code alone where the browser cannot name regions. */
export function countryName(code: string): string {
  if (regionNames === undefined) {
    try {
      regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
    } catch {
      regionNames = null;
    }
  }
  const name = regionNames?.of(code);
  return name === undefined || name === code ? code : `${name} (${code})`;
}

const ORIGIN_WORDS: Record<DataOrigin, string> = { user: 'your database', shipped: 'shipped data' };

/** Which data said so: `2026-11-01 (shipped data)`, both dates when AS and country data differ. */
export function ownerDataDate(owner: ResponderEnrichment): string | null {
  const parts = [owner.as, owner.country]
    .filter((p) => p !== undefined)
    .map((p) => `${p.dataDate} (${ORIGIN_WORDS[p.origin]})`);
  const unique = [...new Set(parts)];
  return unique.length === 0 ? null : unique.join(', ');
}

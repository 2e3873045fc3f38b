/**
 * Which countries a path passes through, in hop order, for the world map.
 * Only what the data says is drawn: a hop whose responder has no country
 * (silent, a private or other special address the data leaves alone, an
 * address the databases do not know, a country too small for the map) is
 * listed as skipped with the reason, never given a position.
 */
import { ADDRESS_CLASS_INFO, addressClass } from '@shared/addressClass';
import type { Hop } from '@shared/traceFile';

/** What the map reads of a hop: a saved `Hop` and the store's `HopStatsUpdate` both fit. */
export type MapHop = Pick<Hop, 'ttl' | 'hosts' | 'onPath'>;

/** Consecutive hops in one country, drawn as one point. */
export interface MapStop {
  /** ISO 3166-1 alpha-2. */
  country: string;
  ttls: number[];
}

export type SkipReason = 'silent' | 'not-looked-up' | 'special-address' | 'no-country' | 'not-on-map';

export interface SkippedHop {
  ttl: number;
  reason: SkipReason;
  /** The responder's address, when there is one. */
  address?: string;
  /** For `special-address`: the address-class badge (private, CGNAT, …); for `not-on-map`: the country. */
  detail?: string;
}

export interface MapRoute {
  stops: MapStop[];
  skipped: SkippedHop[];
}

/**
 * The route through the countries of the hops' first responders (the one a
 * hop's row names). `onMap` says whether the map can place a country; hops
 * no longer on the path (`onPath: false`) are not part of it.
 */
export function mapRoute(hops: readonly MapHop[], onMap: (country: string) => boolean): MapRoute {
  const stops: MapStop[] = [];
  const skipped: SkippedHop[] = [];
  for (const hop of [...hops].filter((h) => h.onPath !== false).sort((a, b) => a.ttl - b.ttl)) {
    const responder = hop.hosts[0];
    if (!responder) {
      skipped.push({ ttl: hop.ttl, reason: 'silent' });
      continue;
    }
    const { address, owner } = responder;
    const country = owner?.country?.code;
    if (country === undefined) {
      const cls = addressClass(address);
      if (cls !== 'global')
        skipped.push({ ttl: hop.ttl, reason: 'special-address', address, detail: ADDRESS_CLASS_INFO[cls].badge });
      else skipped.push({ ttl: hop.ttl, reason: owner === undefined ? 'not-looked-up' : 'no-country', address });
      continue;
    }
    if (!onMap(country)) {
      skipped.push({ ttl: hop.ttl, reason: 'not-on-map', address, detail: country });
      continue;
    }
    const last = stops.at(-1);
    if (last?.country === country) last.ttls.push(hop.ttl);
    else stops.push({ country, ttls: [hop.ttl] });
  }
  return { stops, skipped };
}

const REASON_TEXT: Record<SkipReason, (s: SkippedHop) => string> = {
  silent: () => 'no reply',
  'not-looked-up': (s) => `${s.address ?? ''}: owner not looked up`,
  'special-address': (s) => `${s.address ?? ''}: ${s.detail ?? 'special'} address, no country`,
  'no-country': (s) => `${s.address ?? ''}: no country in the data`,
  'not-on-map': (s) => `${s.address ?? ''}: ${s.detail ?? ''} is too small for this map`,
};

/** One sentence naming every hop the map leaves out and why; empty when none is. */
export function skippedSentence(skipped: readonly SkippedHop[]): string {
  if (skipped.length === 0) return '';
  const parts = skipped.map((s) => `hop ${s.ttl} (${REASON_TEXT[s.reason](s)})`);
  return `${skipped.length} ${skipped.length === 1 ? 'hop is' : 'hops are'} not drawn: ${parts.join('; ')}.`;
}

/** `1`, `4–5`, `2, 4` for a stop's label. */
export function ttlLabel(ttls: readonly number[]): string {
  const first = ttls[0];
  const last = ttls.at(-1);
  if (first === undefined || last === undefined) return '';
  if (first === last) return String(first);
  const contiguous = ttls.every((t, i) => t === first + i);
  return contiguous ? `${first}–${last}` : ttls.join(', ');
}

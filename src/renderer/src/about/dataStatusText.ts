/** How the engine's AS and country data is described in a line: the map footer, the status bar, the settings. */
import type { DataDateBasis, EnrichmentSource, EnrichmentStatus } from '@shared/enrichment';

const KIND_WORDS = { asn: 'AS data', country: 'Country data' } as const;
const ORIGIN_WORDS = { user: 'your file', shipped: 'shipped with Hopscope' } as const;

/** Where a data date comes from, in words. */
export const DATA_DATE_BASIS_WORDS: Readonly<Record<DataDateBasis, string>> = {
  'package-version': 'from the package version',
  'mmdb-build-epoch': 'built into the file',
  'file-mtime': 'the file’s modification time',
};

/** `AS data 2026-11-20 (your file)`. */
export function sourceText(source: EnrichmentSource): string {
  return `${KIND_WORDS[source.kind]} ${source.dataDate} (${ORIGIN_WORDS[source.origin]})`;
}

/** `AS data 2026-11-20 (shipped with Hopscope) · Country data …`, or why there is none. */
export function dataStatusText(status: EnrichmentStatus | null): string {
  if (status === null) return 'Asking which AS and country data is in use…';
  if (status.state === 'loading') return 'AS and country data is loading…';
  if (status.sources.length === 0) {
    return status.state === 'idle' ? 'No AS or country data is in use.' : 'No AS or country data could be loaded.';
  }
  return status.sources.map(sourceText).join(' · ');
}

/**
 * The short form for the status bar: the AS data date in use (the user's
 * file when there is one), e.g. `AS data 2026-06-17`; null until known.
 */
export function dataDateBadge(status: EnrichmentStatus | null): string | null {
  const asn = status?.sources.find((s) => s.kind === 'asn');
  const country = status?.sources.find((s) => s.kind === 'country');
  const first = asn ?? country;
  if (first === undefined) return null;
  return `${KIND_WORDS[first.kind]} ${first.dataDate}${first.origin === 'user' ? ' (yours)' : ''}`;
}

/**
 * The map view of a trace: the world map of its path, and under it which AS
 * and country data the engine uses (data dates, problems) and the credit the
 * data's licences ask for. Loaded with React.lazy, so d3-geo and the country
 * shapes stay out of the first bundle until someone opens the map.
 */
import { useEffect, useState } from 'react';
import { ENRICHMENT_ATTRIBUTION, type EnrichmentStatus } from '@shared/enrichment';
import type { HopscopeApi } from '@shared/ipc';
import { WorldMap } from './WorldMap';
import type { MapHop } from './mapStops';
import './MapPanel.css';

export interface MapPanelProps {
  hops: readonly MapHop[];
  onExportPng: (png: Blob) => void;
  /** Asked once on mount for the data the engine uses. */
  getEnrichmentStatus: HopscopeApi['getEnrichmentStatus'];
}

const KIND_WORDS = { asn: 'AS data', country: 'Country data' } as const;
const ORIGIN_WORDS = { user: 'your file', shipped: 'shipped with Hopscope' } as const;

/** `AS data 2026-11-20 (shipped with Hopscope) · Country data …`, or why there is none. */
export function dataStatusText(status: EnrichmentStatus | null): string {
  if (status === null) return 'Asking which AS and country data is in use…';
  if (status.state === 'loading') return 'AS and country data is loading…';
  if (status.sources.length === 0) {
    return status.state === 'idle' ? 'No AS or country data is in use.' : 'No AS or country data could be loaded.';
  }
  return status.sources.map((s) => `${KIND_WORDS[s.kind]} ${s.dataDate} (${ORIGIN_WORDS[s.origin]})`).join(' · ');
}

export default function MapPanel({ hops, onExportPng, getEnrichmentStatus }: MapPanelProps) {
  const [status, setStatus] = useState<EnrichmentStatus | null>(null);
  useEffect(() => {
    let live = true;
    void getEnrichmentStatus().then((result) => {
      if (live && result.ok) setStatus(result.value);
    });
    return () => {
      live = false;
    };
  }, [getEnrichmentStatus]);

  return (
    <div className="hs-map-panel" data-testid="map-panel">
      <WorldMap hops={hops} onExportPng={onExportPng} />
      <footer className="hs-map-panel-footer">
        <p data-testid="enrichment-status">{dataStatusText(status)}</p>
        {status?.problems.map((problem) => (
          <p key={problem} className="hs-map-panel-problem" role="alert">
            {problem}
          </p>
        ))}
        <p className="hs-map-panel-attribution" data-testid="enrichment-attribution">
          {ENRICHMENT_ATTRIBUTION.text}{' '}
          {ENRICHMENT_ATTRIBUTION.links.map((link, i) => (
            <span key={link.url}>
              {i > 0 && ' · '}
              <a href={link.url} target="_blank" rel="noreferrer">
                {link.label}
              </a>
            </span>
          ))}
        </p>
      </footer>
    </div>
  );
}

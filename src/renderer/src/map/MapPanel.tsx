/**
 * The map view of a trace: the world map of its path, and under it which AS
 * and country data the engine uses (data dates, problems) and the credit the
 * data's licences ask for. Loaded with React.lazy, so d3-geo and the country
 * shapes stay out of the first bundle until someone opens the map.
 */
import { useEffect, useState } from 'react';
import { ENRICHMENT_ATTRIBUTION, type EnrichmentStatus } from '@shared/enrichment';
import type { HopscopeApi } from '@shared/ipc';
import { CreditLinks } from '../about/CreditLinks';
import { dataStatusText } from '../about/dataStatusText';
import { WorldMap } from './WorldMap';
import type { MapHop } from './mapStops';
import './MapPanel.css';

export interface MapPanelProps {
  hops: readonly MapHop[];
  onExportPng: (png: Blob) => void;
  /** Asked once on mount for the data the engine uses. */
  getEnrichmentStatus: HopscopeApi['getEnrichmentStatus'];
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
          {ENRICHMENT_ATTRIBUTION.text} <CreditLinks links={ENRICHMENT_ATTRIBUTION.links} />
        </p>
      </footer>
    </div>
  );
}

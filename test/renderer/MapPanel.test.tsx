/**
 * The map view's footer: which AS and country data the engine uses, asked
 * once through `getEnrichmentStatus`, its problems, and the attribution the
 * shipped data's licences ask for.
 */
import { describe, expect, it, vi } from 'vitest';
import { act } from 'react';
import { ENRICHMENT_ATTRIBUTION, type EnrichmentStatus } from '@shared/enrichment';
import type { IpcResult } from '@shared/ipc';
import MapPanel from '../../src/renderer/src/map/MapPanel';
import { dataStatusText } from '../../src/renderer/src/about/dataStatusText';
import { render } from './renderInDom';

const READY: EnrichmentStatus = {
  state: 'ready',
  sources: [
    { kind: 'asn', origin: 'user', file: '/data/asn.csv', dataDate: '2026-11-20', dataDateBasis: 'file-mtime' },
    { kind: 'asn', origin: 'shipped', file: 'asn-ipv4.csv', dataDate: '2026-06-17', dataDateBasis: 'package-version' },
    {
      kind: 'country',
      origin: 'shipped',
      file: 'geo.mmdb',
      dataDate: '2026-06-16',
      dataDateBasis: 'mmdb-build-epoch',
    },
  ],
  problems: ['/data/geo.mmdb: not an mmdb file'],
};

describe('dataStatusText', () => {
  it('names every database with its date and origin, user data first', () => {
    expect(dataStatusText(READY)).toBe(
      'AS data 2026-11-20 (your file) · AS data 2026-06-17 (shipped with Hopscope) · Country data 2026-06-16 (shipped with Hopscope)',
    );
  });

  it('says when nothing is known yet, loading, off, or failed', () => {
    expect(dataStatusText(null)).toMatch(/Asking/);
    expect(dataStatusText({ state: 'loading', sources: [], problems: [] })).toMatch(/loading/);
    expect(dataStatusText({ state: 'idle', sources: [], problems: [] })).toBe('No AS or country data is in use.');
    expect(dataStatusText({ state: 'ready', sources: [], problems: ['x'] })).toBe(
      'No AS or country data could be loaded.',
    );
  });
});

describe('MapPanel', () => {
  it('shows the data status, its problems and the attribution under the map', async () => {
    const getEnrichmentStatus = vi.fn(async (): Promise<IpcResult<EnrichmentStatus>> => ({ ok: true, value: READY }));
    const view = render(<MapPanel hops={[]} onExportPng={() => {}} getEnrichmentStatus={getEnrichmentStatus} />);
    await act(async () => {});
    const text = (id: string) => view.container.querySelector(`[data-testid="${id}"]`)!.textContent;
    expect(text('enrichment-status')).toBe(dataStatusText(READY));
    expect(view.container.querySelector('[role="alert"]')!.textContent).toBe('/data/geo.mmdb: not an mmdb file');
    expect(text('enrichment-attribution')).toContain(ENRICHMENT_ATTRIBUTION.text);
    const links = [...view.container.querySelectorAll('[data-testid="enrichment-attribution"] a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(ENRICHMENT_ATTRIBUTION.links.map((l) => l.url));
    expect(getEnrichmentStatus).toHaveBeenCalledTimes(1);
    view.unmount();
  });
});

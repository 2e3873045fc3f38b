/**
 * Who owns each hop, as the graph and the table show it: AS bands group
 * consecutive hops of one network (split at row wraps, broken by silent hops
 * and by ECMP siblings in different networks), nodes name their AS, the
 * tooltip gives AS, organisation, country and data date, and the table's
 * AS and Country columns appear and sort when owners are known. The owners
 * are the test network's (test/fixtures/enrich/testNetworkOwners.ts, which
 * reads files and so cannot load under happy-dom).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'react';
import type { ResponderEnrichment } from '@shared/enrichment';
import { asBands } from '../../src/renderer/src/graph/asBands';
import { layoutPath } from '../../src/renderer/src/graph/pathLayout';
import { PathGraph } from '../../src/renderer/src/graph/PathGraph';
import { shortOrganisation } from '../../src/renderer/src/graph/ownerLabels';
import { HopTable } from '../../src/renderer/src/table/HopTable';
import { hop, host } from '../fixtures/traceBuilders';
import { render } from './renderInDom';

const OWNERS_BY_LINK: Record<number, { asn: number; organisation: string; country: string }> = {
  1: { asn: 64512, organisation: 'Hopscope Test Home Network', country: 'NL' },
  2: { asn: 64513, organisation: 'Hopscope Test Access ISP', country: 'NL' },
  3: { asn: 64513, organisation: 'Hopscope Test Access ISP', country: 'NL' },
  4: { asn: 64514, organisation: 'Hopscope Test Transit, Inc.', country: 'DE' },
  5: { asn: 64514, organisation: 'Hopscope Test Transit, Inc.', country: 'DE' },
  8: { asn: 64515, organisation: 'Hopscope "Destination" Hosting', country: 'JP' },
};

function ownerOf(address: string): ResponderEnrichment {
  const owner = OWNERS_BY_LINK[Number(address.split('.')[2])];
  if (!owner) return {};
  return {
    as: { asn: owner.asn, organisation: owner.organisation, origin: 'user', dataDate: '2026-11-20' },
    country: { code: owner.country, origin: 'user', dataDate: '2026-11-20' },
  };
}
const owned = (address: string) => host(address, { owner: ownerOf(address) });

// Links 1 | 2 3 | 4 5 | 8: AS64512, AS64513 ×2, AS64514 ×2, AS64515.
const path = [
  hop(1, [owned('198.18.1.2')]),
  hop(2, [owned('198.18.2.2')]),
  hop(3, [owned('198.18.3.2')]),
  hop(4, [owned('198.18.4.2')]),
  hop(5, [owned('198.18.5.2')]),
  hop(6, [owned('198.18.8.2')]),
];

const bandsOf = (hops: typeof path, width?: number) =>
  asBands(layoutPath(hops, { destinationTtl: 6, width })).map((b) => [b.asn, b.firstTtl, b.lastTtl, b.shade]);

afterEach(() => localStorage.clear());

describe('AS bands', () => {
  it('group consecutive hops of one AS, shades alternating from one network to the next', () => {
    expect(bandsOf(path)).toEqual([
      [64512, 1, 1, 0],
      [64513, 2, 3, 1],
      [64514, 4, 5, 0],
      [64515, 6, 6, 1],
    ]);
  });

  it('split at a row wrap without changing shade, and never cover a silent hop or a split ECMP column', () => {
    // Three columns per row: AS64514 (TTL 4-5) is split between rows 2... no, row 1 ends at TTL 3.
    const narrow = layoutPath(path, { destinationTtl: 6, width: 3 * 240 + 100 });
    const perRow = Math.max(...narrow.columns.map((c) => c.index)) + 1;
    expect(perRow).toBeLessThan(6);
    const bands = asBands(narrow);
    for (const band of bands) {
      const rows = narrow.columns.filter((c) => c.ttl >= band.firstTtl && c.ttl <= band.lastTtl).map((c) => c.row);
      expect(new Set(rows).size).toBe(1);
    }
    // Every hop is still in exactly one band.
    expect(bands.reduce((n, b) => n + b.lastTtl - b.firstTtl + 1, 0)).toBe(6);

    const broken = [...path];
    broken[2] = hop(3, [], { sent: 10, received: 0, lossPct: 100 });
    broken[4] = hop(5, [owned('198.18.5.2'), owned('198.18.8.9')]);
    expect(bandsOf(broken)).toEqual([
      [64512, 1, 1, 0],
      [64513, 2, 2, 1],
      [64514, 4, 4, 0],
      [64515, 6, 6, 1],
    ]);
  });

  it('are absent without owners', () => {
    expect(asBands(layoutPath([hop(1, [host('198.18.1.2')])], { destinationTtl: 1 }))).toEqual([]);
  });

  it('name the organisation without its legal form', () => {
    expect(shortOrganisation('Hopscope Test Transit, Inc.')).toBe('Hopscope Test Transit');
    expect(shortOrganisation('Example Networks B.V.')).toBe('Example Networks');
    expect(shortOrganisation('Inc.')).toBe('Inc.');
    expect(shortOrganisation('A'.repeat(40), 10)).toBe(`${'A'.repeat(9)}…`);
  });
});

describe('PathGraph with owners', () => {
  it('draws the bands, an AS line in each node and AS, organisation, country and data date in the tooltip', () => {
    const { container, unmount } = render(
      <PathGraph hops={path} destinationTtl={6} selectedTtl={null} onSelectTtl={() => {}} width={3000} />,
    );
    const bands = [...container.querySelectorAll('[data-testid="as-band"]')];
    expect(bands.map((b) => b.getAttribute('data-asn'))).toEqual(['64512', '64513', '64514', '64515']);
    expect(bands[2]!.querySelector('text')!.textContent).toBe('AS64514 Hopscope Test Transit');
    const owners = [...container.querySelectorAll('[data-testid="hop-owner"]')].map((t) => t.textContent);
    // Boxes widen for the owner line (within their maximum width).
    expect(owners[0]).toBe('AS64512 Hopscope Test Home Network');
    expect(owners).toHaveLength(6);
    // Address-class badges stay: 198.18/15 is the benchmarking range.
    expect(container.querySelectorAll('.hs-badge')).toHaveLength(6);

    const node = container.querySelector('[data-testid="hop-node"][data-ttl="4"]')!;
    act(() => node.dispatchEvent(new PointerEvent('pointerover', { bubbles: true, clientX: 10, clientY: 10 })));
    act(() => node.dispatchEvent(new PointerEvent('pointermove', { bubbles: true, clientX: 12, clientY: 10 })));
    const tooltip = document.querySelector('[data-testid="hop-tooltip"]')!;
    expect(tooltip.textContent).toContain('AS64514');
    expect(tooltip.textContent).toContain('Hopscope Test Transit, Inc.');
    expect(tooltip.textContent).toMatch(/Germany \(DE\)|DE/);
    expect(tooltip.textContent).toContain('2026-11-20 (your database)');
    unmount();
  });
});

describe('HopTable AS and Country columns', () => {
  const headers = (container: HTMLElement) =>
    [...container.querySelectorAll('thead th abbr')].map((a) => a.textContent);
  const column = (container: HTMLElement, name: string) =>
    [...container.querySelectorAll(`td.hs-col-${name}`)].map((td) => td.textContent);

  it('appear when owners are known, say them, and sort by AS number', () => {
    const mixed = [...path.slice(0, 5), hop(6, [host('203.0.113.7', { owner: {} })])];
    const { container, unmount } = render(<HopTable hops={mixed} selectedTtl={null} onSelectTtl={() => {}} />);
    expect(headers(container).slice(0, 4)).toEqual(['#', 'Host', 'AS', 'Country']);
    expect(column(container, 'as')[0]).toBe('AS64512 Hopscope Test Home Netw…');
    expect(column(container, 'country')).toEqual(['NL', 'NL', 'NL', 'DE', 'DE', '—']);
    const asHeader = container.querySelector('thead th.hs-col-as button')!;
    act(() => asHeader.dispatchEvent(new MouseEvent('click', { bubbles: true })));
    act(() => asHeader.dispatchEvent(new MouseEvent('click', { bubbles: true })));
    // Descending by AS; the unknown owner sorts last.
    const ttls = [...container.querySelectorAll('[data-testid="hop-row"]')].map((r) => r.getAttribute('data-ttl'));
    expect(ttls).toEqual(['4', '5', '2', '3', '1', '6']);
    unmount();
  });

  it('stay out of a trace without owners', () => {
    const { container, unmount } = render(
      <HopTable hops={[hop(1, [host('198.18.1.2')])]} selectedTtl={null} onSelectTtl={() => {}} />,
    );
    expect(headers(container)).not.toContain('AS');
    expect(headers(container)).not.toContain('Country');
    unmount();
  });
});

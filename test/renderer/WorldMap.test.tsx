import { describe, expect, it } from 'vitest';
import { act } from 'react';
import { WorldMap, COUNTRY_LEVEL_NOTE } from '../../src/renderer/src/map/WorldMap';
import { loadWorldCountries } from '../../src/renderer/src/map/worldCountries';
import { mapRoute, ttlLabel } from '../../src/renderer/src/map/mapStops';
import { cloneSvgForExport } from '../../src/renderer/src/graph/pngExport';
import type { Hop } from '@shared/traceFile';
import type { ResponderEnrichment } from '@shared/enrichment';
import { host } from '../fixtures/traceBuilders';
import { render } from './renderInDom';

const DATE = '2026-11-29';
const inCountry = (code: string): ResponderEnrichment => ({ country: { code, origin: 'user', dataDate: DATE } });

function hopAt(ttl: number, address: string | null, owner?: ResponderEnrichment, over: Partial<Hop> = {}): Hop {
  const hosts = address === null ? [] : [{ ...host(address), ...(owner ? { owner } : {}) }];
  return {
    ttl,
    sent: 10,
    received: hosts.length * 10,
    lossPct: address === null ? 100 : 0,
    hosts,
    samples: [],
    ...over,
  };
}

/** NL, then a silent, a private, two DE, a documentation, an unknown, a Singapore (not on a 1:110m map), JP, NL again. */
const hops: Hop[] = [
  hopAt(1, '198.18.1.2', inCountry('NL')),
  hopAt(2, null),
  hopAt(3, '10.1.1.1', {}),
  hopAt(4, '198.18.4.2', inCountry('DE')),
  hopAt(5, '198.18.5.2', inCountry('DE')),
  hopAt(6, '203.0.113.1', {}),
  hopAt(7, '192.0.1.1', {}),
  hopAt(8, '1.2.3.4', inCountry('SG')),
  hopAt(9, '198.18.8.2', inCountry('JP')),
  hopAt(10, '198.18.9.2', inCountry('NL')),
  hopAt(11, '198.18.10.2', inCountry('US'), { onPath: false }),
];

async function renderMap(element: React.ReactElement) {
  const view = render(element);
  // Let the dynamic import of the map data settle and React re-render.
  for (let i = 0; i < 50 && !view.container.querySelector('svg, [role="alert"]'); i++) {
    await act(() => new Promise((r) => setTimeout(r, 20)));
  }
  return view;
}

/** The coordinates of an SVG path's points, in drawing order. */
function pathPoints(d: string): [number, number][] {
  return [...d.matchAll(/(-?\d+(?:\.\d+)?(?:e-?\d+)?),(-?\d+(?:\.\d+)?(?:e-?\d+)?)/g)].map((m) => [
    Number(m[1]),
    Number(m[2]),
  ]);
}

const translateOf = (el: Element): [number, number] => {
  const m = /translate\(([-\d.]+),([-\d.]+)\)/.exec(el.getAttribute('transform') ?? '')!;
  return [Number(m[1]), Number(m[2])];
};

describe('WorldMap', () => {
  it('draws the path through the hops’ countries in hop order and says what it skipped', async () => {
    const view = await renderMap(<WorldMap hops={hops} />);
    const svg = view.container.querySelector('svg')!;
    expect(svg).not.toBeNull();
    const stops = [...svg.querySelectorAll('[data-testid="map-stop"]')];
    expect(stops.map((s) => s.getAttribute('data-country'))).toEqual(['NL', 'DE', 'JP', 'NL']);
    expect(stops.map((s) => s.getAttribute('data-ttls'))).toEqual(['1', '4,5', '9', '10']);
    expect(stops[1]!.textContent).toBe('DE · hop 4–5');

    // The route leaves NL, passes DE and JP, and comes back to NL, in that order.
    const points = pathPoints(svg.querySelector('[data-testid="map-route"]')!.getAttribute('d')!);
    // Walk the line: each stop is the nearest point at or after the previous stop's.
    const order: number[] = [];
    for (const stop of stops) {
      const [x, y] = translateOf(stop);
      let best = order.at(-1) ?? 0;
      for (let i = best; i < points.length; i++) {
        const [px, py] = points[i]!;
        const [bx, by] = points[best]!;
        if (Math.hypot(px - x, py - y) < Math.hypot(bx - x, by - y)) best = i;
      }
      order.push(best);
    }
    expect(order[0]).toBe(0);
    expect(order.at(-1)).toBe(points.length - 1);
    expect(new Set(order).size).toBe(order.length);
    for (const [i, stop] of stops.entries()) {
      const [x, y] = translateOf(stop);
      const q = points[order[i]!]!;
      expect(Math.hypot(q[0] - x, q[1] - y)).toBeLessThan(0.2);
    }
    // Germany sits east of the Netherlands and Japan far east of both on the projection.
    const [nl, de, jp] = stops.map(translateOf);
    expect(de![0]).toBeGreaterThan(nl![0]);
    expect(jp![0]).toBeGreaterThan(de![0] + 200);

    expect(svg.querySelectorAll('.hs-world-map-country--visited')).toHaveLength(3);
    expect(svg.getAttribute('aria-label')).toBe('Path through Netherlands → Germany → Japan → Netherlands');
    expect(view.container.querySelector('[data-testid="map-country-level-note"]')!.textContent).toBe(
      COUNTRY_LEVEL_NOTE,
    );
    expect(view.container.querySelector('[data-testid="map-skipped-note"]')!.textContent).toBe(
      '5 hops are not drawn: hop 2 (no reply); hop 3 (10.1.1.1: private address, no country); ' +
        'hop 6 (203.0.113.1: doc address, no country); hop 7 (192.0.1.1: no country in the data); ' +
        'hop 8 (1.2.3.4: SG is too small for this map).',
    );
    view.unmount();
  });

  it('draws no line for a path without countries, and says so', async () => {
    const view = await renderMap(
      <WorldMap hops={[hopAt(1, null), hopAt(2, '192.168.1.1', {}), hopAt(3, '192.0.1.2')]} />,
    );
    const svg = view.container.querySelector('svg')!;
    expect(svg.querySelector('[data-testid="map-route"]')).toBeNull();
    expect(svg.querySelectorAll('[data-testid="map-stop"]')).toHaveLength(0);
    expect(svg.getAttribute('aria-label')).toBe('No hop of this path has a country');
    expect(view.container.querySelector('[data-testid="map-skipped-note"]')!.textContent).toBe(
      '3 hops are not drawn: hop 1 (no reply); hop 2 (192.168.1.1: private address, no country); ' +
        'hop 3 (192.0.1.2: owner not looked up).',
    );
    view.unmount();
  });

  it('says when the map data cannot be loaded', async () => {
    const view = await renderMap(<WorldMap hops={hops} loadCountries={() => Promise.reject(new Error('no data'))} />);
    expect(view.container.querySelector('[role="alert"]')!.textContent).toBe('Could not load the world map: no data');
    expect(view.container.querySelector('svg')).toBeNull();
    view.unmount();
  });

  it('exports through the graph’s PNG path: full bounds from the map’s layout size', async () => {
    const view = await renderMap(<WorldMap hops={hops} onExportPng={() => {}} />);
    const svg = view.container.querySelector('svg')!;
    const clone = cloneSvgForExport(svg, { background: '#fff' });
    expect(clone.getAttribute('viewBox')).toBe('0 0 960 500');
    expect(clone.querySelectorAll('[data-testid="map-stop"]')).toHaveLength(4);
    expect(view.container.querySelector('button')!.textContent).toBe('Export PNG');
    view.unmount();
  });
});

describe('map route', () => {
  it('places countries by their mainland: France’s point is in Europe, not pulled towards French Guiana', async () => {
    const world = await loadWorldCountries();
    const [lon, lat] = world.byAlpha2.get('FR')!.centroid;
    expect(lon).toBeGreaterThan(-5);
    expect(lon).toBeLessThan(8);
    expect(lat).toBeGreaterThan(42);
    expect(lat).toBeLessThan(51);
    expect(world.byAlpha2.has('SG')).toBe(false);
  });

  it('labels hop runs', () => {
    expect(ttlLabel([3])).toBe('3');
    expect(ttlLabel([4, 5, 6])).toBe('4–6');
    expect(ttlLabel([2, 4])).toBe('2, 4');
    expect(mapRoute([hopAt(1, '198.18.1.2', inCountry('NL'))], () => true).stops).toEqual([
      { country: 'NL', ttls: [1] },
    ]);
  });
});

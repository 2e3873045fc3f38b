/**
 * The path on a world map: a line through the countries of its hops, in hop
 * order, one numbered point per run of hops in the same country. Positions
 * are country-level (each point is a country's centroid), which the map says
 * under itself, with every hop it could not place and why. d3-geo computes
 * the projection and the paths; React renders the SVG.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { geoNaturalEarth1, geoPath } from 'd3-geo';
import { loadWorldCountries, type WorldCountries } from './worldCountries';
import { mapRoute, skippedSentence, ttlLabel, type MapHop } from './mapStops';
import { worldMapPng } from './worldMapPng';
import './WorldMap.css';

export interface WorldMapProps {
  /** The path's hops (saved `Hop`s or the store's `HopStatsUpdate`s); each first responder's `owner.country` places it. */
  hops: readonly MapHop[];
  /** Called with the whole map as a PNG when the user asks for one; no export button without it. */
  onExportPng?: (png: Blob) => void;
  /** The country shapes; defaults to Natural Earth from `world-atlas`, loaded on first use. */
  loadCountries?: () => Promise<WorldCountries>;
}

/** Layout size of the drawing; the SVG scales to its box. */
export const WORLD_MAP_WIDTH = 960;
export const WORLD_MAP_HEIGHT = 500;
const MARGIN = 8;

export const COUNTRY_LEVEL_NOTE =
  'Positions are country-level: each point is the centre of a country, not where the router is.';

type Load = { state: 'loading' } | { state: 'ready'; world: WorldCountries } | { state: 'failed'; message: string };

export function WorldMap({ hops, onExportPng, loadCountries = loadWorldCountries }: WorldMapProps) {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const svgRef = useRef<SVGSVGElement>(null);

  useEffect(() => {
    let live = true;
    loadCountries().then(
      (world) => live && setLoad({ state: 'ready', world }),
      (error: unknown) => live && setLoad({ state: 'failed', message: (error as Error).message }),
    );
    return () => {
      live = false;
    };
  }, [loadCountries]);

  const world = load.state === 'ready' ? load.world : undefined;
  const route = useMemo(() => mapRoute(hops, (c) => world?.byAlpha2.has(c) ?? false), [hops, world]);
  const drawing = useMemo(() => {
    if (!world) return undefined;
    const projection = geoNaturalEarth1().fitExtent(
      [
        [MARGIN, MARGIN],
        [WORLD_MAP_WIDTH - MARGIN, WORLD_MAP_HEIGHT - MARGIN],
      ],
      { type: 'Sphere' },
    );
    const path = geoPath(projection);
    const visited = new Set(route.stops.map((s) => s.country));
    const countries = world.shapes.map((shape, i) => ({
      key: shape.alpha2 ?? `shape-${i}`,
      d: path(shape.feature) ?? '',
      visited: shape.alpha2 !== undefined && visited.has(shape.alpha2),
      name: shape.name,
    }));
    const lonLats = route.stops.map((s) => world.byAlpha2.get(s.country)!.centroid);
    // A LineString is drawn along great circles, as a path over the globe runs.
    const line = lonLats.length > 1 ? (path({ type: 'LineString', coordinates: lonLats }) ?? '') : '';
    const points = lonLats.map((p) => projection(p) ?? [0, 0]);
    return { sphere: path({ type: 'Sphere' }) ?? '', countries, line, points };
  }, [world, route]);

  const routeText = route.stops.map((s) => world?.byAlpha2.get(s.country)?.name ?? s.country).join(' → ');
  const skipped = skippedSentence(route.skipped);

  return (
    <figure className="hs-world-map">
      {load.state === 'loading' && <p className="hs-world-map-status">Loading the world map…</p>}
      {load.state === 'failed' && (
        <p className="hs-world-map-status" role="alert">
          Could not load the world map: {load.message}
        </p>
      )}
      {drawing && (
        <svg
          ref={svgRef}
          className="hs-world-map-svg"
          viewBox={`0 0 ${WORLD_MAP_WIDTH} ${WORLD_MAP_HEIGHT}`}
          data-layout-width={WORLD_MAP_WIDTH}
          data-layout-height={WORLD_MAP_HEIGHT}
          role="img"
          aria-label={route.stops.length > 0 ? `Path through ${routeText}` : 'No hop of this path has a country'}
        >
          <path className="hs-world-map-sphere" d={drawing.sphere} />
          <g className="hs-world-map-countries">
            {drawing.countries.map((c) => (
              <path
                key={c.key}
                className={c.visited ? 'hs-world-map-country hs-world-map-country--visited' : 'hs-world-map-country'}
                d={c.d}
              >
                <title>{c.name}</title>
              </path>
            ))}
          </g>
          {drawing.line && <path className="hs-world-map-route" data-testid="map-route" d={drawing.line} />}
          {route.stops.map((stop, i) => {
            const [x = 0, y = 0] = drawing.points[i] ?? [];
            return (
              <g
                key={`${stop.country}-${stop.ttls[0]}`}
                className="hs-world-map-stop"
                data-testid="map-stop"
                data-country={stop.country}
                data-ttls={stop.ttls.join(',')}
                transform={`translate(${x.toFixed(1)},${y.toFixed(1)})`}
              >
                <circle r={5} />
                <text x={8} y={-6}>{`${stop.country} · hop ${ttlLabel(stop.ttls)}`}</text>
              </g>
            );
          })}
        </svg>
      )}
      <figcaption className="hs-world-map-notes">
        <span data-testid="map-country-level-note">{COUNTRY_LEVEL_NOTE}</span>
        {skipped && <span data-testid="map-skipped-note">{skipped}</span>}
        {drawing && onExportPng && (
          <button
            type="button"
            className="hs-world-map-export"
            onClick={() => {
              if (svgRef.current) void worldMapPng(svgRef.current).then(onExportPng);
            }}
          >
            Export PNG
          </button>
        )}
      </figcaption>
    </figure>
  );
}

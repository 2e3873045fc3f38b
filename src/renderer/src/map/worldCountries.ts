/**
 * Natural Earth country shapes (public domain, via the `world-atlas`
 * package's 1:110m TopoJSON) keyed by ISO 3166-1 alpha-2. The data and the
 * TopoJSON decoder are loaded with a dynamic import, so they stay out of
 * the initial bundle until a map is shown, and are decoded once.
 */
import { geoArea, geoCentroid } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry, Polygon } from 'geojson';

export interface CountryShape {
  /** ISO 3166-1 alpha-2, when the shape has an ISO code (a few disputed areas have none). */
  alpha2: string | undefined;
  name: string;
  feature: Feature<Geometry>;
  /** [longitude, latitude] of the centroid of the country's largest landmass. */
  centroid: [number, number];
}

export interface WorldCountries {
  shapes: CountryShape[];
  byAlpha2: ReadonlyMap<string, CountryShape>;
}

/**
 * The largest polygon's centroid: a country's spherical centroid is pulled
 * off its land by far-away islands and territories (France by French
 * Guiana, the US by Alaska), which would put a hop in the sea.
 */
function mainlandCentroid(geometry: Geometry): [number, number] {
  if (geometry.type !== 'MultiPolygon') return geoCentroid(geometry);
  const polygons: Polygon[] = geometry.coordinates.map((coordinates) => ({
    type: 'Polygon',
    coordinates,
  }));
  let largest = polygons[0];
  for (const polygon of polygons) if (largest && geoArea(polygon) > geoArea(largest)) largest = polygon;
  return geoCentroid(largest ?? geometry);
}

let loading: Promise<WorldCountries> | undefined;

/** The world's countries, decoded once per page. */
export function loadWorldCountries(): Promise<WorldCountries> {
  loading ??= decodeWorldCountries().catch((error: unknown) => {
    loading = undefined; // let a later attempt retry
    throw error;
  });
  return loading;
}

async function decodeWorldCountries(): Promise<WorldCountries> {
  const [atlas, topojson, iso] = await Promise.all([
    import('world-atlas/countries-110m.json'),
    import('topojson-client'),
    import('iso-3166/1-n-to-1-a2.js'),
  ]);
  const topology = atlas.default as unknown as Parameters<typeof topojson.feature>[0];
  const countries = topology.objects.countries;
  if (!countries) throw new Error('world map data has no countries');
  const collection = topojson.feature(topology, countries) as FeatureCollection<Geometry, { name?: string }>;
  const shapes = collection.features.map((feature): CountryShape => {
    const numeric = feature.id === undefined ? undefined : String(feature.id).padStart(3, '0');
    return {
      alpha2: numeric === undefined ? undefined : iso.iso31661NumericToAlpha2[numeric],
      name: feature.properties?.name ?? '',
      feature,
      centroid: mainlandCentroid(feature.geometry),
    };
  });
  const byAlpha2 = new Map<string, CountryShape>();
  for (const shape of shapes) if (shape.alpha2) byAlpha2.set(shape.alpha2, shape);
  return { shapes, byAlpha2 };
}

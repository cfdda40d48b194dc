import type { LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';

export interface OfflineStyleOptions {
  /**
   * A vector basemap in the Protomaps schema, as one `.pmtiles` file served by the app's own origin
   * (the CSP allows no other). Without it the map is a plain background with a degree grid.
   */
  readonly basemapUrl?: string | undefined;
  /**
   * The basemap's attribution as the map shows it (markup, in the app's language: see
   * basemapAttribution.ts); it replaces the archive's own, which is in whatever language it was made.
   */
  readonly attribution?: string | undefined;
}

export const graticuleSource = 'graticule';
export const basemapSource = 'basemap';

const colours = {
  background: '#eef0ea',
  grid: '#b7bfb2',
  water: '#a9cbe0',
  green: '#cfe3c2',
  road: '#ffffff',
  roadCase: '#c9c3b8',
  building: '#ddd6cc',
  boundary: '#9a8fa8',
};

/**
 * A style that fetches nothing from the internet: no glyphs and no sprite (so no labels or icons),
 * a background, the optional pmtiles basemap, and a grid drawn from GeoJSON the map fills in.
 */
export function offlineStyle(options: OfflineStyleOptions = {}): StyleSpecification {
  const sources: Record<string, SourceSpecification> = {
    [graticuleSource]: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
  };
  const layers: LayerSpecification[] = [
    { id: 'background', type: 'background', paint: { 'background-color': colours.background } },
  ];
  if (options.basemapUrl !== undefined) {
    sources[basemapSource] = {
      type: 'vector',
      url: `pmtiles://${options.basemapUrl}`,
      // A source's own attribution wins over the archive's metadata.
      ...(options.attribution === undefined ? {} : { attribution: options.attribution }),
    };
    layers.push(...basemapLayers());
  }
  layers.push({
    id: 'graticule',
    type: 'line',
    source: graticuleSource,
    paint: { 'line-color': colours.grid, 'line-width': 1, 'line-opacity': options.basemapUrl === undefined ? 1 : 0.5 },
  });
  return { version: 8, name: 'Outpost offline', sources, layers };
}

// The Protomaps basemap layers (earth, water, landuse, roads, buildings, boundaries) without labels.
function basemapLayers(): LayerSpecification[] {
  const from = { source: basemapSource } as const;
  return [
    { id: 'earth', type: 'fill', ...from, 'source-layer': 'earth', paint: { 'fill-color': colours.background } },
    {
      id: 'landuse-green',
      type: 'fill',
      ...from,
      'source-layer': 'landuse',
      filter: [
        'in',
        ['get', 'kind'],
        [
          'literal',
          ['park', 'forest', 'wood', 'nature_reserve', 'national_park', 'protected_area', 'grassland', 'farmland'],
        ],
      ],
      paint: { 'fill-color': colours.green, 'fill-opacity': 0.8 },
    },
    { id: 'water', type: 'fill', ...from, 'source-layer': 'water', paint: { 'fill-color': colours.water } },
    {
      id: 'buildings',
      type: 'fill',
      ...from,
      'source-layer': 'buildings',
      minzoom: 14,
      paint: { 'fill-color': colours.building },
    },
    {
      id: 'roads-casing',
      type: 'line',
      ...from,
      'source-layer': 'roads',
      paint: { 'line-color': colours.roadCase, 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 1, 16, 8] },
    },
    {
      id: 'roads',
      type: 'line',
      ...from,
      'source-layer': 'roads',
      paint: { 'line-color': colours.road, 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.5, 16, 6] },
    },
    {
      id: 'boundaries',
      type: 'line',
      ...from,
      'source-layer': 'boundaries',
      paint: { 'line-color': colours.boundary, 'line-width': 1, 'line-dasharray': [3, 2] },
    },
  ];
}

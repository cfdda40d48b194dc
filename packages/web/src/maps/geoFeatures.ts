import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { LatLon } from './geoShapeArea.js';

export type GeoKind = 'geopoint' | 'geotrace' | 'geoshape';

const position = (p: LatLon): [number, number] => [p.longitude, p.latitude];

/**
 * What the map draws under the points: the line of a trace, or the filled polygon of a shape
 * (ring closed here, whatever the value holds). The points themselves are markers, so they can be dragged.
 */
export function geoFeatures(corners: readonly LatLon[], kind: GeoKind): FeatureCollection {
  const features: Feature<Geometry>[] = [];
  const line = corners.map(position);
  const first = line[0];
  if (kind === 'geoshape' && corners.length >= 3 && first !== undefined) {
    const ring = [...line, first];
    features.push({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } });
    features.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: ring } });
  } else if (kind !== 'geopoint' && corners.length >= 2) {
    features.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: line } });
  }
  return { type: 'FeatureCollection', features };
}

export interface Bounds {
  readonly west: number;
  readonly south: number;
  readonly east: number;
  readonly north: number;
}

/** The box around the points, or undefined when there are none. */
export function boundsOf(points: readonly LatLon[]): Bounds | undefined {
  if (points.length === 0) return undefined;
  const lons = points.map((p) => p.longitude);
  const lats = points.map((p) => p.latitude);
  return { west: Math.min(...lons), south: Math.min(...lats), east: Math.max(...lons), north: Math.max(...lats) };
}

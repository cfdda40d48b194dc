import type { LatLon } from './gridCell.js';

/**
 * A location value as it appears in records: an ODK geopoint string (`lat lon alt acc`), an ODK
 * geotrace/geoshape string (`;`-separated geopoints), a `{ lat, lon }` object, or a GeoJSON
 * geometry (`Point`, `LineString`, `Polygon`, `MultiPoint`). Only the positions are kept: altitude
 * and accuracy are dropped on parse, so nothing built from a GeoValue can carry them.
 */
export type GeoValue =
  | { kind: 'odk-point'; point: LatLon }
  | { kind: 'odk-trace'; points: LatLon[] }
  | { kind: 'latlon'; point: LatLon }
  | { kind: 'geojson'; type: 'Point'; coordinates: LatLon }
  | { kind: 'geojson'; type: 'LineString' | 'MultiPoint'; coordinates: LatLon[] }
  | { kind: 'geojson'; type: 'Polygon'; coordinates: LatLon[][] };

/** Reads a location value; null when `value` is not one (so callers can fail closed). */
export function parseGeoValue(value: unknown): GeoValue | null {
  if (typeof value === 'string') return parseOdkGeo(value);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  if (typeof record['lat'] === 'number' && typeof record['lon'] === 'number') {
    const point = position(record['lat'], record['lon']);
    return point ? { kind: 'latlon', point } : null;
  }
  const coordinates = record['coordinates'];
  switch (record['type']) {
    case 'Point': {
      const point = geoJsonPosition(coordinates);
      return point ? { kind: 'geojson', type: 'Point', coordinates: point } : null;
    }
    case 'LineString':
    case 'MultiPoint': {
      const points = geoJsonPositions(coordinates);
      return points ? { kind: 'geojson', type: record['type'], coordinates: points } : null;
    }
    case 'Polygon': {
      if (!Array.isArray(coordinates)) return null;
      const rings: LatLon[][] = [];
      for (const ring of coordinates) {
        const points = geoJsonPositions(ring);
        if (!points) return null;
        rings.push(points);
      }
      return { kind: 'geojson', type: 'Polygon', coordinates: rings };
    }
    default:
      return null;
  }
}

/** Writes a GeoValue back in its own shape, with positions only (no altitude, no accuracy). */
export function formatGeoValue(value: GeoValue): string | Record<string, unknown> {
  switch (value.kind) {
    case 'odk-point':
      return odkPoint(value.point);
    case 'odk-trace':
      return value.points.map(odkPoint).join(';');
    case 'latlon':
      return { lat: value.point.lat, lon: value.point.lon };
    case 'geojson':
      if (value.type === 'Point') return { type: 'Point', coordinates: lonLat(value.coordinates) };
      if (value.type === 'Polygon')
        return { type: 'Polygon', coordinates: value.coordinates.map((r) => r.map(lonLat)) };
      return { type: value.type, coordinates: value.coordinates.map(lonLat) };
  }
}

/** Applies `f` to every position of a GeoValue, keeping its shape and vertex count. */
export function mapGeoValue(value: GeoValue, f: (point: LatLon) => LatLon): GeoValue {
  switch (value.kind) {
    case 'odk-point':
    case 'latlon':
      return { ...value, point: f(value.point) };
    case 'odk-trace':
      return { kind: 'odk-trace', points: value.points.map(f) };
    case 'geojson':
      if (value.type === 'Point') return { kind: 'geojson', type: 'Point', coordinates: f(value.coordinates) };
      if (value.type === 'Polygon')
        return { kind: 'geojson', type: 'Polygon', coordinates: value.coordinates.map((r) => r.map(f)) };
      return { kind: 'geojson', type: value.type, coordinates: value.coordinates.map(f) };
  }
}

/** Every position in a GeoValue. */
export function geoPositions(value: GeoValue): LatLon[] {
  switch (value.kind) {
    case 'odk-point':
    case 'latlon':
      return [value.point];
    case 'odk-trace':
      return value.points;
    case 'geojson':
      if (value.type === 'Point') return [value.coordinates];
      if (value.type === 'Polygon') return value.coordinates.flat();
      return value.coordinates;
  }
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function parseOdkGeo(text: string): GeoValue | null {
  // ODK writes `;` between vertices and often a trailing `;`; some clients add spaces after it.
  const parts = text
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) return null;
  const points: LatLon[] = [];
  for (const part of parts) {
    const numbers = part.split(/\s+/);
    if (numbers.length < 2 || numbers.length > 4 || !numbers.every((n) => NUMBER.test(n))) return null;
    const point = position(Number(numbers[0]), Number(numbers[1]));
    if (!point) return null;
    points.push(point);
  }
  const [only] = points;
  if (points.length === 1 && only && !text.includes(';')) return { kind: 'odk-point', point: only };
  return { kind: 'odk-trace', points };
}

function geoJsonPosition(value: unknown): LatLon | null {
  if (!Array.isArray(value) || value.length < 2 || value.length > 4) return null;
  const [lon, lat] = value as unknown[];
  if (typeof lat !== 'number' || typeof lon !== 'number') return null;
  return position(lat, lon);
}

function geoJsonPositions(value: unknown): LatLon[] | null {
  if (!Array.isArray(value)) return null;
  const points: LatLon[] = [];
  for (const item of value) {
    const point = geoJsonPosition(item);
    if (!point) return null;
    points.push(point);
  }
  return points;
}

function position(lat: number, lon: number): LatLon | null {
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return { lat, lon };
}

function odkPoint(point: LatLon): string {
  return `${point.lat} ${point.lon}`;
}

function lonLat(point: LatLon): number[] {
  return [point.lon, point.lat];
}

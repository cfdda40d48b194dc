/** One point as ODK writes it: "lat lon altitude accuracy", degrees and metres. */
export interface GeoPoint {
  readonly latitude: number;
  readonly longitude: number;
  readonly altitude: number;
  readonly accuracy: number;
}

export function formatGeoPoint(point: GeoPoint): string {
  return `${point.latitude} ${point.longitude} ${point.altitude} ${point.accuracy}`;
}

/** undefined for '' or anything that is not a point on Earth. */
export function parseGeoPoint(value: string): GeoPoint | undefined {
  const parts = value.trim().split(/\s+/).map(Number);
  const [latitude, longitude, altitude = 0, accuracy = 0] = parts;
  if (latitude === undefined || longitude === undefined || parts.length < 2 || parts.some(Number.isNaN)) {
    return undefined;
  }
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return undefined;
  return { latitude, longitude, altitude, accuracy };
}

/** geotrace and geoshape: points separated by ";". */
export function parseGeoPoints(value: string): GeoPoint[] {
  return value
    .split(';')
    .map((part) => parseGeoPoint(part))
    .filter((p): p is GeoPoint => p !== undefined);
}

/**
 * A geoshape must end where it starts; the list editor shows the corners only, so the closing point
 * is added here (and dropped again by `shapeCorners`).
 */
export function formatGeoPoints(points: readonly GeoPoint[], closed: boolean): string {
  if (points.length === 0) return '';
  const first = points[0];
  const last = points.at(-1);
  const all =
    closed && first !== undefined && points.length >= 3 && !samePlace(first, last) ? [...points, first] : points;
  return all.map(formatGeoPoint).join(';');
}

export function shapeCorners(points: readonly GeoPoint[]): GeoPoint[] {
  const first = points[0];
  return points.length > 3 && first !== undefined && samePlace(first, points.at(-1))
    ? points.slice(0, -1)
    : [...points];
}

function samePlace(a: GeoPoint, b: GeoPoint | undefined): boolean {
  return b !== undefined && a.latitude === b.latitude && a.longitude === b.longitude;
}

/** The device position as a point; accuracy from the device, rounded to centimetres. */
export function pointFromPosition(position: GeolocationPosition): GeoPoint {
  const c = position.coords;
  return {
    latitude: c.latitude,
    longitude: c.longitude,
    altitude: c.altitude ?? 0,
    accuracy: Math.round(c.accuracy * 100) / 100,
  };
}

/** A place in degrees; `GeoPoint` from forms/geo.ts fits. */
export interface LatLon {
  readonly latitude: number;
  readonly longitude: number;
}

// The WGS 84 equatorial radius: the same sphere turf and OpenLayers use, so areas match what GIS users see.
const earthRadius = 6_378_137;
const radians = (degrees: number): number => (degrees * Math.PI) / 180;

/**
 * Area in m² of the polygon through `points`, whether or not the last point repeats the first
 * (Chamberlain & Duquette's spherical formula; fine for fields and protected areas, not continents).
 */
export function geoShapeArea(points: readonly LatLon[]): number {
  const ring = openRing(points);
  if (ring.length < 3) return 0;
  let sum = 0;
  for (let i = 0; i < ring.length; i += 1) {
    const a = ring[i];
    const b = ring[(i + 1) % ring.length];
    if (a === undefined || b === undefined) continue;
    sum += radians(b.longitude - a.longitude) * (2 + Math.sin(radians(a.latitude)) + Math.sin(radians(b.latitude)));
  }
  return Math.abs((sum * earthRadius * earthRadius) / 2);
}

/** Length in metres along the points (haversine), for a trace; a closed shape's perimeter if it repeats its start. */
export function geoTraceLength(points: readonly LatLon[]): number {
  let total = 0;
  for (let i = 1; i < points.length; i += 1) {
    const a = points[i - 1];
    const b = points[i];
    if (a === undefined || b === undefined) continue;
    const dLat = radians(b.latitude - a.latitude);
    const dLon = radians(b.longitude - a.longitude);
    const h =
      Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.latitude)) * Math.cos(radians(b.latitude)) * Math.sin(dLon / 2) ** 2;
    total += 2 * earthRadius * Math.asin(Math.min(1, Math.sqrt(h)));
  }
  return total;
}

function openRing(points: readonly LatLon[]): readonly LatLon[] {
  const first = points[0];
  const last = points.at(-1);
  return points.length > 1 &&
    first !== undefined &&
    last !== undefined &&
    first.latitude === last.latitude &&
    first.longitude === last.longitude
    ? points.slice(0, -1)
    : points;
}

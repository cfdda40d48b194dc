import { MIN_GRID_METRES, snapToGrid } from '../geo/gridCell.js';
import { formatGeoValue, mapGeoValue, parseGeoValue } from '../geo/geoValue.js';

/**
 * How precisely a role may see locations: as captured; snapped to the centre of a grid cell of
 * that many metres; replaced by the name and code of the enclosing area at that level (no
 * coordinates at all); or not at all.
 */
export type LocationPrecision = 'exact' | 'hidden' | { grid: number } | { areaLevel: string };

/** The area a location is reported as when the precision is an area level. */
export interface AreaLabel {
  level: string;
  code: string;
  name: string;
}

export type CoarsenResult =
  /** The value as it was: exact precision, or nothing to coarsen (null, empty). */
  { kind: 'kept'; value: unknown } | { kind: 'coarsened'; value: unknown } | { kind: 'hidden' };

/**
 * Applies a precision to one location value. Geopoints, geotraces/geoshapes (every vertex),
 * `{lat, lon}` objects and GeoJSON geometries are snapped cell by cell and lose altitude and
 * accuracy. Anything else held in a location field (an address line, a khoroo choice) cannot be
 * coarsened and is hidden, unless the precision is exact or an area level, where the area stands
 * in for it. `area` is the record's area at the requested level, when known.
 */
export function coarsenLocation(value: unknown, precision: LocationPrecision, area: AreaLabel | null): CoarsenResult {
  if (precision === 'exact') return { kind: 'kept', value };
  if (value === null || value === undefined || value === '') return { kind: 'kept', value };
  if (precision === 'hidden') return { kind: 'hidden' };
  if ('areaLevel' in precision) {
    return area === null ? { kind: 'hidden' } : { kind: 'coarsened', value: { ...area } };
  }
  if (!validGrid(precision.grid)) return { kind: 'hidden' };
  const geo = parseGeoValue(value);
  if (geo === null) return { kind: 'hidden' };
  return { kind: 'coarsened', value: formatGeoValue(mapGeoValue(geo, (p) => snapToGrid(p, precision.grid))) };
}

/** True when `precision` is well formed; a malformed one is treated as `hidden` everywhere. */
export function isLocationPrecision(precision: unknown): precision is LocationPrecision {
  if (precision === 'exact' || precision === 'hidden') return true;
  if (typeof precision !== 'object' || precision === null) return false;
  const p = precision as Record<string, unknown>;
  if (typeof p['grid'] === 'number') return validGrid(p['grid']);
  return typeof p['areaLevel'] === 'string' && p['areaLevel'] !== '';
}

/**
 * The finer of two precisions, used when two memberships of one actor both reach a record.
 * Coordinates (a grid) count as finer than an area name, whatever the sizes involved.
 */
export function finerPrecision(a: LocationPrecision, b: LocationPrecision): LocationPrecision {
  return rank(a) >= rank(b) ? a : b;
}

/** A short human text for a precision, e.g. `1 km grid`, `soum`, `exact`. */
export function describePrecision(precision: LocationPrecision): string {
  if (precision === 'exact' || precision === 'hidden') return precision;
  if ('areaLevel' in precision) return `area: ${precision.areaLevel}`;
  return precision.grid >= 1000 && precision.grid % 1000 === 0
    ? `${precision.grid / 1000} km grid`
    : `${precision.grid} m grid`;
}

function rank(p: LocationPrecision): number {
  if (p === 'exact') return Number.POSITIVE_INFINITY;
  if (p === 'hidden') return 0;
  if ('areaLevel' in p) return 1;
  // Smaller cells are finer; any grid outranks an area name.
  return 2 + 1 / p.grid;
}

function validGrid(metres: number): boolean {
  return Number.isFinite(metres) && metres >= MIN_GRID_METRES;
}

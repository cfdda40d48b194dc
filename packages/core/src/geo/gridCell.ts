/** A WGS84 position in decimal degrees. */
export interface LatLon {
  lat: number;
  lon: number;
}

/** One cell of the coarsening grid: its index, bounds and centre (decimal degrees). */
export interface GridCell {
  row: number;
  col: number;
  south: number;
  north: number;
  west: number;
  east: number;
  centre: LatLon;
}

// Metres per degree along a meridian. The grid only needs to be about the requested size, but it
// must be the same on every machine, so this is a fixed constant rather than an ellipsoid formula.
const METRES_PER_DEGREE = 111_320;

/** The smallest cell size accepted: below it the rounding of printed centres could cross cells. */
export const MIN_GRID_METRES = 1;

/**
 * The grid cell of side about `metres` that holds `point`.
 *
 * Rows are latitude bands of equal height that tile -90..90 exactly; each row is cut into a whole
 * number of equal columns, as many as fit at the band's centre latitude, so cells stay close to
 * square, tile the globe without a seam at the antimeridian, and every point of a cell maps to
 * the same centre. The centre depends only on the cell, never on where in it the point was.
 */
export function gridCell(point: LatLon, metres: number): GridCell {
  if (!Number.isFinite(metres) || metres < MIN_GRID_METRES) {
    throw new RangeError(`grid size must be a number of metres >= ${MIN_GRID_METRES}, got ${metres}`);
  }
  if (!Number.isFinite(point.lat) || !Number.isFinite(point.lon)) {
    throw new RangeError('a point to snap needs finite coordinates');
  }
  const rows = Math.max(1, Math.round((180 * METRES_PER_DEGREE) / metres));
  const height = 180 / rows;
  const row = clamp(Math.floor((clampLat(point.lat) + 90) / height), 0, rows - 1);
  const south = -90 + row * height;
  const centreLat = south + height / 2;
  const metresPerLonDegree = METRES_PER_DEGREE * Math.cos((centreLat * Math.PI) / 180);
  const cols = Math.max(1, Math.floor((360 * metresPerLonDegree) / metres));
  const width = 360 / cols;
  const col = clamp(Math.floor((normaliseLon(point.lon) + 180) / width), 0, cols - 1);
  const west = -180 + col * width;
  return {
    row,
    col,
    south,
    north: south + height,
    west,
    east: west + width,
    centre: { lat: roundDegrees(centreLat), lon: roundDegrees(west + width / 2) },
  };
}

/** The centre of the grid cell holding `point`; snapping a centre again returns the same centre. */
export function snapToGrid(point: LatLon, metres: number): LatLon {
  return gridCell(point, metres).centre;
}

/** Great-circle distance in metres (haversine on the sphere the grid uses). */
export function distanceMetres(a: LatLon, b: LatLon): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  const radius = (METRES_PER_DEGREE * 180) / Math.PI;
  return 2 * radius * Math.asin(Math.min(1, Math.sqrt(h)));
}

// Six decimals is about 0.1 m: far below the smallest cell, so printing a centre and snapping it
// again lands in the same cell, and the printed value carries no digits the cell does not justify.
function roundDegrees(value: number): number {
  const rounded = Math.round(value * 1e6) / 1e6;
  return Object.is(rounded, -0) ? 0 : rounded;
}

function normaliseLon(lon: number): number {
  const wrapped = (((lon + 180) % 360) + 360) % 360;
  return wrapped - 180;
}

function clampLat(lat: number): number {
  return clamp(lat, -90, 90);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

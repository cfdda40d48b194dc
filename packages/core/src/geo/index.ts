export type { GridCell, LatLon } from './gridCell.js';
export { MIN_GRID_METRES, distanceMetres, gridCell, snapToGrid } from './gridCell.js';
export type { GeoValue } from './geoValue.js';
export { formatGeoValue, geoPositions, mapGeoValue, parseGeoValue } from './geoValue.js';

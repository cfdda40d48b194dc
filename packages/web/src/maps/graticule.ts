import type { FeatureCollection, LineString } from 'geojson';
import type { Bounds } from './geoFeatures.js';

// 1-2-5 steps down to 0.0001° (about 11 m): finer than that a grid tells a field worker nothing.
const steps = [90, 45, 20, 10, 5, 2, 1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001, 0.0005, 0.0002, 0.0001];
const maxLatitude = 85;

/** The grid step in degrees that puts a handful of lines across a view this wide. */
export function graticuleStep(bounds: Bounds): number {
  const span = Math.max(bounds.east - bounds.west, bounds.north - bounds.south);
  const wanted = span / 6;
  let chosen = steps[0] ?? 90;
  for (const step of steps) if (step >= wanted) chosen = step;
  return chosen;
}

/**
 * Meridians and parallels covering `bounds` (plus one step around it, so panning does not show an
 * empty edge before the next redraw). Stands in for a basemap when the device has none.
 */
export function graticule(bounds: Bounds): FeatureCollection<LineString> {
  const step = graticuleStep(bounds);
  const south = Math.max(-maxLatitude, snapDown(bounds.south, step) - step);
  const north = Math.min(maxLatitude, snapDown(bounds.north, step) + 2 * step);
  const west = snapDown(bounds.west, step) - step;
  const east = snapDown(bounds.east, step) + 2 * step;
  const features: FeatureCollection<LineString>['features'] = [];
  // Counting in whole steps keeps the lines on round values (no 0.30000000000000004).
  for (let i = Math.round(west / step); i * step <= east; i += 1) {
    const lon = round(i * step, step);
    features.push(
      lineFeature([
        [lon, south],
        [lon, north],
      ]),
    );
  }
  for (let i = Math.round(south / step); i * step <= north; i += 1) {
    const lat = round(i * step, step);
    if (Math.abs(lat) > maxLatitude) continue;
    features.push(
      lineFeature([
        [west, lat],
        [east, lat],
      ]),
    );
  }
  return { type: 'FeatureCollection', features };
}

function lineFeature(coordinates: [number, number][]): FeatureCollection<LineString>['features'][number] {
  return { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates } };
}

function snapDown(value: number, step: number): number {
  return Math.floor(value / step) * step;
}

function round(value: number, step: number): number {
  const decimals = Math.max(0, Math.ceil(-Math.log10(step)));
  return Number(value.toFixed(decimals));
}

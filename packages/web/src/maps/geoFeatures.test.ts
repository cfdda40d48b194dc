import { describe, expect, it } from 'vitest';
import { parseGeoPoints, shapeCorners } from '../forms/geo.js';
import { boundsOf, geoFeatures } from './geoFeatures.js';

const trace = parseGeoPoints('-9.44 147.18 0 0;-9.45 147.19 0 0;-9.46 147.18 0 0');
const shape = shapeCorners(
  parseGeoPoints('-9.44 147.18 0 0;-9.44 147.19 0 0;-9.45 147.19 0 0;-9.45 147.18 0 0;-9.44 147.18 0 0'),
);

describe('what the map draws', () => {
  it('draws a trace as one line through its points, longitude first', () => {
    const drawn = geoFeatures(trace, 'geotrace');
    expect(drawn.features.map((f) => f.geometry)).toEqual([
      {
        type: 'LineString',
        coordinates: [
          [147.18, -9.44],
          [147.19, -9.45],
          [147.18, -9.46],
        ],
      },
    ]);
  });

  it('closes the ring of a shape, from the corners the editor keeps', () => {
    expect(shape).toHaveLength(4);
    const [polygon, outline] = geoFeatures(shape, 'geoshape').features;
    expect(polygon?.geometry.type).toBe('Polygon');
    const ring = polygon?.geometry.type === 'Polygon' ? polygon.geometry.coordinates[0] : [];
    expect(ring).toHaveLength(5);
    expect(ring?.at(-1)).toEqual(ring?.[0]);
    expect(outline?.geometry).toEqual({ type: 'LineString', coordinates: ring });
  });

  it('draws a shape of two corners as a line, and nothing for one point', () => {
    expect(geoFeatures(shape.slice(0, 2), 'geoshape').features.map((f) => f.geometry.type)).toEqual(['LineString']);
    expect(geoFeatures(shape.slice(0, 1), 'geoshape').features).toEqual([]);
    expect(geoFeatures(trace.slice(0, 1), 'geopoint').features).toEqual([]);
  });

  it('knows the box around the points', () => {
    expect(boundsOf(trace)).toEqual({ west: 147.18, south: -9.46, east: 147.19, north: -9.44 });
    expect(boundsOf([])).toBeUndefined();
  });
});

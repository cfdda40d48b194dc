import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatGeoPoints, parseGeoPoints, shapeCorners } from '../forms/geo.js';
import { geoShapeArea, geoTraceLength, type LatLon } from './geoShapeArea.js';

// A square of `side` metres with its south-west corner at (lat, lon), built on the same sphere.
function square(lat: number, lon: number, side: number): LatLon[] {
  const metresPerDegree = (2 * Math.PI * 6_378_137) / 360;
  const dLat = side / metresPerDegree;
  const dLon = side / (metresPerDegree * Math.cos((lat * Math.PI) / 180));
  return [
    { latitude: lat, longitude: lon },
    { latitude: lat, longitude: lon + dLon },
    { latitude: lat + dLat, longitude: lon + dLon },
    { latitude: lat + dLat, longitude: lon },
  ];
}

describe('area of a geoshape', () => {
  it('is a hectare for a 100 m square, at the equator, in Port Moresby and in Ulaanbaatar', () => {
    for (const [lat, lon] of [
      [0, 0],
      [-9.4438, 147.1803],
      [47.9213, 106.9842],
    ] as const) {
      expect(geoShapeArea(square(lat, lon, 100))).toBeCloseTo(10_000, -1);
    }
  });

  it('is the same whether the ring repeats its first point (as ODK writes it) or not', () => {
    const value = formatGeoPoints(
      square(-6.2, 145.4, 250).map((p) => ({ ...p, altitude: 0, accuracy: 0 })),
      true,
    );
    const closedRing = parseGeoPoints(value);
    expect(closedRing).toHaveLength(5);
    expect(closedRing[4]).toEqual(closedRing[0]);
    expect(geoShapeArea(closedRing)).toBeCloseTo(geoShapeArea(shapeCorners(closedRing)), 6);
    expect(geoShapeArea(closedRing)).toBeCloseTo(62_500, -1);
  });

  it('does not depend on the direction the corners were walked', () => {
    const corners = square(47.9, 106.9, 730);
    expect(geoShapeArea([...corners].reverse())).toBeCloseTo(geoShapeArea(corners), 6);
  });

  it('is zero until there are three corners', () => {
    expect(geoShapeArea([])).toBe(0);
    expect(geoShapeArea(square(0, 0, 10).slice(0, 2))).toBe(0);
  });

  it('survives any starting corner (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -60, max: 60, noNaN: true }),
        fc.double({ min: -170, max: 170, noNaN: true }),
        fc.integer({ min: 0, max: 3 }),
        (lat, lon, shift) => {
          const corners = square(lat, lon, 500);
          const rotated = [...corners.slice(shift), ...corners.slice(0, shift)];
          expect(geoShapeArea(rotated)).toBeCloseTo(250_000, -2);
        },
      ),
    );
  });
});

describe('length of a geotrace', () => {
  it('adds up the legs', () => {
    const [a, b, c] = square(-9.44, 147.18, 200);
    if (!a || !b || !c) throw new Error('square has four corners');
    expect(geoTraceLength([a, b, c])).toBeCloseTo(400, 0);
    expect(geoTraceLength([a])).toBe(0);
  });
});

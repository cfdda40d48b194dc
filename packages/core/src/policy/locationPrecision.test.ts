import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceMetres, gridCell } from '../geo/gridCell.js';
import { geoPositions, parseGeoValue } from '../geo/geoValue.js';
import type { LocationPrecision } from './locationPrecision.js';
import { coarsenLocation, finerPrecision, isLocationPrecision } from './locationPrecision.js';

const bayanzurkh = { level: 'soum', code: 'UB-BZD', name: 'Bayanzürkh' };
const km: LocationPrecision = { grid: 1000 };

function coarsened(value: unknown, precision: LocationPrecision = km): unknown {
  const result = coarsenLocation(value, precision, bayanzurkh);
  if (result.kind !== 'coarsened') throw new Error(`expected coarsened, got ${result.kind}`);
  return result.value;
}

describe('coarsenLocation', () => {
  it('snaps an ODK geopoint and drops altitude and accuracy', () => {
    const out = coarsened('47.918512 106.917734 1350.5 4.2');
    expect(typeof out).toBe('string');
    expect((out as string).split(' ')).toHaveLength(2);
    expect(out).not.toContain('1350');
  });

  it('snaps every vertex of a geotrace and a geoshape, keeping the vertex count', () => {
    const trace = '-9.43 147.18 45 5;-9.43 147.18 46 7;-9.5 147.3 50 8;';
    const out = coarsened(trace) as string;
    expect(out.split(';')).toHaveLength(3);
    for (const vertex of out.split(';')) expect(vertex.split(' ')).toHaveLength(2);
    // The first two vertices differ only in altitude and accuracy: nothing tells them apart now.
    expect(out.split(';')[0]).toBe(out.split(';')[1]);
  });

  it('snaps {lat, lon} objects and GeoJSON geometries, keeping only positions', () => {
    expect(Object.keys(coarsened({ lat: 47.9, lon: 106.9, altitude: 1300, accuracy: 3 }) as object).sort()).toEqual([
      'lat',
      'lon',
    ]);
    const geometry = coarsened({ type: 'Point', coordinates: [106.9, 47.9, 1300] }) as { coordinates: number[] };
    expect(geometry.coordinates).toHaveLength(2);
    const polygon = coarsened({
      type: 'Polygon',
      coordinates: [
        [
          [147.1, -9.4, 10],
          [147.2, -9.4],
          [147.2, -9.5],
          [147.1, -9.4],
        ],
      ],
    }) as { coordinates: number[][][] };
    expect(polygon.coordinates[0]?.every((p) => p.length === 2)).toBe(true);
  });

  it('replaces a location with its area name and code at an area level, with no coordinates', () => {
    expect(coarsened('47.918512 106.917734 1350 4', { areaLevel: 'soum' })).toEqual(bayanzurkh);
    expect(coarsened('Khoroo 1, building 12, door 34', { areaLevel: 'soum' })).toEqual(bayanzurkh);
    expect(coarsenLocation('47.9 106.9', { areaLevel: 'soum' }, null)).toEqual({ kind: 'hidden' });
  });

  it('hides what cannot be coarsened on a grid: an address line, a malformed point', () => {
    expect(coarsenLocation('Khoroo 1, building 12', km, null)).toEqual({ kind: 'hidden' });
    expect(coarsenLocation('91 0', km, null)).toEqual({ kind: 'hidden' });
    expect(coarsenLocation({ lat: '47.9', lon: '106.9' }, km, null)).toEqual({ kind: 'hidden' });
  });

  it('keeps exact values and empty answers as they are, and hides everything when hidden', () => {
    expect(coarsenLocation('47.9 106.9 1300 4', 'exact', null)).toEqual({ kind: 'kept', value: '47.9 106.9 1300 4' });
    expect(coarsenLocation('', km, null)).toEqual({ kind: 'kept', value: '' });
    expect(coarsenLocation(null, 'hidden', null)).toEqual({ kind: 'kept', value: null });
    expect(coarsenLocation('47.9 106.9', 'hidden', null)).toEqual({ kind: 'hidden' });
  });

  it('treats a malformed precision from stored JSON as hidden', () => {
    expect(isLocationPrecision({ grid: 0 })).toBe(false);
    expect(isLocationPrecision({ grid: 1000 })).toBe(true);
    expect(isLocationPrecision({ areaLevel: '' })).toBe(false);
    expect(coarsenLocation('47.9 106.9', { grid: -5 }, null)).toEqual({ kind: 'hidden' });
  });

  it('prefers the finer of two precisions', () => {
    expect(finerPrecision({ grid: 10_000 }, { grid: 1000 })).toEqual({ grid: 1000 });
    expect(finerPrecision({ areaLevel: 'soum' }, { grid: 10_000 })).toEqual({ grid: 10_000 });
    expect(finerPrecision('hidden', 'exact')).toBe('exact');
  });
});

describe('coarsenLocation properties', () => {
  const lat = fc.double({ min: -85, max: 85, noNaN: true });
  const lon = fc.double({ min: -180, max: 180, noNaN: true });
  const extra = fc.double({ min: 0, max: 9000, noNaN: true });
  const geopoint = fc.tuple(lat, lon, extra, extra).map(([a, b, alt, acc]) => `${a} ${b} ${alt} ${acc}`);
  const trace = fc.array(geopoint, { minLength: 1, maxLength: 6 }).map((points) => points.join(';'));
  const precision = fc.constantFrom<LocationPrecision>(
    { grid: 10 },
    { grid: 1000 },
    { grid: 10_000 },
    { grid: 100_000 },
  );

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(geopoint, trace), precision, (value, p) => {
        const once = coarsened(value, p);
        expect(coarsened(once, p)).toEqual(once);
      }),
      { seed: 3, numRuns: 1000 },
    );
  });

  it('never leaves altitude or accuracy, and moves no vertex farther than its cell diagonal', () => {
    fc.assert(
      fc.property(trace, precision, (value, p) => {
        const out = coarsened(value, p) as string;
        const inputs = geoPositions(parseGeoValue(value)!);
        const outputs = geoPositions(parseGeoValue(out)!);
        expect(outputs).toHaveLength(inputs.length);
        expect(out.split(';').every((v) => v.split(' ').length === 2)).toBe(true);
        outputs.forEach((q, i) => {
          const point = inputs[i]!;
          const cell = gridCell(point, (p as { grid: number }).grid);
          const diagonal = distanceMetres({ lat: cell.south, lon: cell.west }, { lat: cell.north, lon: cell.east });
          expect(distanceMetres(point, q)).toBeLessThanOrEqual(diagonal + 0.2);
        });
      }),
      { seed: 5, numRuns: 500 },
    );
  });
});

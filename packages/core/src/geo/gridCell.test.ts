import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceMetres, gridCell, snapToGrid } from './gridCell.js';

const latitude = fc.double({ min: -89.9, max: 89.9, noNaN: true });
const longitude = fc.double({ min: -180, max: 180, noNaN: true });
const gridMetres = fc.constantFrom(1, 10, 100, 250, 1000, 5000, 10_000, 50_000);

describe('gridCell', () => {
  it('snaps a dwelling in Bayanzürkh to a 1 km cell centre less than a cell diagonal away', () => {
    const dwelling = { lat: 47.918_512, lon: 106.917_734 };
    const centre = snapToGrid(dwelling, 1000);
    expect(centre).not.toEqual(dwelling);
    expect(distanceMetres(dwelling, centre)).toBeLessThan(1000 * Math.SQRT2);
  });

  it('gives the same centre for every point of a cell, so the centre says nothing about the point', () => {
    fc.assert(
      fc.property(
        latitude,
        longitude,
        gridMetres,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (lat, lon, m, u, v) => {
          const cell = gridCell({ lat, lon }, m);
          // Any other point strictly inside the same cell.
          const other = {
            lat: cell.south + (cell.north - cell.south) * (0.001 + 0.998 * u),
            lon: cell.west + (cell.east - cell.west) * (0.001 + 0.998 * v),
          };
          expect(snapToGrid(other, m)).toEqual(cell.centre);
        },
      ),
      { seed: 7, numRuns: 500 },
    );
  });

  it('is idempotent: a centre snaps to itself', () => {
    fc.assert(
      fc.property(latitude, longitude, gridMetres, (lat, lon, m) => {
        const centre = snapToGrid({ lat, lon }, m);
        expect(snapToGrid(centre, m)).toEqual(centre);
      }),
      { seed: 11, numRuns: 1000 },
    );
  });

  it('never moves a point farther than the diagonal of its cell', () => {
    fc.assert(
      fc.property(latitude, longitude, gridMetres, (lat, lon, m) => {
        const cell = gridCell({ lat, lon }, m);
        const diagonal = distanceMetres({ lat: cell.south, lon: cell.west }, { lat: cell.north, lon: cell.east });
        // 0.2 m: the printed centre is rounded to six decimals.
        expect(distanceMetres({ lat, lon }, cell.centre)).toBeLessThanOrEqual(diagonal + 0.2);
      }),
      { seed: 13, numRuns: 2000 },
    );
  });

  it('keeps cells near the requested size away from the poles', () => {
    fc.assert(
      fc.property(fc.double({ min: -60, max: 60, noNaN: true }), longitude, gridMetres, (lat, lon, m) => {
        const cell = gridCell({ lat, lon }, m);
        const height = distanceMetres({ lat: cell.south, lon: cell.west }, { lat: cell.north, lon: cell.west });
        expect(height).toBeGreaterThan(m * 0.9);
        expect(height).toBeLessThan(m * 1.1);
      }),
      { seed: 17, numRuns: 500 },
    );
  });

  it('tiles the antimeridian and the poles without gaps', () => {
    expect(snapToGrid({ lat: 0, lon: 180 }, 10_000)).toEqual(snapToGrid({ lat: 0, lon: -180 }, 10_000));
    expect(Math.abs(snapToGrid({ lat: 90, lon: 12 }, 10_000).lat)).toBeLessThan(90);
    expect(Math.abs(snapToGrid({ lat: -90, lon: 12 }, 10_000).lat)).toBeLessThan(90);
  });

  it('refuses a grid smaller than a metre and points without coordinates', () => {
    expect(() => gridCell({ lat: 0, lon: 0 }, 0.5)).toThrow(RangeError);
    expect(() => gridCell({ lat: 0, lon: 0 }, Number.NaN)).toThrow(RangeError);
    expect(() => gridCell({ lat: Number.NaN, lon: 0 }, 1000)).toThrow(RangeError);
  });
});

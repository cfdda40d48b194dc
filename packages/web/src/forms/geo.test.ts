import { describe, expect, it } from 'vitest';
import { formatGeoPoints, parseGeoPoint, parseGeoPoints, shapeCorners } from './geo.js';

describe('geo values', () => {
  it('reads ODK points and refuses what is not on Earth', () => {
    expect(parseGeoPoint('47.92 106.98 1300 12')).toEqual({
      latitude: 47.92,
      longitude: 106.98,
      altitude: 1300,
      accuracy: 12,
    });
    expect(parseGeoPoint('47.92 106.98')).toEqual({ latitude: 47.92, longitude: 106.98, altitude: 0, accuracy: 0 });
    expect(parseGeoPoint('')).toBeUndefined();
    expect(parseGeoPoint('95 10')).toBeUndefined();
    expect(parseGeoPoint('north east')).toBeUndefined();
  });

  it('closes a shape of three or more corners and shows the corners only', () => {
    const corners = parseGeoPoints('1 1 0 0;1 2 0 0;2 2 0 0');
    const shape = formatGeoPoints(corners, true);
    expect(shape).toBe('1 1 0 0;1 2 0 0;2 2 0 0;1 1 0 0');
    expect(shapeCorners(parseGeoPoints(shape))).toEqual(corners);
    expect(formatGeoPoints(corners, false)).toBe('1 1 0 0;1 2 0 0;2 2 0 0');
    expect(formatGeoPoints([], true)).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { graticule, graticuleStep } from './graticule.js';

describe('the degree grid that stands in for a basemap', () => {
  it('keeps a handful of lines on screen at every scale', () => {
    for (const span of [300, 40, 3, 0.2, 0.01, 0.002]) {
      const bounds = { west: 100, south: -5, east: 100 + span, north: -5 + span / 2 };
      const lines = graticule(bounds).features.length;
      expect(lines, `span ${span}°`).toBeGreaterThanOrEqual(6);
      expect(lines, `span ${span}°`).toBeLessThanOrEqual(40);
    }
  });

  it('puts its lines on round values', () => {
    const bounds = { west: 147.1803, south: -9.4501, east: 147.1907, north: -9.4402 };
    expect(graticuleStep(bounds)).toBe(0.002);
    const meridians = graticule(bounds)
      .features.map((f) => f.geometry.coordinates[0])
      .filter((start) => start !== undefined && start[1] !== start[0])
      .map((start) => start?.[0]);
    expect(meridians).toContain(147.184);
    for (const lon of meridians) expect(String(lon)).toMatch(/^\d+(\.\d{1,3})?$/);
  });

  it('stops short of the poles', () => {
    const lines = graticule({ west: -180, south: -90, east: 180, north: 90 }).features;
    for (const line of lines) {
      for (const [, lat] of line.geometry.coordinates) expect(Math.abs(lat ?? 0)).toBeLessThanOrEqual(85);
    }
  });
});

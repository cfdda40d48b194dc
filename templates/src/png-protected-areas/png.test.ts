import { describe, expect, it } from 'vitest';
import { protectedAreas, provinceBoxes } from './areas.js';
import { generateDemo } from './demo.js';
import { species } from './species.js';

const demo = generateDemo({ seed: 11, cases: 200 });

describe('PNG demo data', () => {
  it('has one entity per protected area and the requested incidents and observations', () => {
    const count = (list: string): number => demo.entities.filter((e) => e.list === list).length;
    expect(count('protected_areas')).toBe(protectedAreas.length);
    expect(count('incidents')).toBe(200);
    expect(count('observations')).toBe(200);
  });

  it('puts incidents and observations inside the province of their protected area', () => {
    for (const e of demo.entities.filter((x) => x.list !== 'protected_areas')) {
      const pa = protectedAreas.find((p) => p.code === e.areaCode);
      const box = provinceBoxes[pa?.province ?? ''];
      expect(box, e.areaCode ?? '').toBeDefined();
      const [south = 0, north = 0, west = 0, east = 0] = box ?? [];
      const [lat = 0, lon = 0] = (e.properties['geometry'] ?? '').split(' ').map(Number);
      expect(lat >= south && lat <= north && lon >= west && lon <= east, `${e.id} ${lat} ${lon}`).toBe(true);
    }
  });

  it('names species from the checklist with their scientific names', () => {
    const byCode = new Map(species.map((s) => [s.code, s]));
    for (const e of demo.entities.filter((x) => x.list === 'observations')) {
      const s = byCode.get(e.properties['species'] ?? '');
      expect(s).toBeDefined();
      expect(e.properties['scientific_name']).toBe(s?.scientificName);
    }
    const poaching = demo.entities.filter((e) => e.properties['incident_type'] === 'poaching');
    expect(poaching.length).toBeGreaterThan(0);
    for (const e of poaching) expect(byCode.has(e.properties['species'] ?? '')).toBe(true);
  });

  it('labels incidents with the words of their type, as the incident form does, never its code', () => {
    const incidents = demo.entities.filter((e) => e.list === 'incidents');
    const logging = incidents.find((e) => e.properties['incident_type'] === 'illegal_logging');
    expect(logging?.label).toBe(`Illegal logging ${logging?.properties['incident_date'] ?? ''}`);
    for (const e of incidents) expect(e.label).not.toMatch(/[a-z]+_[a-z]+/);
  });
});

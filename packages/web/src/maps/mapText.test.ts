import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { mapLibreCatalogs } from './mapLibreText.js';
import { formatArea, formatLength, mapCatalogs, mapText } from './mapText.js';

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

describe('map texts', () => {
  it('has every key in every language, with the same placeholders', () => {
    for (const catalog of [mapCatalogs.mn, mapCatalogs.tpi]) {
      expect(Object.keys(catalog).sort()).toEqual(Object.keys(mapCatalogs.en).sort());
      for (const [key, text] of Object.entries(mapCatalogs.en)) {
        expect(placeholders(catalog[key as keyof typeof mapCatalogs.en]), key).toEqual(placeholders(text));
      }
    }
  });

  it('gives MapLibre every one of its words in every language, the Mongolian ones in Cyrillic', () => {
    for (const catalog of [mapLibreCatalogs.mn, mapLibreCatalogs.tpi]) {
      expect(Object.keys(catalog).sort()).toEqual(Object.keys(mapLibreCatalogs.en).sort());
    }
    // MapLibre's own list of its words, as the installed version has it: a missing one shows in English.
    const bundle = readFileSync(createRequire(import.meta.url).resolve('maplibre-gl/dist/maplibre-gl-dev.js'), 'utf8');
    const defaults = /defaultLocale = \{([^}]*)\}/.exec(bundle)?.[1] ?? '';
    const keys = [...defaults.matchAll(/'([\w.]+)':/g)].map((m) => m[1]);
    expect(keys.length).toBeGreaterThan(20);
    expect(Object.keys(mapLibreCatalogs.en).sort()).toEqual(keys.sort());
    expect(mapLibreCatalogs.mn['NavigationControl.ZoomIn']).toBe('Томруулах');
    for (const catalog of [mapCatalogs.mn, mapLibreCatalogs.mn]) {
      for (const [key, text] of Object.entries(catalog))
        expect(text.replace(/\{\w+\}/g, ''), key).not.toMatch(/[A-Za-z]/);
    }
  });

  it('shows areas in m² under a hectare and in hectares above, in the units of the language', () => {
    expect(formatArea(849.6, mapText('en'))).toBe('850 m²');
    expect(formatArea(12_345, mapText('en'))).toBe('1.23 ha');
    expect(formatArea(4_560_000, mapText('en'))).toBe('456 ha');
    expect(formatArea(12_345, mapText('mn'))).toBe('1.23 га');
    expect(formatLength(75.4, mapText('en'))).toBe('75 m');
    expect(formatLength(1240, mapText('mn'))).toBe('1.24 км');
  });
});

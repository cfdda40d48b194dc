import { describe, expect, it } from 'vitest';
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

  it('shows areas in m² under a hectare and in hectares above, in the units of the language', () => {
    expect(formatArea(849.6, mapText('en'))).toBe('850 m²');
    expect(formatArea(12_345, mapText('en'))).toBe('1.23 ha');
    expect(formatArea(4_560_000, mapText('en'))).toBe('456 ha');
    expect(formatArea(12_345, mapText('mn'))).toBe('1.23 га');
    expect(formatLength(75.4, mapText('en'))).toBe('75 m');
    expect(formatLength(1240, mapText('mn'))).toBe('1.24 км');
  });
});

import { describe, expect, it } from 'vitest';
import { OCCURRENCE_TERMS, occurrenceRow } from '../exports/dwca.js';
import { entityListCsv } from '../forms/entityListCsv.js';
import { csvField } from './csvField.js';

describe('csvField: CSV cells a spreadsheet would run as formulas', () => {
  it('get a leading apostrophe when they start with = + - @ tab or CR', () => {
    expect(csvField('=HYPERLINK("http://evil.example","click")')).toBe(
      '"\'=HYPERLINK(""http://evil.example"",""click"")"',
    );
    expect(csvField("-2+3+cmd|' /C calc'!A0")).toBe("'-2+3+cmd|' /C calc'!A0");
    expect(csvField('+SUM(A1:A9)')).toBe("'+SUM(A1:A9)");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=1+1')).toBe("'\t=1+1");
    expect(csvField('\r=1+1')).toBe('"\'\r=1+1"');
  });

  it('leave numbers, geopoints and ordinary text as they are', () => {
    expect(csvField('-12.5')).toBe('-12.5');
    expect(csvField('-1+1')).toBe("'-1+1");
    expect(csvField('+976')).toBe('+976');
    expect(csvField('-6.314 147.21 0 0;-6.315 147.22 0 0')).toBe('-6.314 147.21 0 0;-6.315 147.22 0 0');
    expect(csvField('П. Алтанцэцэг')).toBe('П. Алтанцэцэг');
    expect(csvField('a, "b"')).toBe('"a, ""b"""');
  });
});

describe('entityListCsv', () => {
  it('neutralises formulas in labels and properties', () => {
    const csv = entityListCsv(
      'cases',
      [],
      [{ id: 'e1', label: '=1+1', version: 2, properties: { note: '@cmd', latitude: '-6.3' } }],
    );
    expect(csv.split('\r\n')[1]).toBe("e1,'=1+1,2,-6.3,'@cmd");
  });
});

describe('the Darwin Core occurrence file', () => {
  it('neutralises a typed formula and keeps southern coordinates as numbers', () => {
    const answers: Record<string, string> = {
      '/data/species': '=HYPERLINK("http://evil.example")',
      '/data/date': '2026-03-01',
      '/data/location': '-9.43 147.18 0 5',
    };
    const row = occurrenceRow(
      (path) => (path === null ? '' : (answers[path] ?? '')),
      'uuid:1',
      {
        scientificName: '/data/species',
        eventDate: '/data/date',
        basisOfRecord: null,
        individualCount: null,
        species: null,
        location: '/data/location',
      },
      new Set(),
      {
        countryCode: 'PG',
        kingdom: 'Animalia',
        title: 't',
        description: 'd',
        publisher: 'p',
        licence: 'CC-BY-4.0',
        contactEmail: 'a@example.org',
        pubDate: '2026-03-01',
      },
    );
    expect(row?.[OCCURRENCE_TERMS.indexOf('scientificName')]).toBe('\'=HYPERLINK("http://evil.example")');
    expect(row?.[OCCURRENCE_TERMS.indexOf('decimalLatitude')]).toBe('-9.43');
  });
});

import { describe, expect, it } from 'vitest';
import { areas } from './areas.js';
import { generateDemo } from './demo.js';
import { MOBILE_PATTERN, REGISTER_NUMBER_PATTERN } from './forms.js';
import { formatRegisterNumber, parseRegisterNumber } from './registerNumber.js';

const demo = generateDemo({ seed: 7, cases: 500 });
const households = demo.entities;

describe('civil register numbers', () => {
  it('write the month plus 20 for births from 2000 and put the sex in the 9th character', () => {
    expect(formatRegisterNumber('УК', '1988-03-27', 'male', 14)).toBe('УК88032714');
    expect(formatRegisterNumber('ЧЖ', '2004-11-02', 'female', 57)).toBe('ЧЖ04310247');
    expect(parseRegisterNumber('ЧЖ04310247')).toEqual({ letters: 'ЧЖ', birthDate: '2004-11-02', sex: 'female' });
    expect(parseRegisterNumber('УК03271614')).toEqual({ letters: 'УК', birthDate: '2003-07-16', sex: 'male' });
  });

  it('reject impossible dates and wrong shapes', () => {
    expect(parseRegisterNumber('УК88133114')).toBeNull();
    expect(parseRegisterNumber('УК88023014')).toBeNull();
    expect(parseRegisterNumber('UK88032714')).toBeNull();
    expect(parseRegisterNumber('УК8803271')).toBeNull();
  });

  it('in the demo agree with each head of household’s date of birth and sex, and pass the form constraint', () => {
    const pattern = new RegExp(REGISTER_NUMBER_PATTERN, 'u');
    for (const h of households) {
      const rd = h.properties['head_register_number'] ?? '';
      expect(rd).toMatch(pattern);
      expect(parseRegisterNumber(rd)).toMatchObject({
        birthDate: h.properties['head_dob'],
        sex: h.properties['head_sex'],
      });
    }
  });
});

describe('Bayanzürkh demo households', () => {
  it('live in Bayanzürkh khoroos with a consistent address', () => {
    const khoroos = new Set(areas.filter((a) => a.parentCode === 'MN1110').map((a) => a.code));
    expect(khoroos.size).toBe(43);
    for (const h of households) {
      expect(khoroos.has(h.areaCode ?? '')).toBe(true);
      expect(h.properties).toMatchObject({ aimag: 'MN11', soum: 'MN1110', bag: h.areaCode });
      const [lat, lon] = (h.properties['geometry'] ?? '').split(' ').map(Number);
      expect(lat).toBeGreaterThan(47.85);
      expect(lat).toBeLessThan(48.0);
      expect(lon).toBeGreaterThan(106.9);
      expect(lon).toBeLessThan(107.2);
    }
  });

  it('have Mongolian names labelled as initial of the father’s name and given name', () => {
    for (const h of households) {
      expect(h.properties['head_fathers_name']).toMatch(/(ын|ийн|гийн|ы|ий)$/u);
      expect(h.label).toBe(
        `${(h.properties['head_fathers_name'] ?? '').slice(0, 1)}. ${h.properties['head_given_name']}`,
      );
    }
  });

  it('have mobile numbers the form accepts, when they have one', () => {
    const pattern = new RegExp(MOBILE_PATTERN);
    const phones = households.flatMap((h) =>
      h.properties['head_phone'] === undefined ? [] : [h.properties['head_phone']],
    );
    expect(phones.length).toBeGreaterThan(households.length * 0.8);
    for (const p of phones) expect(p).toMatch(pattern);
  });

  it('spread over all four statuses and carry their vulnerability categories', () => {
    const statuses = new Set(households.map((h) => h.status));
    expect([...statuses].sort()).toEqual(['closed', 'in_progress', 'open', 'referred']);
    for (const h of households) {
      expect(h.properties['case_status']).toBe(h.status);
      expect(h.categories.length).toBeGreaterThan(0);
      expect(h.categories.join(' ')).toBe(h.properties['vulnerability']);
    }
    const share = (v: string): number => households.filter((h) => h.categories.includes(v)).length / households.length;
    expect(share('poor_household')).toBeGreaterThan(0.2);
    expect(share('domestic_violence')).toBeLessThan(0.1);
  });

  it('count children and elderly consistently with the household size', () => {
    for (const h of households) {
      const size = Number(h.properties['household_size']);
      expect(Number(h.properties['children_count'])).toBeLessThanOrEqual(size);
      expect(Number(h.properties['elderly_count'])).toBeLessThanOrEqual(size);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { areas } from './areas.js';
import { generateDemo } from './demo.js';
import { choiceCodes } from '../demo/demoActivity.js';
import { MOBILE_PATTERN, REGISTER_NUMBER_PATTERN, householdRegistration } from './forms.js';
import { ageOnDay } from './members.js';
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

describe('members of the demo households', () => {
  const relationships = new Set(choiceCodes(householdRegistration, 'relationship'));
  const rowsOf = (h: (typeof households)[number]) => h.repeats?.['members'] ?? [];

  it('are the household size less the head, counted as children and elderly on the day drawn', () => {
    const sizes = new Set<number>();
    for (const h of households) {
      const rows = rowsOf(h);
      sizes.add(rows.length);
      expect(Number(h.properties['household_size'])).toBe(rows.length + 1);
      const day = (h.createdAt ?? '').slice(0, 10);
      const ages = [h.properties['head_dob'] ?? '', ...rows.map((r) => r['member_dob'] ?? '')].map((dob) =>
        ageOnDay(dob, day),
      );
      expect(Number(h.properties['children_count'])).toBe(ages.filter((a) => a < 18).length);
      expect(Number(h.properties['elderly_count'])).toBe(ages.filter((a) => a >= 60).length);
    }
    // Heads living alone, couples, and larger families.
    expect(sizes.has(0)).toBe(true);
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(4);
  });

  it('have names, relationships, sex and register numbers the form accepts', () => {
    const pattern = new RegExp(REGISTER_NUMBER_PATTERN, 'u');
    const rows = households.flatMap(rowsOf);
    expect(rows.length).toBeGreaterThan(households.length);
    for (const r of rows) {
      expect(r['member_fathers_name']).toMatch(/(ын|ийн|гийн|ы|ий)$/u);
      expect(r['member_given_name']).toMatch(/^[А-ЯЁӨҮ][А-ЯЁӨҮа-яёөү-]+$/u);
      expect(relationships.has(r['member_relationship'] ?? '')).toBe(true);
      expect(['yes', 'no']).toContain(r['member_disability']);
      expect(r['member_register_number']).toMatch(pattern);
      expect(parseRegisterNumber(r['member_register_number'] ?? '')).toMatchObject({
        birthDate: r['member_dob'],
        sex: r['member_sex'],
      });
    }
    const kinds = new Set(rows.map((r) => r['member_relationship']));
    expect([...kinds].sort()).toEqual(['child', 'grandchild', 'parent', 'spouse']);
  });

  it('have a spouse of the other sex, children younger than the head, and a member with a disability in some households', () => {
    for (const h of households) {
      const headBorn = h.properties['head_dob'] ?? '';
      for (const r of rowsOf(h)) {
        if (r['member_relationship'] === 'spouse') expect(r['member_sex']).not.toBe(h.properties['head_sex']);
        if (r['member_relationship'] === 'child') expect((r['member_dob'] ?? '') > headBorn).toBe(true);
        if (r['member_relationship'] === 'parent') expect((r['member_dob'] ?? '') < headBorn).toBe(true);
      }
    }
    const disabled = households.filter((h) => rowsOf(h).some((r) => r['member_disability'] === 'yes'));
    expect(disabled.length).toBeGreaterThan(0);
    for (const h of disabled)
      expect(h.categories.some((c) => c === 'disability' || c === 'child_disability')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { CaseIndex } from './caseIndex.js';
import type { SearchableCase, SearchSchema } from './caseIndex.js';
import { parseQuery } from './query.js';

const schema: SearchSchema = {
  nameFields: ['head_family_name', 'head_fathers_name', 'head_given_name'],
  dobField: 'head_dob',
  sexField: 'head_sex',
  areaFields: ['aimag', 'soum', 'bag'],
  selectFields: ['needs', 'vulnerability'],
  registerField: 'head_register_number',
};

const areas = [
  { code: '11', parentCode: null, names: ['Улаанбаатар', 'Ulaanbaatar'] },
  { code: '1101', parentCode: '11', names: ['Баянзүрх дүүрэг', 'Bayanzürkh district'] },
  { code: '110101', parentCode: '1101', names: ['1-р хороо', 'Khoroo 1'] },
  { code: '110102', parentCode: '1101', names: ['2-р хороо', 'Khoroo 2'] },
  { code: '1102', parentCode: '11', names: ['Сонгинохайрхан дүүрэг', 'Songinokhairkhan district'] },
  { code: '110201', parentCode: '1102', names: ['Сонгинохайрхан 1-р хороо'] },
];

function household(
  id: string,
  given: string,
  fathers: string,
  extra: Partial<Record<string, string>> = {},
): SearchableCase {
  return {
    id,
    label: `${fathers.slice(0, 1)}. ${given}`,
    properties: {
      head_family_name: 'Боржигин',
      head_fathers_name: fathers,
      head_given_name: given,
      head_dob: '1980-05-01',
      head_sex: 'female',
      aimag: '11',
      soum: '1101',
      bag: '110101',
      needs: 'food',
      head_register_number: 'УК80050114',
      ...extra,
    },
  };
}

function build(): CaseIndex {
  const index = new CaseIndex(schema, areas);
  index.put(household('a', 'Бат-Эрдэнэ', 'Дорж', { head_sex: 'male' }));
  index.put(household('b', 'Цэцэгмаа', 'Болд', { head_dob: '1950-01-10', needs: 'heating food' }));
  index.put(household('c', 'Өлзийбаяр', 'Ганбат', { bag: '110102', head_dob: '1960-12-31', needs: 'heating' }));
  index.put(
    household('d', 'Түвшинжаргал', 'Нямаа', { soum: '1102', bag: '110201', head_register_number: 'ЖЖ01251234' }),
  );
  index.put(household('e', 'Батболд', 'Сүх'));
  return index;
}

const today = { today: '2026-12-07' };
const find = (index: CaseIndex, text: string): string[] =>
  index.search(parseQuery(text, schema.selectFields), today).map((hit) => hit.id);

describe('case search', () => {
  it('finds a Cyrillic name by each Latin spelling and back', () => {
    const index = build();
    for (const spelling of ['Bat-Erdene', 'bat erdene', 'baterdene', 'Бат-Эрдэнэ', 'BAT-ERDENE']) {
      expect(find(index, spelling), spelling).toEqual(['a']);
    }
    index.put({ id: 'latin', label: 'Tsetsegmaa B.', properties: {} });
    expect(find(index, 'Цэцэгмаа').sort()).toEqual(['b', 'latin']);
  });

  it('matches prefixes, ranking exact matches first', () => {
    const index = build();
    const ids = find(index, 'bat');
    expect(ids).toContain('a');
    expect(ids).toContain('e');
    expect(find(index, 'batbold')[0]).toBe('e');
  });

  it('forgives one typo in a name of five letters or more, not in shorter ones', () => {
    const index = build();
    expect(find(index, 'Bat-Erdine')).toEqual(['a']);
    expect(find(index, 'Tsetsegmaaa')).toEqual(['b']);
    expect(find(index, 'Ulziibayr')).toEqual(['c']);
    expect(find(index, 'Dorz')).toEqual([]);
  });

  it('finds ү typed as v', () => {
    expect(find(build(), 'Tvvshinjargal')).toEqual(['d']);
  });

  it('searches across family, father’s and given names', () => {
    const index = build();
    expect(find(index, 'Ganbat Ulziibayar')).toEqual(['c']);
    expect(find(index, 'Borjigin').length).toBe(5);
  });

  it('filters by age range from the date of birth and today', () => {
    const index = build();
    expect(find(index, 'age:60+').sort()).toEqual(['b', 'c']);
    expect(find(index, 'age:70-80')).toEqual(['b']);
    expect(find(index, 'age:65')).toEqual(['c']);
    // Born 1960-12-31: 65 on 2026-12-07, 66 only at the end of the month.
    expect(find(index, 'age:66')).toEqual([]);
  });

  it('filters by area code or name in either script, including the units below', () => {
    const index = build();
    expect(find(index, 'area:1102')).toEqual(['d']);
    expect(find(index, 'area:Сонгинохайрхан')).toEqual(['d']);
    expect(find(index, 'area:Songinokhairkhan').sort()).toEqual(['d']);
    expect(find(index, 'area:"2-р хороо"')).toEqual(['c']);
    expect(find(index, 'area:Bayanzurkh').sort()).toEqual(['a', 'b', 'c', 'e']);
    expect(() => find(index, 'area:Nowhere')).toThrow(/no area is called/);
  });

  it('combines age, area and needs as a supervisor would: 60+ in one khoroo needing heating', () => {
    expect(find(build(), 'age:60+ area:110101 needs:heating')).toEqual(['b']);
    expect(find(build(), 'needs:heating+food')).toEqual(['b']);
    expect(find(build(), 'needs:heating,food').length).toBe(5);
  });

  it('matches a register number exactly or by the prefix of its letters', () => {
    const index = build();
    expect(find(index, 'reg:ЖЖ01251234')).toEqual(['d']);
    expect(find(index, 'reg:жж')).toEqual(['d']);
    expect(find(index, 'reg:ЖЖ01251235')).toEqual([]);
  });

  it('filters by sex', () => {
    expect(find(build(), 'sex:m')).toEqual(['a']);
  });

  it('highlights the matched words in their own text', () => {
    const [hit] = build().search(parseQuery('bat-erdene'), today);
    expect(hit?.highlights).toContainEqual({ field: 'label', start: 3, end: 13 });
    expect(hit?.highlights).toContainEqual({ field: 'head_given_name', start: 0, end: 10 });
  });

  it('stays current as cases change and leave the scope', () => {
    const index = build();
    index.put(household('a', 'Оюунаа', 'Дорж'));
    expect(find(index, 'baterdene')).toEqual([]);
    expect(find(index, 'oyuna')).toEqual(['a']);
    index.remove('a');
    expect(find(index, 'oyuna')).toEqual([]);
    expect(index.size).toBe(4);
  });
});

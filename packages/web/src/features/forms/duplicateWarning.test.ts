// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import xform from '../../forms/__fixtures__/household_registration.xml?raw';
import type { DeviceRecord } from '../../sync/listDeviceRecords.js';
import { likelyDuplicates } from './duplicateWarning.js';
import { readFormWords } from './formVocabulary.js';

const words = readFormWords(xform);
if (words === null) throw new Error('the fixture form does not read');

function record(id: string, label: string, properties: Record<string, string>): DeviceRecord {
  return {
    id,
    list: 'cases',
    projectId: 'p1',
    label,
    status: 'open',
    state: 'synced',
    rejection: null,
    seq: null,
    properties,
    version: 1,
    pendingSeq: 0,
  };
}

const caseload: DeviceRecord[] = [
  record('c-ganzorig', 'Б. Ганзориг', {
    head_family_name: 'Боржигин',
    head_fathers_name: 'Батын',
    head_given_name: 'Ганзориг',
    head_dob: '1985-03-27',
    head_register_number: 'УК85032715',
    bag: 'MN111051',
  }),
  record('c-saraa', 'Д. Сарангэрэл', {
    head_family_name: 'Тайчууд',
    head_fathers_name: 'Дорж',
    head_given_name: 'Сарангэрэл',
    head_dob: '1990-11-02',
    bag: 'MN111051',
  }),
  // Same given name, other father, born decades apart: not the same person.
  record('c-other', 'Т. Ганзориг', {
    head_family_name: 'Хиад',
    head_fathers_name: 'Төмөрийн',
    head_given_name: 'Ганзориг',
    head_dob: '1952-07-14',
    bag: 'MN111052',
  }),
];

function registration(head: { family: string; fathers: string; given: string; dob: string }, create = '1'): string {
  return `<data id="mn_household_registration" version="1">
  <head><head_family_name>${head.family}</head_family_name><head_fathers_name>${head.fathers}</head_fathers_name>
    <head_given_name>${head.given}</head_given_name><head_register_number/><head_dob>${head.dob}</head_dob><head_phone/></head>
  <address><aimag>MN11</aimag><soum>MN1110</soum><bag>MN111051</bag></address>
  <meta><instanceID>uuid:new</instanceID>
    <entity dataset="cases" id="0d3c1b1e-8a43-4c55-9d39-3f1e7f0a2b10" create="${create}"><label>B. Ganzorig</label></entity></meta>
</data>`;
}

describe('the duplicate warning before a registration is saved', () => {
  it('finds the household head registered before in Cyrillic when the new one is typed in Latin letters', () => {
    const found = likelyDuplicates({
      records: caseload,
      forms: [words],
      xform,
      instanceXml: registration({ family: 'Borjigin', fathers: 'Batyn', given: 'Ganzorig', dob: '1985-03-27' }),
    });
    expect(found.map((s) => s.id)).toEqual(['c-ganzorig']);
    expect(found[0]?.label).toBe('Б. Ганзориг');
    expect(found[0]?.reasons).toContainEqual(expect.objectContaining({ field: 'dob', verdict: 'same' }));
  });

  it('says nothing for a new person, or for a form that creates no case', () => {
    const newcomer = registration({ family: 'Олхонууд', fathers: 'Пүрэвийн', given: 'Оюунчимэг', dob: '2001-05-09' });
    expect(likelyDuplicates({ records: caseload, forms: [words], xform, instanceXml: newcomer })).toEqual([]);
    const declined = registration({ family: 'Боржигин', fathers: 'Батын', given: 'Ганзориг', dob: '1985-03-27' }, '0');
    expect(likelyDuplicates({ records: caseload, forms: [words], xform, instanceXml: declined })).toEqual([]);
  });

  it('suggests at most five cases', () => {
    const many = Array.from({ length: 8 }, (_, i) =>
      record(`c-${i}`, `Б. Ганзориг ${i}`, {
        head_family_name: 'Боржигин',
        head_fathers_name: 'Батын',
        head_given_name: 'Ганзориг',
        head_dob: '1985-03-27',
      }),
    );
    const found = likelyDuplicates({
      records: many,
      forms: [words],
      xform,
      instanceXml: registration({ family: 'Боржигин', fathers: 'Батын', given: 'Ганзориг', dob: '1985-03-27' }),
    });
    expect(found).toHaveLength(5);
  });
});

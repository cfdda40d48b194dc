import { describe, expect, it } from 'vitest';
import type { DeviceRecord } from '../../sync/listDeviceRecords.js';
import { projectVocabulary, type FormWords } from '../forms/formVocabulary.js';
import { changedValues, editFields } from './caseEditFields.js';
import { caseRow, countCases, matchesFilter } from './caseRows.js';

const registration: FormWords = {
  formId: 'mn_household_registration',
  title: 'Бүртгэл',
  dataset: 'cases',
  defaultLanguage: 'mn',
  properties: new Map([
    [
      'case_status',
      new Map([
        ['open', { mn: 'Нээлттэй', en: 'Open' }],
        ['closed', { mn: 'Хаагдсан', en: 'Closed' }],
      ]),
    ],
    ['needs', new Map([['food', { mn: 'Хүнс', en: 'Food' }]])],
  ]),
  saved: [
    { property: 'address_detail', type: 'text' },
    { property: 'registration_date', type: 'date' },
    { property: 'case_status', type: 'select_one' },
    { property: 'needs', type: 'select_multiple' },
    { property: 'geometry', type: 'geopoint' },
    { property: 'internal', type: 'text' },
  ],
  choiceColumns: new Map(),
  dates: new Set(['registration_date']),
  labels: new Map([
    ['address_detail', { mn: 'Хаяг', en: 'Address' }],
    ['registration_date', { mn: 'Огноо', en: 'Registered on' }],
    ['case_status', { mn: 'Төлөв', en: 'Case status' }],
    ['needs', { mn: 'Хэрэгцээ', en: 'Needs' }],
    ['geometry', { mn: 'Байршил', en: 'Location' }],
  ]),
};
const vocabulary = projectVocabulary([registration]);

describe('the case page’s edit form', () => {
  it('offers the properties the forms save, in their words, selects with their choices; never a raw code', () => {
    const properties = { address_detail: '12-р байр', case_status: 'open', needs: 'food', geometry: '47.9 106.9' };
    expect(editFields(properties, 'cases', vocabulary, 'en')).toEqual([
      { property: 'address_detail', label: 'Address', value: '12-р байр', kind: 'text', choices: [] },
      { property: 'registration_date', label: 'Registered on', value: '', kind: 'date', choices: [] },
      {
        property: 'case_status',
        label: 'Case status',
        value: 'open',
        kind: 'choice',
        choices: [
          { value: 'open', label: 'Open' },
          { value: 'closed', label: 'Closed' },
        ],
      },
    ]);
    // Another list's case is offered nothing of these forms.
    expect(editFields(properties, 'requests', vocabulary, 'en')).toEqual([]);
  });

  it('sends only what was changed', () => {
    const fields = editFields({ address_detail: '12-р байр', case_status: 'open' }, 'cases', vocabulary, 'mn');
    expect(changedValues(fields, { address_detail: '12-р байр', case_status: 'closed' })).toEqual({
      case_status: 'closed',
    });
    expect(changedValues(fields, {})).toEqual({});
  });
});

describe('categories in the case list', () => {
  const record = (id: string, categories: string | undefined): DeviceRecord => ({
    id,
    list: 'cases',
    projectId: 'p1',
    label: id,
    status: 'open',
    state: 'synced',
    rejection: null,
    seq: null,
    properties: categories === undefined ? { __label: id } : { __label: id, __categories: categories },
    version: 1,
    pendingSeq: 0,
  });
  const today = { year: 2026, month: 12, day: 7 };
  const rows = [record('a', 'lives_alone disability'), record('b', 'disability'), record('c', undefined)].map((r) =>
    caseRow(r, undefined, today),
  );

  it('counts the cases of each category and filters by one', () => {
    const counts = countCases(rows, () => []);
    expect([...counts.byCategory]).toEqual([
      ['lives_alone', 1],
      ['disability', 2],
    ]);
    const filter = { kind: 'category', value: 'disability' } as const;
    expect(rows.filter((row) => matchesFilter(row, filter, () => [])).map((row) => row.id)).toEqual(['a', 'b']);
  });
});

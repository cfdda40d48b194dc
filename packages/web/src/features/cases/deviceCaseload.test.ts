// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { encodeRecordGroups, type PulledRecord } from '@outpost/core';
import { afterEach, describe, expect, it } from 'vitest';
import { applyPullPage } from '../../store/applyPullPage.js';
import { createIndexedDbStore } from '../../store/indexedDbStore.js';
import type { LocalStore } from '../../store/LocalStore.js';
import { uniqueName } from '../../store/localStoreContract.js';
import { createMemoryStore } from '../../store/memoryStore.js';
import { saveRecord } from '../../store/saveRecord.js';
import { listDeviceRecords, type DeviceRecord } from '../../sync/listDeviceRecords.js';
import { readFormWords, type FormWords } from '../forms/formVocabulary.js';
import { countCases } from './caseRows.js';
import { DeviceCaseload } from './deviceCaseload.js';
import assessmentXml from '../../forms/__fixtures__/assessment.xml?raw';
import registrationXml from '../../forms/__fixtures__/household_registration.xml?raw';

const fixture = (xml: string): FormWords => {
  const words = readFormWords(xml);
  if (words === null) throw new Error('the fixture did not parse');
  return words;
};
const forms = [fixture(registrationXml), fixture(assessmentXml)];
const today = '2026-12-07';
const scope = 'p.p1.1.cases';

type Props = Record<string, string | null>;
const household = (id: string, label: string, props: Props, seq: number): PulledRecord => [
  id,
  'cases',
  scope,
  1,
  seq,
  { __label: label, __status: props['case_status'] ?? 'open', __conflict: null, ...props },
];

// Khoroo 1 of Bayanzürkh is MN111051 in the registration form's choices; khoroo 2 is MN111053.
const seed: PulledRecord[] = [
  household(
    'c1',
    'Бат-Эрдэнэ Дорж',
    {
      head_given_name: 'Бат-Эрдэнэ',
      head_family_name: 'Дорж',
      head_dob: '1950-03-01',
      bag: 'MN111051',
      soum: 'MN1110',
      aimag: 'MN11',
      needs: 'heating_winter food',
      risk_level: 'high',
      review_due_date: '2026-11-30',
    },
    1,
  ),
  household(
    'c2',
    'Сараа Болд',
    { head_given_name: 'Сараа', head_dob: '1958-07-20', bag: 'MN111053', needs: 'heating_winter', risk_level: 'low' },
    2,
  ),
  household(
    'c3',
    'Цэцэг Ганбаатар',
    {
      head_given_name: 'Цэцэг',
      head_dob: '1990-01-01',
      bag: 'MN111051',
      needs: 'heating_winter',
      risk_level: 'medium',
    },
    3,
  ),
  household('c4', 'Өлзий Хүрэл', { head_dob: '1944-05-05', bag: 'MN111051', needs: 'food' }, 4),
];

async function pull(store: LocalStore, records: PulledRecord[], evictions: string[] = []): Promise<void> {
  const seq = Math.max(0, ...records.map((r) => r[4]));
  await applyPullPage(store, {
    groups: encodeRecordGroups(records),
    evictions: evictions.map((id) => ({ id, list: 'cases', reason: 'out-of-scope' as const })),
    cursors: { [scope]: seq },
    scopes: [scope],
    hasMore: false,
    remaining: 0,
  });
}

for (const [name, open] of [
  ['memory', (db: string) => createMemoryStore(db)],
  ['IndexedDB (Dexie)', (db: string) => createIndexedDbStore(db)],
] as const) {
  describe(`the case list on the device: ${name} store`, () => {
    const opened: LocalStore[] = [];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    async function loaded(): Promise<{ store: LocalStore; caseload: DeviceCaseload }> {
      const store = open(uniqueName('caselist'));
      opened.push(store);
      await pull(store, seed);
      const caseload = new DeviceCaseload(forms, today);
      caseload.update(await listDeviceRecords(store));
      return { store, caseload };
    }

    const ids = (caseload: DeviceCaseload, query: string): string[] =>
      caseload.view({ query, filters: [], sort: 'name' }).rows.map((row) => row.id);

    it('finds a Cyrillic name by its Latin spelling, with the matched part highlighted', async () => {
      const { caseload } = await loaded();
      for (const spelling of ['Bat-Erdene', 'bat erdene', 'baterdene', 'Бат-Эрдэнэ']) {
        expect(ids(caseload, spelling)[0]).toBe('c1');
      }
      const view = caseload.view({ query: 'bat-erdene', filters: [], sort: 'name' });
      expect(view.highlights.get('c1')).toContainEqual({ field: 'label', start: 0, end: 10 });
    });

    it('filters age 60+ in one khoroo with the need "heating", by the words a worker types', async () => {
      const { caseload } = await loaded();
      // The khoroo by its English or Mongolian name, the need by the start of its value or its label.
      expect(ids(caseload, 'age:60+ area:"Khoroo 1" needs:heating')).toEqual(['c1']);
      expect(ids(caseload, 'нас:60+ area:"1-р хороо" needs:heating_winter')).toEqual(['c1']);
      expect(ids(caseload, 'age:60+ needs:heating')).toEqual(['c1', 'c2']);
      expect(caseload.view({ query: 'needs:nosuchthing', filters: [], sort: 'name' }).rows).toEqual([]);
      expect(caseload.view({ query: 'colour:red', filters: [], sort: 'name' }).invalid).toBe('colour:red');
    });

    it('sorts by name, age, next follow-up and priority, and counts what needs attention', async () => {
      const { caseload } = await loaded();
      const sorted = (sort: 'name' | 'age' | 'nextVisit' | 'priority') =>
        caseload.view({ query: '', filters: [], sort }).rows.map((row) => row.id);
      // Core's folded order, which is the Mongolian alphabet's: Б, Ө, С, Ц.
      expect(sorted('name')).toEqual(['c1', 'c4', 'c2', 'c3']);
      expect(sorted('age')).toEqual(['c4', 'c1', 'c2', 'c3']);
      expect(sorted('priority')).toEqual(['c1', 'c3', 'c2', 'c4']);
      expect(sorted('nextVisit')[0]).toBe('c1');
      const counts = countCases(caseload.all(), () => []);
      expect(counts.total).toBe(4);
      expect(counts.byRisk.get('high')).toBe(1);
      expect(counts.byArea.get('bag:MN111051')?.count).toBe(3);
      expect(counts.overdue).toBe(1);
      expect(caseload.view({ query: '', filters: [{ kind: 'overdue' }], sort: 'name' }).rows.map((r) => r.id)).toEqual([
        'c1',
      ]);
    });

    it('stays current as records sync, edits are made and cases leave the scope, re-opening only what changed', async () => {
      const { store, caseload } = await loaded();
      const first = new Map(caseload.known);

      // A new case arrives and another leaves the user's scope.
      await pull(store, [household('c5', 'Энхтуяа Пүрэв', { head_dob: '1960-01-01', bag: 'MN111051' }, 5)], ['c4']);
      let records = await listDeviceRecords(store, { previous: caseload.known });
      expect(records.find((r) => r.id === 'c1')).toBe(first.get('c1'));
      expect(caseload.update(records)).toBe(2);
      expect(ids(caseload, 'Enkhtuya')).toEqual(['c5']);
      expect(ids(caseload, 'Ölzii')).toEqual([]);

      // An offline edit: the device's own version is searched and counted as unsent.
      await saveRecord(
        store,
        { id: 'c2', list: 'cases', properties: { __label: 'Сараа Тулга', head_given_name: 'Сараа' } },
        {
          instanceId: 'uuid:v1',
          projectId: 'p1',
          formId: 'mn_visit',
          formVersion: '1',
          xml: '<data/>',
          createdAt: '2026-12-07T01:00:00Z',
          attachments: [],
        },
      );
      records = await listDeviceRecords(store, { previous: caseload.known });
      expect(caseload.update(records)).toBe(1);
      expect(ids(caseload, 'Tulga')).toEqual(['c2']);
      const counts = countCases(caseload.all(), () => []);
      expect(counts.unsent).toBe(1);
      expect(caseload.view({ query: '', filters: [{ kind: 'unsent' }], sort: 'name' }).rows.map((r) => r.id)).toEqual([
        'c2',
      ]);
    });
  });
}

describe('a name the role may not see', () => {
  it('is listed as hidden and found by nothing typed', () => {
    const record: DeviceRecord = {
      id: 'x1',
      list: 'cases',
      projectId: 'p1',
      label: 'x1',
      status: 'open',
      state: 'synced',
      rejection: null,
      seq: null,
      properties: { __label: null, bag: 'MN111051' },
      version: 1,
      pendingSeq: 0,
    };
    const caseload = new DeviceCaseload(forms, today);
    caseload.update([record]);
    const [row] = caseload.view({ query: '', filters: [], sort: 'name' }).rows;
    expect(row?.label).toBeNull();
    expect(caseload.view({ query: 'x1', filters: [], sort: 'name' }).rows).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import type { CaseHistoryEntry } from '../../api/CasesApi.js';
import type { OutboxEntry } from '../../store/outbox.js';
import { projectVocabulary, type FormWords } from '../forms/formVocabulary.js';
import { caseTimeline } from './caseTimeline.js';

const visit: FormWords = {
  formId: 'mn_visit',
  title: 'Айлчлал, хяналт',
  dataset: 'cases',
  defaultLanguage: 'mn',
  properties: new Map(),
  saved: [],
  choiceColumns: new Map(),
  dates: new Set(['next_visit_date']),
  labels: new Map([['next_visit_date', { mn: 'Дараагийн айлчлал', en: 'Next visit' }]]),
};

function version(n: number, form: string | null, changes: Record<string, string> = {}): CaseHistoryEntry {
  return {
    version: n,
    at: `2026-12-0${n}T10:00:00.000Z`,
    madeAt: null,
    form: form === null ? null : { id: form, title: 'Server title' },
    by: 'Туяа',
    device: 'Tablet 3',
    label: null,
    changes,
    withheld: n === 2 ? ['head_phone'] : [],
    conflict: null,
  };
}

function unsent(seq: number, state: 'pending' | 'rejected'): OutboxEntry {
  return {
    seq,
    state,
    recordId: 'case-1',
    bytes: 10,
    savedAt: `2026-12-07T0${seq}:00:00.000Z`,
    rejection: null,
    item: {
      instanceId: `uuid:${seq}`,
      projectId: 'p',
      formId: 'mn_visit',
      formVersion: '1',
      xml: '<data/>',
      createdAt: `2026-12-07T0${seq}:00:00.000Z`,
      attachments: [],
    },
  };
}

describe('a case’s timeline', () => {
  it('puts what the device has not sent on top, newest first, then the server’s versions', () => {
    const items = caseTimeline(
      'cases',
      [unsent(1, 'rejected'), unsent(2, 'pending')],
      [
        version(2, 'mn_visit', { next_visit_date: '2026-12-20', head_phone: 'x' }),
        version(1, 'mn_household_registration'),
      ],
      projectVocabulary([visit]),
      'en',
    );
    expect(items.map((i) => [i.key, i.state, i.form])).toEqual([
      ['seq:2', 'unsent', 'Айлчлал, хяналт'],
      ['seq:1', 'rejected', 'Айлчлал, хяналт'],
      ['v:2', 'server', 'Айлчлал, хяналт'],
      ['v:1', 'server', 'Server title'],
    ]);
    expect(items[2]?.changes).toEqual([{ property: 'next_visit_date', label: 'Next visit', value: '2026-12-20' }]);
    expect(items[2]).toMatchObject({ by: 'Туяа', device: 'Tablet 3', withheld: 1 });
  });

  it('keeps the versions of a case merged into this one apart, marked', () => {
    const items = caseTimeline(
      'cases',
      [],
      [
        { ...version(2, 'mn_visit'), action: 'merge' },
        { ...version(1, 'mn_household_registration'), mergedFrom: 'dup' },
        version(1, 'mn_household_registration'),
      ],
      projectVocabulary([visit]),
      'en',
    );
    expect(items.map((i) => [i.key, i.merged, i.action])).toEqual([
      ['v:2', false, 'merge'],
      ['v:dup:1', true, null],
      ['v:1', false, null],
    ]);
  });
});

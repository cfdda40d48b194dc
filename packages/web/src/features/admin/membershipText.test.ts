import { describe, expect, it } from 'vitest';
import type { AreaOption, ProjectMember } from '../../api/OutpostApi.js';
import { createI18n } from '../../i18n/createI18n.js';
import { areaChoices, scopeText } from './membershipText.js';

const areas: AreaOption[] = [
  { code: 'MN111069', parentCode: 'MN1110', level: 'khoroo', names: { en: 'Khoroo 10', mn: '10-р хороо' } },
  { code: 'MN1110', parentCode: null, level: 'district', names: { en: 'Bayanzürkh', mn: 'Баянзүрх' } },
  { code: 'MN111053', parentCode: 'MN1110', level: 'khoroo', names: { en: 'Khoroo 2', mn: '2-р хороо' } },
  { code: 'MN111051', parentCode: 'MN1110', level: 'khoroo', names: { en: 'Khoroo 1', mn: '1-р хороо' } },
];

const member = (over: Partial<ProjectMember>): ProjectMember => ({
  projectId: 'p',
  userId: 'u',
  username: 'nara',
  displayName: 'Nara',
  role: 'fieldworker',
  wholeProject: false,
  areas: [],
  team: null,
  ...over,
});

describe('membership words', () => {
  it('lists areas inside their parents in natural order, named in the app’s language', () => {
    const i18n = createI18n({ storage: { getItem: () => 'mn', setItem: () => undefined } });
    expect(areaChoices(i18n, areas).map((c) => [c.name, c.parent, c.depth])).toEqual([
      ['Баянзүрх', null, 0],
      ['1-р хороо', 'Баянзүрх', 1],
      ['2-р хороо', 'Баянзүрх', 1],
      ['10-р хороо', 'Баянзүрх', 1],
    ]);
  });

  it('says what a membership reaches in words, never codes', () => {
    const i18n = createI18n({ storage: { getItem: () => 'mn', setItem: () => undefined } });
    const [, khoroo1, khoroo2] = areas.toSorted((a, b) => a.code.localeCompare(b.code));
    expect(scopeText(i18n, member({ wholeProject: true }))).toBe('Төсөл бүхэлдээ');
    expect(scopeText(i18n, member({}))).toBe('Өөрт нь хуваарилсан кейсүүд');
    expect(scopeText(i18n, member({ areas: [khoroo1, khoroo2].flatMap((a) => (a ? [a] : [])), team: 'north' }))).toBe(
      '1-р хороо, 2-р хороо, north баг',
    );
  });
});

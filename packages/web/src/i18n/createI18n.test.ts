import { describe, expect, it } from 'vitest';
import { createI18n, defaultLanguage, formatMessage, languageStorageKey } from './createI18n.js';

function memoryStorage(initial: Record<string, string> = {}): Pick<Storage, 'getItem' | 'setItem'> & {
  data: Record<string, string>;
} {
  const data = { ...initial };
  return {
    data,
    getItem: (key) => data[key] ?? null,
    setItem: (key, value) => {
      data[key] = value;
    },
  };
}

describe('createI18n', () => {
  it('starts in Mongolian on a Mongolian device and in English elsewhere', () => {
    expect(defaultLanguage('mn-MN')).toBe('mn');
    expect(defaultLanguage('mn')).toBe('mn');
    expect(defaultLanguage('en-US')).toBe('en');
    expect(defaultLanguage('tpi')).toBe('en');
    expect(defaultLanguage(undefined)).toBe('en');
    expect(createI18n({ navigatorLanguage: 'mn-MN' }).t('cases.title')).toBe('Кейсүүд');
  });

  it('remembers the chosen language across app starts and sets <html lang>', () => {
    const storage = memoryStorage();
    const html = { lang: '' };
    const first = createI18n({ storage, navigatorLanguage: 'en-GB', documentElement: html });
    expect(html.lang).toBe('en');

    first.setLanguage('tpi');
    expect(first.t('header.logout')).toBe('Logaut');
    expect(html.lang).toBe('tpi');
    expect(storage.data[languageStorageKey]).toBe('tpi');

    const second = createI18n({ storage, navigatorLanguage: 'mn-MN', documentElement: html });
    expect(second.language()).toBe('tpi');
  });

  it('ignores a stored value that is not a language, and storage that throws', () => {
    const junk = createI18n({ storage: memoryStorage({ [languageStorageKey]: 'xx' }), navigatorLanguage: 'mn' });
    expect(junk.language()).toBe('mn');

    const blocked = createI18n({
      storage: {
        getItem: () => {
          throw new Error('SecurityError');
        },
        setItem: () => {
          throw new Error('QuotaExceededError');
        },
      },
    });
    blocked.setLanguage('mn');
    expect(blocked.t('login.title')).toBe('Нэвтрэх');
  });

  it('fills placeholders', () => {
    const i18n = createI18n({ navigatorLanguage: 'en' });
    expect(i18n.t('cases.found', { count: 50, total: 1234 })).toBe('50 cases of 1234');
    i18n.setLanguage('mn');
    expect(i18n.t('cases.found', { count: 50, total: 1234 })).toBe('Нийт 1234-аас 50 кейс');
  });

  it('writes calendar dates and counts as each language does', () => {
    const i18n = createI18n({ navigatorLanguage: 'mn' });
    expect(i18n.formatDate('2026-03-05')).toBe('2026 оны 3-р сарын 5');
    expect(i18n.formatNumber(100000)).toBe('100\u202f000');
    expect(i18n.formatDate('5 March')).toBe('');
    i18n.setLanguage('en');
    expect(i18n.formatDate('2026-03-05')).toBe('Mar 5, 2026');
    expect(i18n.formatNumber(100000)).toBe('100,000');
    expect(i18n.t('cases.years', { count: 1 })).toBe('1 year');
  });

  it('finds keys built at run time and says so when there is none', () => {
    const i18n = createI18n({ navigatorLanguage: 'mn' });
    expect(i18n.find('status.closed')).toBe('Хаасан');
    expect(i18n.find('status.archived')).toBeUndefined();
    expect(i18n.find('toString')).toBeUndefined();
  });

  it('formats dates in the chosen language', () => {
    const i18n = createI18n({ navigatorLanguage: 'mn' });
    const when = '2021-03-05T22:07:00Z';
    expect(i18n.formatDateTime(when)).toBe('2021 оны 3-р сарын 5 22:07');
    expect(i18n.formatDateTime('2021-12-31T00:05:00Z')).toBe('2021 оны 12-р сарын 31 00:05');
    i18n.setLanguage('en');
    expect(i18n.formatDateTime(when)).toContain('Mar 5, 2021');
    i18n.setLanguage('tpi');
    expect(i18n.formatDateTime(when)).toContain('5 Mar 2021');
    expect(i18n.formatDateTime('not a date')).toBe('');
  });

  it('says "1 draft" and "2 drafts" in English, and one form for every count in Mongolian', () => {
    const i18n = createI18n({ navigatorLanguage: 'en' });
    expect(i18n.t('logout.drafts', { count: 1 })).toBe('1 draft is kept on this device.');
    expect(i18n.t('logout.drafts', { count: 2 })).toBe('2 drafts are kept on this device.');
    expect(i18n.t('logout.drafts', { count: 0 })).toBe('0 drafts are kept on this device.');
    // @ts-expect-error: a plural's argument is a placeholder like any other
    expect(i18n.t('logout.drafts')).toContain('{count, plural');
    expect(i18n.t('sync.progress.records', { done: 1, total: 1 })).toBe('1 of 1 record');
    i18n.setLanguage('mn');
    expect(i18n.t('logout.drafts', { count: 1 })).toBe('Энэ төхөөрөмж дээр 1 ноорог хадгалагдсан байна.');
  });
});

describe('formatMessage', () => {
  const en = new Intl.PluralRules('en');

  it('picks an exact branch, then the plural category, then other', () => {
    const text = '{n, plural, =0 {no drafts} one {# draft} other {# drafts}}';
    expect(formatMessage(text, { n: 0 }, en)).toBe('no drafts');
    expect(formatMessage(text, { n: 1 }, en)).toBe('1 draft');
    expect(formatMessage(text, { n: 7 }, en)).toBe('7 drafts');
    expect(formatMessage('{n, plural, other {# items}}', { n: 1 }, en)).toBe('1 items');
  });

  it('fills placeholders inside a branch and around it', () => {
    const text = '{who}: {n, plural, one {# form by {who}} other {# forms}} left';
    expect(formatMessage(text, { who: 'Bat', n: 1 }, en)).toBe('Bat: 1 form by Bat left');
    expect(formatMessage(text, { who: 'Bat', n: 3 }, en)).toBe('Bat: 3 forms left');
  });

  it('leaves a placeholder without a value as written, so the mistake shows', () => {
    expect(formatMessage('Hello {name}', {}, en)).toBe('Hello {name}');
    expect(formatMessage('{n, plural, one {#} other {#s}}', {}, en)).toBe('{n, plural, one {#} other {#s}}');
    expect(formatMessage('unbalanced {n', { n: 1 }, en)).toBe('unbalanced {n');
  });
});

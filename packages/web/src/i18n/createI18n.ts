import { createSignal, type Accessor } from 'solid-js';
import { en, type Catalog, type MessageKey } from './en.js';
import { mn } from './mn.js';
import { tpi } from './tpi.js';

export type Language = 'mn' | 'en' | 'tpi';

/** Each language is named in itself, so a user who cannot read the current one still finds theirs. */
export const languages: readonly { readonly code: Language; readonly name: string }[] = [
  { code: 'mn', name: 'Монгол' },
  { code: 'en', name: 'English' },
  { code: 'tpi', name: 'Tok Pisin' },
];

const catalogs: Readonly<Record<Language, Catalog>> = { mn, en, tpi };

// ICU ships no Tok Pisin data (Intl falls back to plain English), so dates use Papua New Guinea English.
// Mongolian is formatted by hand (mongolianDateTime): Chromium's ICU has no `mn` data at all.
const intlLocales: Readonly<Record<Exclude<Language, 'mn'>, string>> = { en: 'en', tpi: 'en-PG' };

export const languageStorageKey = 'outpost.language';

type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;

/** `t('cases.showing', { shown, total })` must name every placeholder; `t('login.title')` takes none. */
export type ParamsFor<K extends MessageKey> = [Placeholders<(typeof en)[K]>] extends [never]
  ? []
  : [params: Record<Placeholders<(typeof en)[K]>, string | number>];

export interface I18nEnvironment {
  readonly storage?: Pick<Storage, 'getItem' | 'setItem'> | undefined;
  readonly navigatorLanguage?: string | undefined;
  readonly documentElement?: { lang: string } | undefined;
}

export interface I18n {
  readonly language: Accessor<Language>;
  readonly setLanguage: (language: Language) => void;
  /** Safe to destructure (`const { t } = i18n`): no `this`. */
  readonly t: <K extends MessageKey>(key: K, ...params: ParamsFor<K>) => string;
  /** For keys built at run time (a problem code, a status): the text, or undefined when there is none. */
  readonly find: (key: string) => string | undefined;
  readonly formatDateTime: (value: string | Date) => string;
}

export function isLanguage(value: unknown): value is Language {
  return value === 'mn' || value === 'en' || value === 'tpi';
}

export function defaultLanguage(navigatorLanguage: string | undefined): Language {
  return navigatorLanguage?.toLowerCase().startsWith('mn') === true ? 'mn' : 'en';
}

export function createI18n(env: I18nEnvironment = {}): I18n {
  const stored = readStored(env.storage);
  const [language, setLanguageSignal] = createSignal<Language>(stored ?? defaultLanguage(env.navigatorLanguage));
  if (env.documentElement) env.documentElement.lang = language();

  const formatters = new Map<Language, (date: Date) => string>();
  const formatterFor = (lang: Language): ((date: Date) => string) => {
    let formatter = formatters.get(lang);
    if (!formatter) {
      formatter = lang === 'mn' ? mongolianDateTime : intlDateTime(intlLocales[lang]);
      formatters.set(lang, formatter);
    }
    return formatter;
  };

  return {
    language,
    setLanguage(next) {
      setLanguageSignal(next);
      if (env.documentElement) env.documentElement.lang = next;
      try {
        env.storage?.setItem(languageStorageKey, next);
      } catch {
        // A full or blocked storage must not stop the switch; the choice lasts for this visit only.
      }
    },
    t(key, ...params) {
      const template = catalogs[language()][key];
      const values: Readonly<Record<string, string | number>> = params[0] ?? {};
      return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
        const value = values[name];
        return value === undefined ? whole : String(value);
      });
    },
    find(key) {
      return Object.hasOwn(en, key) ? catalogs[language()][key as MessageKey] : undefined;
    },
    formatDateTime(value) {
      const date = typeof value === 'string' ? new Date(value) : value;
      if (Number.isNaN(date.getTime())) return '';
      return formatterFor(language())(date);
    },
  };
}

function readStored(storage: I18nEnvironment['storage']): Language | undefined {
  try {
    const value = storage?.getItem(languageStorageKey);
    return isLanguage(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function intlDateTime(locale: string): (date: Date) => string {
  const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return (date) => format.format(date);
}

const numericParts = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** CLDR's medium Mongolian pattern, "2021 оны 3-р сарын 5 22:07", the same in every browser. */
export function mongolianDateTime(date: Date): string {
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    numericParts.formatToParts(date).find((p) => p.type === type)?.value ?? '';
  return `${part('year')} оны ${part('month')}-р сарын ${part('day')} ${part('hour')}:${part('minute')}`;
}

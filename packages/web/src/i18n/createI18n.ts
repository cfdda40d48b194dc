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
const intlLocales: Readonly<Record<Language, string>> = { mn: 'mn', en: 'en', tpi: 'en-PG' };

export const languageStorageKey = 'outpost.language';

type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
  ? P | Placeholders<Rest>
  : never;

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
  setLanguage(language: Language): void;
  t<K extends MessageKey>(key: K, ...params: ParamsFor<K>): string;
  /** For keys built at run time (a problem code, a status): the text, or undefined when there is none. */
  find(key: string): string | undefined;
  formatDateTime(value: string | Date): string;
}

export function isLanguage(value: unknown): value is Language {
  return value === 'mn' || value === 'en' || value === 'tpi';
}

export function defaultLanguage(navigatorLanguage: string | undefined): Language {
  return navigatorLanguage?.toLowerCase().startsWith('mn') === true ? 'mn' : 'en';
}

export function createI18n(env: I18nEnvironment = {}): I18n {
  const stored = readStored(env.storage);
  const [language, setLanguageSignal] = createSignal<Language>(
    stored ?? defaultLanguage(env.navigatorLanguage),
  );
  if (env.documentElement) env.documentElement.lang = language();

  const formatters = new Map<Language, Intl.DateTimeFormat>();
  const formatterFor = (lang: Language): Intl.DateTimeFormat => {
    let formatter = formatters.get(lang);
    if (!formatter) {
      formatter = new Intl.DateTimeFormat(intlLocales[lang], { dateStyle: 'medium', timeStyle: 'short' });
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
      return formatterFor(language()).format(date);
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

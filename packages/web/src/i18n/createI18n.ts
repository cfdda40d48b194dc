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

// CLDR gives Mongolian English's one/other rule; Tok Pisin has no plural inflection, and its
// catalog only ever needs `other` (the `one` rule of `en` is harmless there).
const pluralLocales: Readonly<Record<Language, string>> = { mn: 'en', en: 'en', tpi: 'en' };

export const languageStorageKey = 'outpost.language';

// `{name}` is a placeholder; `{count, plural, one {# draft} other {# drafts}}` makes `count` one. The
// text between a plural's branch braces never counts as a name: it holds a space, a `#` or a comma.
type PlaceholderName<P extends string> = P extends `${infer Name}, plural,${string}`
  ? Name
  : P extends `${string}${' ' | '#' | ','}${string}`
    ? never
    : P;
type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
  ? PlaceholderName<P> | Placeholders<Rest>
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
  readonly setLanguage: (language: Language) => void;
  /** Safe to destructure (`const { t } = i18n`): no `this`. */
  readonly t: <K extends MessageKey>(key: K, ...params: ParamsFor<K>) => string;
  /** For keys built at run time (a problem code, a status): the text, or undefined when there is none. */
  readonly find: (key: string) => string | undefined;
  readonly formatDateTime: (value: string | Date) => string;
  /** A calendar date (`YYYY-MM-DD`, no time zone) in the language's words; '' for anything else. */
  readonly formatDate: (value: string) => string;
  /** A count with the language's digit grouping (mn-MN: 100 000). */
  readonly formatNumber: (value: number) => string;
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

  const pluralRules = new Map<Language, Intl.PluralRules>();
  const pluralRulesFor = (lang: Language): Intl.PluralRules => {
    let rules = pluralRules.get(lang);
    if (!rules) {
      rules = new Intl.PluralRules(pluralLocales[lang]);
      pluralRules.set(lang, rules);
    }
    return rules;
  };

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
      const lang = language();
      return formatMessage(catalogs[lang][key], params[0] ?? {}, pluralRulesFor(lang));
    },
    find(key) {
      return Object.hasOwn(en, key) ? catalogs[language()][key as MessageKey] : undefined;
    },
    formatDateTime(value) {
      const date = typeof value === 'string' ? new Date(value) : value;
      if (Number.isNaN(date.getTime())) return '';
      return formatterFor(language())(date);
    },
    formatDate(value) {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
      if (match === null) return '';
      const [, year, month, day] = match;
      const lang = language();
      if (lang === 'mn') return `${year} оны ${Number(month)}-р сарын ${Number(day)}`;
      const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
      return new Intl.DateTimeFormat(intlLocales[lang], { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
    },
    formatNumber(value) {
      // Chromium's ICU has no `mn` data; Mongolian groups thousands with a (narrow) space.
      if (language() === 'mn') return groupDigits(value, '\u202f');
      return new Intl.NumberFormat(intlLocales[language() as 'en' | 'tpi']).format(value);
    },
  };
}

function groupDigits(value: number, separator: string): string {
  const [whole = '', fraction] = String(Math.abs(value)).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  return `${value < 0 ? '-' : ''}${grouped}${fraction === undefined ? '' : `,${fraction}`}`;
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

/**
 * Fills `{name}` placeholders and ICU plurals, `{count, plural, =0 {none} one {# draft} other {# drafts}}`:
 * an exact `=n` branch first, then the language's plural category, then `other`; `#` is the number.
 * A placeholder without a value stays as written, so a mistake shows instead of vanishing.
 */
export function formatMessage(
  template: string,
  values: Readonly<Record<string, string | number>>,
  rules: Pick<Intl.PluralRules, 'select'>,
): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) break;
    const close = matchingBrace(template, open);
    if (close < 0) break;
    out += template.slice(i, open);
    out += formatArgument(template.slice(open + 1, close), values, rules) ?? template.slice(open, close + 1);
    i = close + 1;
  }
  return out + template.slice(i);
}

function formatArgument(
  body: string,
  values: Readonly<Record<string, string | number>>,
  rules: Pick<Intl.PluralRules, 'select'>,
): string | undefined {
  const plural = /^\s*(\w+)\s*,\s*plural\s*,/.exec(body);
  if (plural === null) {
    const value = /^\w+$/.test(body) ? values[body] : undefined;
    return value === undefined ? undefined : String(value);
  }
  const name = plural[1] ?? '';
  const raw = values[name];
  const count = typeof raw === 'number' ? raw : Number(raw);
  if (raw === undefined || Number.isNaN(count)) return undefined;
  const branches = pluralBranches(body.slice(plural[0].length));
  const chosen = branches.get(`=${count}`) ?? branches.get(rules.select(count)) ?? branches.get('other');
  if (chosen === undefined) return undefined;
  return formatMessage(chosen, values, rules).replace(/#/g, String(count));
}

function pluralBranches(text: string): Map<string, string> {
  const branches = new Map<string, string>();
  let i = 0;
  for (;;) {
    const selector = /^\s*(=\d+|zero|one|two|few|many|other)\s*\{/.exec(text.slice(i));
    if (selector === null) return branches;
    const open = i + selector[0].length - 1;
    const close = matchingBrace(text, open);
    if (close < 0) return branches;
    branches.set(selector[1] ?? '', text.slice(open + 1, close));
    i = close + 1;
  }
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    if (text[i] === '{') depth += 1;
    else if (text[i] === '}') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

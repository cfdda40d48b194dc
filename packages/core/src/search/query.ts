/**
 * The case search query: free words for names, plus filters written `key:value` inside the text
 * (the web app's search box and `outpost cases search` accept the same):
 *
 * - `age:60+`, `age:18-35`, `age:-5` (five and under), `age:42`
 * - `sex:f` / `sex:m` (also `эм`, `эр`, `female`, `male`)
 * - `area:CODE` or `area:name` (either script; a unit matches every case below it)
 * - `reg:УК03271614` (exact) or `reg:УК` (prefix of the letters)
 * - any select field of the schema: `needs:heating,food` (any of) or `needs:heating+food` (all of)
 */

export interface AgeRange {
  /** Inclusive bounds in whole years; null means open. */
  readonly min: number | null;
  readonly max: number | null;
}

export interface SelectFilter {
  readonly field: string;
  readonly values: readonly string[];
  readonly mode: 'any' | 'all';
}

export interface CaseQuery {
  /** The words to find in names and the label. */
  readonly text: string;
  readonly age: AgeRange | null;
  readonly sex: 'male' | 'female' | null;
  /** Area codes or names, each to be resolved against the gazetteer; all must hold. */
  readonly areas: readonly string[];
  readonly register: string | null;
  readonly selects: readonly SelectFilter[];
}

export class QueryError extends Error {
  constructor(
    message: string,
    readonly term: string,
  ) {
    super(message);
  }
}

export const EMPTY_QUERY: CaseQuery = { text: '', age: null, sex: null, areas: [], register: null, selects: [] };

const SEX: Readonly<Record<string, 'male' | 'female'>> = {
  m: 'male',
  male: 'male',
  эр: 'male',
  man: 'male',
  f: 'female',
  female: 'female',
  эм: 'female',
  meri: 'female',
};

export function parseAge(value: string): AgeRange {
  const text = value.trim();
  let match = /^(\d{1,3})\+$/.exec(text);
  if (match) return { min: Number(match[1]), max: null };
  match = /^(\d{1,3})\s*-\s*(\d{1,3})$/.exec(text);
  if (match) {
    const min = Number(match[1]);
    const max = Number(match[2]);
    if (min > max) throw new QueryError(`age range ${text} runs backwards`, `age:${text}`);
    return { min, max };
  }
  match = /^(?:-|<=?)\s*(\d{1,3})$/.exec(text);
  if (match) return { min: null, max: Number(match[1]) - (text.startsWith('<') && !text.startsWith('<=') ? 1 : 0) };
  match = /^>=?\s*(\d{1,3})$/.exec(text);
  if (match) return { min: Number(match[1]) + (text.startsWith('>=') ? 0 : 1), max: null };
  match = /^(\d{1,3})$/.exec(text);
  if (match) return { min: Number(match[1]), max: Number(match[1]) };
  throw new QueryError(`"${text}" is not an age: use 60+, 18-35, -5 or 42`, `age:${text}`);
}

function parseSelect(field: string, value: string): SelectFilter {
  const all = value.includes('+');
  const values = value
    .split(all ? '+' : ',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  if (values.length === 0) throw new QueryError(`no value given for ${field}`, `${field}:${value}`);
  return { field, values, mode: all ? 'all' : 'any' };
}

/**
 * Splits `input` into name words and filters. `selectFields` are the select properties the
 * schema marks searchable; a `key:` that is neither one of them nor a known filter is an error,
 * so a typo in a filter never silently searches names.
 */
export function parseQuery(input: string, selectFields: readonly string[] = []): CaseQuery {
  const words: string[] = [];
  let age: AgeRange | null = null;
  let sex: 'male' | 'female' | null = null;
  let register: string | null = null;
  const areas: string[] = [];
  const selects: SelectFilter[] = [];
  // "key:value" where value may be quoted to hold spaces: area:"Баянзүрх дүүрэг".
  const terms = input.match(/[^\s:"]+:"[^"]*"|[^\s:"]+:\S+|"[^"]*"|\S+/g) ?? [];
  for (const term of terms) {
    const colon = term.indexOf(':');
    if (colon <= 0) {
      words.push(term.replace(/"/g, ''));
      continue;
    }
    const key = term.slice(0, colon).toLowerCase();
    const value = term.slice(colon + 1).replace(/^"|"$/g, '');
    if (key === 'age' || key === 'нас') age = parseAge(value);
    else if (key === 'sex' || key === 'хүйс') {
      const parsed = SEX[value.toLowerCase()];
      if (parsed === undefined) throw new QueryError(`"${value}" is not a sex: use f or m`, term);
      sex = parsed;
    } else if (key === 'area' || key === 'хаяг') areas.push(value);
    else if (key === 'reg' || key === 'рд') register = value;
    else if (selectFields.includes(key)) selects.push(parseSelect(key, value));
    else throw new QueryError(`unknown filter "${key}:"`, term);
  }
  return { text: words.join(' '), age, sex, areas, register, selects };
}

/** Merges filters given as separate options (CLI flags, UI controls) into a parsed query. */
export function withFilters(query: CaseQuery, extra: Partial<CaseQuery>): CaseQuery {
  return {
    text: [query.text, extra.text ?? ''].filter((t) => t.length > 0).join(' '),
    age: extra.age ?? query.age,
    sex: extra.sex ?? query.sex,
    areas: [...query.areas, ...(extra.areas ?? [])],
    register: extra.register ?? query.register,
    selects: [...query.selects, ...(extra.selects ?? [])],
  };
}

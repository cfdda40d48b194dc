import { matchKey, nameKeys, sortKey, variantKeys, wordKeys } from './fold.js';
import { prefixWithinOneEdit, withinOneEdit } from './distance.js';
import { AreaGazetteer } from './gazetteer.js';
import type { AreaEntry } from './gazetteer.js';
import { QueryError } from './query.js';
import type { CaseQuery, SelectFilter } from './query.js';
import { ageOn, parseDate } from './dates.js';
import type { CalendarDate } from './dates.js';

/** A case as search sees it: what the device store or the server holds, already redacted. */
export interface SearchableCase {
  readonly id: string;
  readonly label: string;
  readonly properties: Readonly<Record<string, string | null | undefined>>;
}

/** Which properties of a list mean what; the template or the forms' field catalogue says. */
export interface SearchSchema {
  /** Name properties, searched with the label (family, father's and given names). */
  readonly nameFields: readonly string[];
  readonly dobField?: string;
  readonly sexField?: string;
  /** Area code properties, from the top of the hierarchy down (aimag, soum, bag). */
  readonly areaFields: readonly string[];
  /** Select properties that can be filtered (space-separated values, as ODK stores them). */
  readonly selectFields: readonly string[];
  readonly registerField?: string;
}

export interface Highlight {
  /** `label` or a name property. */
  readonly field: string;
  readonly start: number;
  readonly end: number;
}

export interface SearchHit {
  readonly id: string;
  readonly label: string;
  readonly properties: Readonly<Record<string, string | null | undefined>>;
  readonly score: number;
  readonly highlights: readonly Highlight[];
}

export interface SearchOptions {
  /** Today's date (YYYY-MM-DD) for ages; core has no clock. */
  readonly today: string;
  readonly limit?: number;
}

interface NameWord {
  readonly field: string;
  readonly start: number;
  readonly end: number;
  readonly key: string;
}

interface Entry {
  readonly source: SearchableCase;
  readonly words: readonly NameWord[];
  readonly sortKey: string;
  readonly dob: CalendarDate | null;
  readonly sex: 'male' | 'female' | null;
  readonly areas: ReadonlySet<string>;
  readonly selects: ReadonlyMap<string, ReadonlySet<string>>;
  readonly register: string | null;
}

/** A match of one query word against one indexed key; higher is better. */
const EXACT = 3;
const PREFIX = 2;
const FUZZY = 1;
/** Typos are forgiven in words of this many letters or more (the key's length). */
const FUZZY_MIN_LENGTH = 5;

const FEMALE = new Set(['female', 'f', 'эм', 'meri', '2']);
const MALE = new Set(['male', 'm', 'эр', 'man', '1']);

function words(field: string, text: string): NameWord[] {
  const out: NameWord[] = [];
  for (const match of text.matchAll(/[^\s,.;()/]+/g)) {
    const [key] = wordKeys(match[0]);
    if (key === undefined || key.length === 0) continue;
    const start = match.index;
    out.push({ field, start, end: start + match[0].length, key });
  }
  return out;
}

function normalizeRegister(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

/**
 * An in-memory search index over one caseload, kept current with `put` and `remove` as records
 * sync, edits are made and cases leave the user's scope. Names match across Cyrillic and Latin
 * spellings (see fold.ts), by prefix, and with one typo in words of five letters or more.
 */
export class CaseIndex {
  private readonly entries = new Map<string, Entry>();
  /** Every entry in label order, so a filter-only search stops after `limit` matches. */
  private ordered: Entry[] = [];
  /** False after a bulk load, until the next search sorts `ordered` once. */
  private orderedValid = true;
  /** Matching key → ids of the cases with a name word of that key. */
  private readonly postings = new Map<string, Set<string>>();
  private sortedKeys: string[] | null = null;
  private byLength: Map<number, string[]> | null = null;
  private readonly gazetteer: AreaGazetteer;

  constructor(
    readonly schema: SearchSchema,
    areas: readonly AreaEntry[] = [],
  ) {
    this.gazetteer = new AreaGazetteer(areas);
  }

  get size(): number {
    return this.entries.size;
  }

  put(record: SearchableCase): void {
    this.remove(record.id);
    const entry = this.entryOf(record);
    this.entries.set(record.id, entry);
    if (this.orderedValid) this.ordered.splice(this.position(entry), 0, entry);
    else this.ordered.push(entry);
    for (const key of this.keysOf(entry)) {
      let ids = this.postings.get(key);
      if (ids === undefined) {
        ids = new Set();
        this.postings.set(key, ids);
        this.invalidateKeys();
      }
      ids.add(record.id);
    }
  }

  /** Loads many cases at once (a sync page, the whole store at start): one sort instead of many inserts. */
  putAll(records: Iterable<SearchableCase>): void {
    this.orderedValid = false;
    for (const record of records) this.put(record);
  }

  remove(id: string): void {
    const entry = this.entries.get(id);
    if (entry === undefined) return;
    this.entries.delete(id);
    const at = this.orderedValid ? this.position(entry) : 0;
    for (
      let i = at;
      i < this.ordered.length && (!this.orderedValid || this.ordered[i]?.sortKey === entry.sortKey);
      i++
    ) {
      if (this.ordered[i] === entry) {
        this.ordered.splice(i, 1);
        break;
      }
    }
    for (const key of this.keysOf(entry)) {
      const ids = this.postings.get(key);
      ids?.delete(id);
      if (ids?.size === 0) {
        this.postings.delete(key);
        this.invalidateKeys();
      }
    }
  }

  search(query: CaseQuery, options: SearchOptions): SearchHit[] {
    const rawWords = query.text.split(/\s+/).filter((word) => wordKeys(word).join('').length > 0);
    const queryWords = rawWords.map((word) => wordKeys(word).join(''));
    const scores =
      queryWords.length === 0
        ? null
        : this.nameScores(
            rawWords.map((word) => [wordKeys(word).join(''), ...variantKeys(word)]),
            matchKey(query.text),
          );
    const today = parseDate(options.today);
    if (today === null) throw new QueryError(`"${options.today}" is not a date`, options.today);
    const areaSets = query.areas.map((area) => {
      const codes = this.gazetteer.resolve(area);
      if (codes.length === 0) throw new QueryError(`no area is called "${area}"`, `area:${area}`);
      return codes;
    });
    const found: Array<{ entry: Entry; score: number }> = [];
    if (!this.orderedValid) {
      this.ordered.sort((a, b) => compareText(a.sortKey, b.sortKey));
      this.orderedValid = true;
    }
    if (scores === null) {
      // Filters only: walk in label order and stop once enough are found.
      for (const entry of this.ordered) {
        if (options.limit !== undefined && found.length >= options.limit) break;
        if (this.passes(entry, query, today, areaSets)) found.push({ entry, score: 0 });
      }
    } else {
      for (const [id, score] of scores) {
        const entry = this.entries.get(id);
        if (entry !== undefined && this.passes(entry, query, today, areaSets)) found.push({ entry, score });
      }
      found.sort((a, b) => b.score - a.score || compareText(a.entry.sortKey, b.entry.sortKey));
    }
    const kept = options.limit === undefined ? found : found.slice(0, options.limit);
    return kept.map(({ entry, score }) => ({
      id: entry.source.id,
      label: entry.source.label,
      properties: entry.source.properties,
      score,
      highlights: queryWords.length === 0 ? [] : highlight(entry, queryWords),
    }));
  }

  /** Where `entry` belongs in `ordered` (the first place with a sort key not below its own). */
  private position(entry: Entry): number {
    let low = 0;
    let high = this.ordered.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((this.ordered[mid]?.sortKey ?? '') < entry.sortKey) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private entryOf(record: SearchableCase): Entry {
    const { schema } = this;
    const props = record.properties;
    const nameWords = words('label', record.label);
    for (const field of schema.nameFields) nameWords.push(...words(field, props[field] ?? ''));
    const sexText = (schema.sexField ? props[schema.sexField] : null)?.toLowerCase() ?? '';
    const areas = new Set<string>();
    for (const field of schema.areaFields) {
      const code = props[field];
      if (code) for (const ancestor of this.gazetteer.withAncestors(code)) areas.add(ancestor);
    }
    const selects = new Map<string, Set<string>>();
    for (const field of schema.selectFields) {
      selects.set(field, new Set((props[field] ?? '').split(/\s+/).filter((v) => v.length > 0)));
    }
    const dobText = schema.dobField ? props[schema.dobField] : null;
    const registerText = schema.registerField ? props[schema.registerField] : null;
    return {
      source: record,
      words: nameWords,
      sortKey: sortKey(record.label),
      dob: dobText ? parseDate(dobText) : null,
      sex: FEMALE.has(sexText) ? 'female' : MALE.has(sexText) ? 'male' : null,
      areas,
      selects,
      register: registerText ? normalizeRegister(registerText) : null,
    };
  }

  private keysOf(entry: Entry): Set<string> {
    const keys = new Set(nameKeys(entry.source.label));
    for (const field of this.schema.nameFields)
      for (const key of nameKeys(entry.source.properties[field] ?? '')) keys.add(key);
    return keys;
  }

  /** Per case, the sum over query words of the best match; cases missing a word are dropped. */
  private nameScores(queryWords: ReadonlyArray<readonly string[]>, joined: string): Map<string, number> {
    let result: Map<string, number> | null = null;
    for (const spellings of queryWords) {
      const matches = new Map<string, number>();
      for (const spelling of spellings) {
        for (const [id, score] of this.matchesOf(spelling)) {
          if ((matches.get(id) ?? 0) < score) matches.set(id, score);
        }
      }
      const next = new Map<string, number>();
      for (const [id, score] of matches) {
        if (result === null) next.set(id, score);
        else if (result.has(id)) next.set(id, (result.get(id) ?? 0) + score);
      }
      result = next;
    }
    const scores: Map<string, number> = result ?? new Map<string, number>();
    // "bat erdene" typed with a space still finds the one word Бат-Эрдэнэ.
    if (queryWords.length > 1) {
      for (const [id, score] of this.matchesOf(joined)) {
        const combined = score * queryWords.length;
        if ((scores.get(id) ?? -1) < combined) scores.set(id, combined);
      }
    }
    return scores;
  }

  /** Case ids whose keys match `word` exactly, as a prefix, or within one typo, with the best grade. */
  private matchesOf(word: string): Map<string, number> {
    const found = new Map<string, number>();
    const grade = (key: string, value: number): void => {
      for (const id of this.postings.get(key) ?? []) {
        if ((found.get(id) ?? 0) < value) found.set(id, value);
      }
    };
    const keys = this.keys();
    for (let i = this.lowerBound(word); i < keys.length && (keys[i] ?? '').startsWith(word); i++) {
      const key = keys[i] ?? '';
      grade(key, key === word ? EXACT : PREFIX);
    }
    if (word.length >= FUZZY_MIN_LENGTH) {
      // A whole word with one typo: only keys one letter shorter, as long, or one longer.
      for (const length of [word.length - 1, word.length, word.length + 1]) {
        for (const key of this.keysOfLength(length)) if (withinOneEdit(word, key)) grade(key, FUZZY);
      }
      // A typo in what was typed so far of a longer word: keys with the same first letter.
      const first = word.slice(0, 1);
      for (let i = this.lowerBound(first); i < keys.length && (keys[i] ?? '').startsWith(first); i++) {
        const key = keys[i] ?? '';
        if (key.length > word.length && prefixWithinOneEdit(word, key)) grade(key, FUZZY);
      }
    }
    return found;
  }

  private lowerBound(prefix: string): number {
    const keys = this.keys();
    let low = 0;
    let high = keys.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((keys[mid] ?? '') < prefix) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private keysOfLength(length: number): readonly string[] {
    if (this.byLength === null) {
      this.byLength = new Map();
      for (const key of this.keys()) {
        const bucket = this.byLength.get(key.length) ?? [];
        bucket.push(key);
        this.byLength.set(key.length, bucket);
      }
    }
    return this.byLength.get(length) ?? [];
  }

  private invalidateKeys(): void {
    this.sortedKeys = null;
    this.byLength = null;
  }

  private keys(): string[] {
    this.sortedKeys ??= [...this.postings.keys()].sort();
    return this.sortedKeys;
  }

  private passes(entry: Entry, query: CaseQuery, today: CalendarDate, areaSets: readonly string[][]): boolean {
    if (query.sex !== null && entry.sex !== query.sex) return false;
    if (query.age !== null) {
      if (entry.dob === null) return false;
      const age = ageOn(entry.dob, today);
      if (query.age.min !== null && age < query.age.min) return false;
      if (query.age.max !== null && age > query.age.max) return false;
    }
    for (const candidates of areaSets) {
      if (!candidates.some((code) => entry.areas.has(code))) return false;
    }
    if (query.register !== null && !registerMatches(entry.register, query.register)) return false;
    return query.selects.every((filter) => selectMatches(entry.selects.get(filter.field), filter));
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function registerMatches(stored: string | null, wanted: string): boolean {
  if (stored === null) return false;
  const text = normalizeRegister(wanted);
  // The full number matches exactly; letters alone (or letters and leading digits) as a prefix.
  return /^\D{2}\d{8}$/.test(text) ? stored === text : stored.startsWith(text);
}

function selectMatches(values: ReadonlySet<string> | undefined, filter: SelectFilter): boolean {
  if (values === undefined) return false;
  return filter.mode === 'all' ? filter.values.every((v) => values.has(v)) : filter.values.some((v) => values.has(v));
}

function highlight(entry: Entry, queryWords: readonly string[]): Highlight[] {
  const out: Highlight[] = [];
  for (const word of entry.words) {
    const matched = queryWords.some(
      (q) => word.key.startsWith(q) || (q.length >= FUZZY_MIN_LENGTH && prefixWithinOneEdit(q, word.key)),
    );
    if (matched) out.push({ field: word.field, start: word.start, end: word.end });
  }
  return out;
}

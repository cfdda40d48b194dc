import {
  CaseIndex,
  matchKey,
  parseDate,
  parseQuery,
  QueryError,
  type CalendarDate,
  type CaseQuery,
  type Highlight,
} from '@outpost/core';
import type { DeviceRecord } from '../../sync/listDeviceRecords.js';
import { caseListSchema, choiceLabel, type CaseListSchema } from './caseSchema.js';
import { caseRow, matchesFilter, sortCases, type CaseRow, type CaseSort, type QuickFilter } from './caseRows.js';
import type { FormWords } from '../forms/formVocabulary.js';

export interface CaseView {
  readonly rows: readonly CaseRow[];
  /** The matched parts of each found case's name, by case id (empty without search words). */
  readonly highlights: ReadonlyMap<string, readonly Highlight[]>;
  /** The part of the query no list could read (an unknown filter, an area nobody is called), or null. */
  readonly invalid: string | null;
}

export interface CaseViewRequest {
  readonly query: string;
  readonly filters: readonly QuickFilter[];
  readonly sort: CaseSort;
}

/**
 * The cases of one project on this device, with core's `CaseIndex` per entity list, kept current:
 * `update` takes the device's records as `listDeviceRecords` reads them and puts into the index
 * only the records that changed (a new object) and removes those that are gone (evicted when they
 * left the user's scope, wiped, discarded). Lives in memory while the device is unlocked; the
 * records themselves stay sealed in the store.
 */
export class DeviceCaseload {
  private readonly schemas = new Map<string, CaseListSchema>();
  private readonly indexes = new Map<string, CaseIndex>();
  private readonly rows = new Map<string, CaseRow>();
  private records = new Map<string, DeviceRecord>();
  /** Every row in each order asked for so far; dropped when a case changes. */
  private readonly orders = new Map<CaseSort, readonly CaseRow[]>();
  private readonly today: CalendarDate;

  constructor(
    private readonly forms: readonly FormWords[],
    readonly todayText: string,
  ) {
    const today = parseDate(todayText);
    if (today === null) throw new RangeError(`"${todayText}" is not a date`);
    this.today = today;
  }

  /** The records as last given to `update`, by id: pass back to `listDeviceRecords` as `previous`. */
  get known(): ReadonlyMap<string, DeviceRecord> {
    return this.records;
  }

  get size(): number {
    return this.rows.size;
  }

  all(): IterableIterator<CaseRow> {
    return this.rows.values();
  }

  schemaOf(list: string): CaseListSchema {
    let schema = this.schemas.get(list);
    if (schema === undefined) {
      schema = caseListSchema(this.forms, list);
      this.schemas.set(list, schema);
    }
    return schema;
  }

  /** A choice's label (an area, a risk level) from whichever of the project's lists names it. */
  choiceText(property: string, value: string, language: string): string | undefined {
    for (const schema of this.schemas.values()) {
      const label = choiceLabel(schema, property, value, language);
      if (label !== undefined) return label;
    }
    return undefined;
  }

  /** The property that holds each case's risk level, in any list. */
  get riskProperty(): string | null {
    for (const schema of this.schemas.values()) if (schema.roles.risk !== null) return schema.roles.risk;
    return null;
  }

  /** Brings the index and the rows to `records`; returns how many cases changed. */
  update(records: readonly DeviceRecord[]): number {
    const next = new Map<string, DeviceRecord>();
    const changed: DeviceRecord[] = [];
    for (const record of records) {
      next.set(record.id, record);
      if (this.records.get(record.id) !== record) changed.push(record);
    }
    let count = changed.length;
    for (const [id, record] of this.records) {
      if (next.has(id)) continue;
      this.indexes.get(record.list)?.remove(id);
      this.rows.delete(id);
      count += 1;
    }
    const byList = new Map<string, DeviceRecord[]>();
    for (const record of changed) {
      const old = this.records.get(record.id);
      if (old !== undefined && old.list !== record.list) this.indexes.get(old.list)?.remove(record.id);
      const same = byList.get(record.list);
      if (same === undefined) byList.set(record.list, [record]);
      else same.push(record);
      this.rows.set(record.id, caseRow(record, this.schemaOf(record.list), this.today));
    }
    for (const [list, items] of byList) {
      const searchable = items.map((record) => ({
        id: record.id,
        label: this.rows.get(record.id)?.label ?? '',
        properties: stringProperties(record.properties),
      }));
      const index = this.indexOf(list);
      // A first load (or a big sync page) sorts once; a few edits go in place.
      if (items.length > 64) index.putAll(searchable);
      else for (const item of searchable) index.put(item);
    }
    this.records = next;
    if (count > 0) this.orders.clear();
    return count;
  }

  view(request: CaseViewRequest, foldersOf: (id: string) => readonly string[] = () => []): CaseView {
    const filtered = (rows: Iterable<CaseRow>): CaseRow[] => {
      const out: CaseRow[] = [];
      for (const row of rows) if (request.filters.every((f) => matchesFilter(row, f, foldersOf))) out.push(row);
      return out;
    };
    if (request.query.trim() === '') {
      // The whole caseload in order once; a filter keeps that order, so no sort per tap.
      return { rows: filtered(this.ordered(request.sort)), highlights: new Map(), invalid: null };
    }
    const found: Array<{ row: CaseRow; score: number }> = [];
    const highlights = new Map<string, readonly Highlight[]>();
    let invalid: string | null = null;
    let readable = false;
    let hasWords = false;
    for (const [list, index] of this.indexes) {
      let hits;
      try {
        const schema = this.schemaOf(list);
        const query = withChoiceValues(parseQuery(request.query, schema.search.selectFields), schema);
        hasWords ||= query.text !== '';
        hits = index.search(query, { today: this.todayText });
      } catch (error) {
        if (!(error instanceof QueryError)) throw error;
        invalid ??= error.term;
        continue;
      }
      readable = true;
      for (const hit of hits) {
        const row = this.rows.get(hit.id);
        if (row === undefined) continue;
        found.push({ row, score: hit.score });
        if (hit.highlights.length > 0) highlights.set(hit.id, hit.highlights);
      }
    }
    const kept = new Set(filtered(found.map((f) => f.row)));
    const rows = hasWords
      ? // Best match first when names were typed: the search's own ranking (stable across lists).
        found
          .filter((f) => kept.has(f.row))
          .sort((a, b) => b.score - a.score || (a.row.sortKey < b.row.sortKey ? -1 : 1))
          .map((f) => f.row)
      : kept.size > 4096
        ? this.ordered(request.sort).filter((row) => kept.has(row))
        : sortCases([...kept], request.sort);
    return { rows, highlights, invalid: readable ? null : invalid };
  }

  /** Every row in `sort` order, sorted once until a case changes. */
  private ordered(sort: CaseSort): readonly CaseRow[] {
    let order = this.orders.get(sort);
    if (order === undefined) {
      order = sortCases([...this.rows.values()], sort);
      this.orders.set(sort, order);
    }
    return order;
  }

  private indexOf(list: string): CaseIndex {
    let index = this.indexes.get(list);
    if (index === undefined) {
      const schema = this.schemaOf(list);
      index = new CaseIndex(schema.search, schema.areas);
      this.indexes.set(list, index);
    }
    return index;
  }
}

/**
 * Select filters as the worker types them: a choice's value (`heating_winter`), the start of it
 * (`heating`) or of its label in any language (`халаалт`), folded like names. Unknown words stay as
 * typed, so they match nothing rather than everything.
 */
function withChoiceValues(query: CaseQuery, schema: CaseListSchema): CaseQuery {
  if (query.selects.length === 0) return query;
  return {
    ...query,
    selects: query.selects.map((filter) => {
      const choices = schema.choices.get(filter.field);
      if (choices === undefined) return filter;
      const resolve = (typed: string): string[] => {
        if (choices.has(typed)) return [typed];
        const key = matchKey(typed);
        if (key === '') return [typed];
        const found = [...choices]
          .filter(([value, labels]) => [value, ...Object.values(labels)].some((t) => matchKey(t).startsWith(key)))
          .map(([value]) => value);
        return found.length === 0 ? [typed] : found;
      };
      if (filter.mode === 'any') return { ...filter, values: [...new Set(filter.values.flatMap(resolve))] };
      // "All of": each typed word must name one choice; a word naming several stays as typed.
      return {
        ...filter,
        values: filter.values.map((typed) => (resolve(typed).length === 1 ? (resolve(typed)[0] ?? typed) : typed)),
      };
    }),
  };
}

/** The properties search reads: text as stored, numbers and booleans as text, the rest left out. */
function stringProperties(properties: Readonly<Record<string, unknown>>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(properties)) {
    if (typeof value === 'string') out[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') out[name] = String(value);
    else if (value === null) out[name] = null;
  }
  return out;
}

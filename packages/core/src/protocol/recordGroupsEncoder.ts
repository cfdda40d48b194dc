import type { PropertyValue, PulledRecord, RecordProperties } from './PulledRecord.js';
import type { PropertyColumn, RecordGroup } from './RecordGroup.js';
import { dateRange, timestampRange } from './RecordGroup.js';

/**
 * Builds the record groups of one pull page, a record at a time, so the server can stop before
 * the page outgrows the device's byte budget. `cost` never under-estimates: the groups' JSON is
 * at most the sum of the costs of the records added, in UTF-8 bytes (each column takes a form no
 * larger than its dictionary form, which the cost assumes).
 */
export interface RecordGroupsEncoder {
  /**
   * Upper bound of the bytes of JSON (UTF-8) `add(record)` would add. `values` is
   * `propertyJsonOf(record[5])`, passed in when the caller has it already.
   */
  cost(record: PulledRecord, values?: PropertyJson): number;
  /** Adds a record; within one list and scope, records come in ascending seq (else it throws). */
  add(record: PulledRecord, values?: PropertyJson): void;
  /** Records added so far. */
  readonly count: number;
  groups(): RecordGroup[];
}

/**
 * A record's properties with each value's JSON and its UTF-8 bytes, in the record's order: what
 * the encoder reads of them. Worked out once per record (a server may keep it with a record it sends many times).
 */
export type PropertyJson = readonly (readonly [name: string, value: PropertyValue, json: string, bytes: number])[];

export function propertyJsonOf(properties: RecordProperties): PropertyJson {
  return Object.entries(properties).map(([name, value]) => {
    const json = JSON.stringify(value);
    return [name, value, json, utf8Bytes(json)];
  });
}

/** One property of a group as it fills: its values (and their JSON) and the rows that lack it. */
interface Column {
  readonly values: PropertyValue[];
  readonly json: string[];
  readonly missing: number[];
  /** The JSON of each distinct value seen so far and its code (what a dictionary holds). */
  readonly codes: Map<string, number>;
  /** The last row that had it. */
  lastRow: number;
}

interface Draft {
  readonly list: string;
  readonly scope: string;
  readonly ids: string[];
  readonly versions: number[];
  readonly seqs: number[];
  /** Per property, in the order first seen. */
  readonly columns: Map<string, Column>;
}

// Upper bounds in JSON characters of a column's keys and brackets, and of a group's.
const columnEnvelope = 80;
const groupEnvelope = 100;

export function createRecordGroupsEncoder(): RecordGroupsEncoder {
  const drafts = new Map<string, Draft>();
  let count = 0;
  const keyOf = (list: string, scope: string): string => `${list}\u0000${scope}`;

  function cost([id, list, scope, version, seq, properties]: PulledRecord, values?: PropertyJson): number {
    const draft = drafts.get(keyOf(list, scope));
    let bytes = jsonBytes(id) + 1 + digits(version) + 1;
    if (draft === undefined) bytes += groupEnvelope + jsonBytes(list) + jsonBytes(scope);
    const lastSeq = draft?.seqs[draft.seqs.length - 1] ?? 0;
    bytes += digits(seq - lastSeq) + 1;
    const rows = draft?.ids.length ?? 0;
    let present = 0;
    for (const [name, , json, jsonBytes] of values ?? propertyJsonOf(properties)) {
      const seen = draft?.columns.get(name)?.codes;
      if (seen === undefined) {
        // A new column, and every earlier record of the group listed as missing it.
        bytes += columnEnvelope + utf8Bytes(name) + indicesBytes(rows);
      } else present++;
      const code = seen?.get(json);
      bytes += code === undefined ? jsonBytes + 1 + digits(seen?.size ?? 0) + 1 : digits(code) + 1;
    }
    // Columns this record lacks list it as missing.
    bytes += ((draft?.columns.size ?? 0) - present) * (digits(rows) + 1);
    return bytes;
  }

  return {
    cost,
    add(record, values) {
      const [id, list, scope, version, seq, properties] = record;
      const key = keyOf(list, scope);
      let draft = drafts.get(key);
      if (draft === undefined) {
        draft = { list, scope, ids: [], versions: [], seqs: [], columns: new Map() };
        drafts.set(key, draft);
      }
      // The wire sends seq differences, which may not be negative: a group is in commit order.
      const lastSeq = draft.seqs[draft.seqs.length - 1] ?? 0;
      if (seq < lastSeq) throw new Error(`Records of a group must come in ascending seq (${seq} after ${lastSeq})`);
      const row = draft.ids.length;
      draft.ids.push(id);
      draft.versions.push(version);
      draft.seqs.push(seq);
      for (const [name, value, json] of values ?? propertyJsonOf(properties)) {
        let column = draft.columns.get(name);
        if (column === undefined) {
          column = { values: [], json: [], missing: indices(row), codes: new Map(), lastRow: row };
          draft.columns.set(name, column);
        }
        column.values.push(value);
        column.json.push(json);
        column.lastRow = row;
        if (!column.codes.has(json)) column.codes.set(json, column.codes.size);
      }
      for (const column of draft.columns.values()) if (column.lastRow !== row) column.missing.push(row);
      count++;
    },
    get count() {
      return count;
    },
    groups: () => [...drafts.values()].map(groupOf),
  };
}

/** The record groups of a whole page at once. */
export function encodeRecordGroups(records: readonly PulledRecord[]): RecordGroup[] {
  const encoder = createRecordGroupsEncoder();
  for (const record of records) encoder.add(record);
  return encoder.groups();
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Columns of one kind side by side (short codes, then numbers, then free text, each column's
// like values together), so gzip's adaptive codes fit a run of similar bytes; `sameAs` last, after
// the column it names.
const kindOrder = ['value', 'dictionary', 'datesFrom', 'timestampsFrom', 'values', 'sameAs'];
const kindOf = (column: PropertyColumn): number => kindOrder.findIndex((key) => Object.hasOwn(column, key));

function groupOf(draft: Draft): RecordGroup {
  const first = draft.versions[0];
  let previous = 0;
  const seqs = draft.seqs.map((seq) => {
    const delta = seq - previous;
    previous = seq;
    return delta;
  });
  const written: { name: string; missing: readonly number[]; json: readonly string[] }[] = [];
  const columns: [string, PropertyColumn][] = [];
  for (const [name, { values, json, missing }] of draft.columns) {
    const twin = written.find((other) => sameList(other.missing, missing) && sameList(other.json, json));
    columns.push([name, twin === undefined ? columnOf(values, json, missing) : { sameAs: twin.name }]);
    written.push({ name, missing, json });
  }
  // A stable sort: within a kind, properties keep the order they were first seen in.
  const properties = Object.fromEntries(columns.sort(([, a], [, b]) => kindOf(a) - kindOf(b)));
  return {
    list: draft.list,
    scope: draft.scope,
    ids: draft.ids.every((id) => uuid.test(id)) ? draft.ids.map(uuidToBase64).join('') : draft.ids,
    versions: first !== undefined && draft.versions.every((v) => v === first) ? first : draft.versions,
    seqs,
    properties,
  };
}

function columnOf(
  values: readonly PropertyValue[],
  json: readonly string[],
  missing: readonly number[],
): PropertyColumn {
  const withMissing = <C extends object>(column: C): C & { missing?: number[] } =>
    missing.length === 0 ? column : { ...column, missing: [...missing] };
  const first = values[0];
  if (first !== undefined && json.every((j) => j === json[0])) return withMissing({ value: first });

  const codes = new Map<string, number>();
  const dictionary: PropertyValue[] = [];
  const coded = json.map((j, index) => {
    let code = codes.get(j);
    if (code === undefined) {
      code = dictionary.length;
      codes.set(j, code);
      dictionary.push(values[index] ?? null);
    }
    return code;
  });
  const dictionaryBytes = listBytes(dictionary.map((v) => JSON.stringify(v))) + listBytes(coded.map(String));

  // Instants and dates as numbers: fewer characters, and digits gzip codes well.
  const instants = numbersOf(values, instantOf);
  if (instants !== null) {
    const from = Math.min(...instants);
    const offsets = instants.map((ms) => ms - from);
    if (listBytes(offsets.map(String)) <= dictionaryBytes) return withMissing({ timestampsFrom: from, offsets });
  }
  const dates = numbersOf(values, dayOf);
  if (dates !== null) {
    const from = Math.min(...dates);
    const offsets = dates.map((day) => day - from);
    if (listBytes(offsets.map(String)) <= dictionaryBytes) return withMissing({ datesFrom: from, offsets });
  }
  if (listBytes(json) <= dictionaryBytes) return withMissing({ values: [...values] });
  return withMissing({ dictionary, codes: coded });
}

const base64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The 16 bytes of a lower-case UUID in base64url without padding: 22 characters. */
function uuidToBase64(id: string): string {
  const hex = id.replaceAll('-', '');
  let out = '';
  // Three hex digits are twelve bits: two base64 digits.
  for (let at = 0; at < 30; at += 3) {
    const bits = Number.parseInt(hex.slice(at, at + 3), 16);
    out += (base64[bits >> 6] ?? '') + (base64[bits & 63] ?? '');
  }
  const last = Number.parseInt(hex.slice(30), 16);
  return out + (base64[last >> 2] ?? '') + (base64[(last & 3) << 4] ?? '');
}

function numbersOf(values: readonly PropertyValue[], parse: (value: PropertyValue) => number | null): number[] | null {
  const out: number[] = [];
  for (const value of values) {
    const n = parse(value);
    if (n === null) return null;
    out.push(n);
  }
  return out.length === 0 ? null : out;
}

const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const dayMs = 86_400_000;

/** Milliseconds since 1970 of an instant written exactly as `Date#toISOString` writes it; else null. */
export function instantOf(value: PropertyValue): number | null {
  if (typeof value !== 'string' || !isoInstant.test(value)) return null;
  const ms = Date.parse(value);
  if (!Number.isSafeInteger(ms) || ms < timestampRange.min || ms > timestampRange.max) return null;
  return new Date(ms).toISOString() === value ? ms : null;
}

/** Days since 1970 of a calendar date `YYYY-MM-DD` that exists; else null. */
export function dayOf(value: PropertyValue): number | null {
  if (typeof value !== 'string' || !isoDate.test(value)) return null;
  const ms = Date.parse(`${value}T00:00:00.000Z`);
  if (!Number.isSafeInteger(ms) || ms % dayMs !== 0) return null;
  const day = ms / dayMs;
  if (day < dateRange.min || day > dateRange.max) return null;
  return new Date(ms).toISOString().slice(0, 10) === value ? day : null;
}

function listBytes(items: readonly string[]): number {
  return items.reduce((sum, item) => sum + utf8Bytes(item) + 1, 0);
}

function jsonBytes(value: string): number {
  return utf8Bytes(JSON.stringify(value));
}

/** Bytes of a string in UTF-8, as the page's budget counts them. */
function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let at = 0; at < text.length; at++) {
    const unit = text.charCodeAt(at);
    // A surrogate is half of a 4-byte character.
    bytes += unit < 0x80 ? 1 : unit < 0x800 ? 2 : unit >= 0xd800 && unit <= 0xdfff ? 2 : 3;
  }
  return bytes;
}

function sameList(a: readonly (string | number)[], b: readonly (string | number)[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

/** 0 … n - 1. */
function indices(n: number): number[] {
  return Array.from({ length: n }, (_, index) => index);
}

function digits(n: number): number {
  return String(n).length;
}

/** JSON characters of the indices 0 … n - 1, each with a comma. */
function indicesBytes(n: number): number {
  let bytes = 0;
  for (let low = 0, width = 1; low < n; low = 10 ** width, width++) {
    bytes += (Math.min(n, 10 ** width) - low) * (width + 1);
  }
  return bytes;
}

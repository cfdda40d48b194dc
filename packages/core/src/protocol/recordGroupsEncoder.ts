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
 * A record's properties with each value's JSON and its UTF-8 bytes, and the value as an instant
 * (`instantOf`) and as a date (`dayOf`), in the record's order: what the encoder reads of them.
 * Worked out once per record (a server may keep it with a record it sends many times).
 */
export type PropertyJson = readonly (readonly [
  name: string,
  value: PropertyValue,
  json: string,
  bytes: number,
  instant: number | null,
  day: number | null,
])[];

export function propertyJsonOf(properties: RecordProperties): PropertyJson {
  return Object.entries(properties).map(([name, value]) => {
    const json = JSON.stringify(value);
    return [name, value, json, utf8Bytes(json), instantOf(value), dayOf(value)];
  });
}

/**
 * One property of a group as it fills: its values (as a dictionary and codes) and the rows that
 * lack it, and what each form of the column would take, tallied as values come.
 */
interface Column {
  readonly name: string;
  readonly missing: number[];
  /** The JSON of each distinct value seen so far and its code (what a dictionary holds). */
  readonly codes: Map<string, number>;
  /** The distinct values in the order first seen, and each row's code (values with equal JSON are one). */
  readonly dictionary: PropertyValue[];
  readonly coded: number[];
  /** JSON bytes (each with a comma) of the dictionary with its codes, and of the plain values. */
  dictionaryBytes: number;
  valuesBytes: number;
  /** Every value as an instant or a date; null once one is not. */
  instants: number[] | null;
  days: number[] | null;
  /** The last row that had it, and its value's JSON and code (the next row's value is often the same). */
  lastRow: number;
  lastJson: string;
  lastCode: number;
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
    const measured = values ?? propertyJsonOf(properties);
    for (let at = 0; at < measured.length; at++) {
      const entry = measured[at];
      if (entry === undefined) continue;
      const name = entry[0];
      const json = entry[2];
      const column = draft?.columns.get(name);
      const seen = column?.codes;
      if (seen === undefined) {
        // A new column, and every earlier record of the group listed as missing it.
        bytes += columnEnvelope + utf8Bytes(name) + indicesBytes(rows);
      } else present++;
      const code = column !== undefined && column.lastJson === json ? column.lastCode : seen?.get(json);
      bytes += code === undefined ? entry[3] + 1 + digits(seen?.size ?? 0) + 1 : digits(code) + 1;
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
      const measured = values ?? propertyJsonOf(properties);
      for (let at = 0; at < measured.length; at++) {
        const entry = measured[at];
        if (entry === undefined) continue;
        const name = entry[0];
        const json = entry[2];
        let column = draft.columns.get(name);
        if (column === undefined) {
          column = {
            name,
            missing: indices(row),
            codes: new Map(),
            dictionary: [],
            coded: [],
            dictionaryBytes: 0,
            valuesBytes: 0,
            instants: [],
            days: [],
            lastRow: row,
            lastJson: '',
            lastCode: -1,
          };
          draft.columns.set(name, column);
        }
        column.lastRow = row;
        let code = column.lastCode >= 0 && column.lastJson === json ? column.lastCode : column.codes.get(json);
        const bytes = entry[3];
        if (code === undefined) {
          code = column.codes.size;
          column.codes.set(json, code);
          column.dictionary.push(entry[1]);
          column.dictionaryBytes += bytes + 1;
        }
        column.lastJson = json;
        column.lastCode = code;
        column.coded.push(code);
        column.dictionaryBytes += digits(code) + 1;
        column.valuesBytes += bytes + 1;
        if (column.instants !== null) {
          const instant = entry[4];
          if (instant === null) column.instants = null;
          else column.instants.push(instant);
        }
        if (column.days !== null) {
          const day = entry[5];
          if (day === null) column.days = null;
          else column.days.push(day);
        }
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
  // Two columns are alike when the same rows lack them and their dictionaries (JSON, in the order
  // first seen) and codes are the same: then their values are.
  const written: { column: Column; json: readonly string[] }[] = [];
  const columns: [string, PropertyColumn][] = [];
  for (const column of draft.columns.values()) {
    const { name, missing, coded } = column;
    const json = [...column.codes.keys()];
    const twin = written.find(
      (other) =>
        sameList(other.json, json) && sameList(other.column.missing, missing) && sameList(other.column.coded, coded),
    );
    columns.push([name, twin === undefined ? columnOf(column) : { sameAs: twin.column.name }]);
    written.push({ column, json });
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

function columnOf(column: Column): PropertyColumn {
  const { missing, dictionary, coded, dictionaryBytes } = column;
  const withMissing = <C extends object>(form: C): C & { missing?: number[] } =>
    missing.length === 0 ? form : { ...form, missing: [...missing] };
  const first = dictionary[0];
  if (first !== undefined && dictionary.length === 1) return withMissing({ value: first });

  // Instants and dates as numbers: fewer characters, and digits gzip codes well.
  const instants = offsetsOf(column.instants);
  if (instants !== null && instants.bytes <= dictionaryBytes) {
    return withMissing({ timestampsFrom: instants.from, offsets: instants.offsets });
  }
  const dates = offsetsOf(column.days);
  if (dates !== null && dates.bytes <= dictionaryBytes) {
    return withMissing({ datesFrom: dates.from, offsets: dates.offsets });
  }
  if (column.valuesBytes <= dictionaryBytes)
    return withMissing({ values: coded.map((code) => dictionary[code] ?? null) });
  return withMissing({ dictionary: [...dictionary], codes: [...coded] });
}

/** Numbers as offsets from the least, with the JSON bytes of the offsets (each with a comma). */
function offsetsOf(numbers: readonly number[] | null): { from: number; offsets: number[]; bytes: number } | null {
  if (numbers === null || numbers.length === 0) return null;
  const from = Math.min(...numbers);
  let bytes = 0;
  const offsets = numbers.map((n) => {
    const offset = n - from;
    bytes += digits(offset) + 1;
    return offset;
  });
  return { from, offsets, bytes };
}

const base64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The 16 bytes of a lower-case UUID in base64url without padding: 22 characters. */
function uuidToBase64(id: string): string {
  let out = '';
  // Three hex digits are twelve bits: two base64 digits.
  let bits = 0;
  let held = 0;
  for (let at = 0; at < id.length; at++) {
    const unit = id.charCodeAt(at);
    if (unit === 0x2d) continue;
    bits = (bits << 4) | (unit <= 0x39 ? unit - 0x30 : unit - 0x57);
    if (++held === 3) {
      out += base64.charAt(bits >> 6) + base64.charAt(bits & 63);
      bits = 0;
      held = 0;
    }
  }
  // The last two hex digits: eight bits, padded to twelve.
  return out + base64.charAt(bits >> 2) + base64.charAt((bits & 3) << 4);
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

/** UTF-8 bytes of a string's JSON: its length and the quotes, unless a character needs more. */
function jsonBytes(value: string): number {
  for (let at = 0; at < value.length; at++) {
    const unit = value.charCodeAt(at);
    if (unit < 0x20 || unit > 0x7e || unit === 0x22 || unit === 0x5c) return utf8Bytes(JSON.stringify(value));
  }
  return value.length + 2;
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
  if (a.length !== b.length) return false;
  for (let at = 0; at < a.length; at++) if (a[at] !== b[at]) return false;
  return true;
}

/** 0 … n - 1. */
function indices(n: number): number[] {
  return Array.from({ length: n }, (_, index) => index);
}

/** Characters of a number as JSON writes it. */
function digits(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) return String(n).length;
  let count = 1;
  for (let limit = 10; n >= limit && count < 16; limit *= 10) count++;
  return count;
}

/** JSON characters of the indices 0 … n - 1, each with a comma. */
function indicesBytes(n: number): number {
  let bytes = 0;
  for (let low = 0, width = 1; low < n; low = 10 ** width, width++) {
    bytes += (Math.min(n, 10 ** width) - low) * (width + 1);
  }
  return bytes;
}

import type { DecodeResult } from './decodeMessage.js';
import type { PullPage } from './PullPage.js';
import type { PropertyValue, PulledRecord, RecordProperties } from './PulledRecord.js';
import type { PropertyColumn, RecordGroup } from './RecordGroup.js';
import { timestampRange } from './RecordGroup.js';
import { protocolLimits } from './protocolLimits.js';

const dayMs = 86_400_000;

/**
 * The records of a pull page (already checked against the PullPage schema), group by group, as
 * `[id, list, scope, version, seq, properties]`. Checks what the schema cannot: that every
 * column has one value per record that has the property, codes point into their dictionary,
 * `sameAs` names an earlier column, and sums stay in range. A page that fails is refused whole.
 */
export function decodePulledRecords(page: Pick<PullPage, 'groups'>): DecodeResult<PulledRecord[]> {
  const records: PulledRecord[] = [];
  for (const [g, group] of page.groups.entries()) {
    const decoded = decodeGroup(group, `/groups/${g}`);
    if (!decoded.ok) return decoded;
    records.push(...decoded.value);
    if (records.length > protocolLimits.maxPageRecords) {
      return { ok: false, path: `/groups/${g}`, message: `More than ${protocolLimits.maxPageRecords} records` };
    }
  }
  return { ok: true, value: records };
}

/** `decodePulledRecords` for callers that treat a malformed page as a fault. */
export function pulledRecords(page: Pick<PullPage, 'groups'>): PulledRecord[] {
  const decoded = decodePulledRecords(page);
  if (!decoded.ok) throw new Error(`Malformed pull page at ${decoded.path}: ${decoded.message}`);
  return decoded.value;
}

/** How many records a page holds, without decoding them. */
export function pulledRecordCount(page: Pick<PullPage, 'groups'>): number {
  return page.groups.reduce((sum, group) => sum + idsOf(group).length, 0);
}

function idsOf(group: RecordGroup): string[] {
  if (typeof group.ids !== 'string') return group.ids;
  const ids: string[] = [];
  for (let at = 0; at < group.ids.length; at += 22) ids.push(uuidOf(group.ids.slice(at, at + 22)));
  return ids;
}

const base64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A UUID from its 16 bytes in base64url (22 characters; the schema checked the alphabet). */
function uuidOf(packed: string): string {
  const digit = (at: number): number => base64.indexOf(packed[at] ?? 'A');
  let hex = '';
  for (let at = 0; at < 20; at += 2) hex += ((digit(at) << 6) | digit(at + 1)).toString(16).padStart(3, '0');
  hex += ((digit(20) << 2) | (digit(21) >> 4)).toString(16).padStart(2, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function fail(path: string, message: string): { ok: false; path: string; message: string } {
  return { ok: false, path, message };
}

function decodeGroup(group: RecordGroup, path: string): DecodeResult<PulledRecord[]> {
  const ids = idsOf(group);
  const n = ids.length;
  if (Array.isArray(group.versions) && group.versions.length !== n) {
    return fail(`${path}/versions`, `Expected ${n} versions`);
  }
  if (group.seqs.length !== n) return fail(`${path}/seqs`, `Expected ${n} seqs`);
  const seqs: number[] = [];
  let seq = 0;
  for (const delta of group.seqs) {
    seq += delta;
    if (seq > Number.MAX_SAFE_INTEGER) return fail(`${path}/seqs`, 'Sequence out of range');
    seqs.push(seq);
  }
  const rows: RecordProperties[] = ids.map(() => ({}));
  const columns = new Map<string, (PropertyValue | undefined)[]>();
  for (const [name, column] of Object.entries(group.properties)) {
    const at = `${path}/properties/${name}`;
    const cells = cellsOf(column, n, columns);
    if (typeof cells === 'string') return fail(at, cells);
    columns.set(name, cells);
    cells.forEach((value, index) => {
      const row = rows[index];
      // Arrays are copied so that no two records share one.
      if (row !== undefined && value !== undefined) row[name] = Array.isArray(value) ? [...value] : value;
    });
  }
  const versions = group.versions;
  return {
    ok: true,
    value: ids.map((id, index): PulledRecord => [
      id,
      group.list,
      group.scope,
      typeof versions === 'number' ? versions : (versions[index] ?? 1),
      seqs[index] ?? 0,
      rows[index] ?? {},
    ]),
  };
}

/** The value of each record (undefined where it lacks the property), or what is wrong. */
function cellsOf(
  column: PropertyColumn,
  n: number,
  earlier: ReadonlyMap<string, readonly (PropertyValue | undefined)[]>,
): (PropertyValue | undefined)[] | string {
  if ('sameAs' in column) {
    const twin = earlier.get(column.sameAs);
    return twin === undefined ? `sameAs names no earlier property: ${column.sameAs}` : [...twin];
  }
  const missing = column.missing ?? [];
  for (const [i, index] of missing.entries()) {
    if (index >= n || (i > 0 && index <= (missing[i - 1] ?? -1))) return 'missing must list ascending record indices';
  }
  const present = n - missing.length;
  let values: PropertyValue[];
  if ('value' in column) {
    values = Array.from({ length: present }, () => column.value);
  } else if ('values' in column) {
    values = column.values;
  } else if ('dictionary' in column) {
    const { dictionary } = column;
    const out: PropertyValue[] = [];
    for (const code of column.codes) {
      const value = dictionary[code];
      if (value === undefined) return `code ${code} is not in the dictionary`;
      out.push(value);
    }
    values = out;
  } else if ('timestampsFrom' in column) {
    const out: string[] = [];
    for (const offset of column.offsets) {
      const ms = column.timestampsFrom + offset;
      if (ms > timestampRange.max) return 'timestamp out of range';
      out.push(new Date(ms).toISOString());
    }
    values = out;
  } else {
    const out: string[] = [];
    for (const offset of column.offsets) {
      const ms = (column.datesFrom + offset) * dayMs;
      if (ms > timestampRange.max) return 'date out of range';
      out.push(new Date(ms).toISOString().slice(0, 10));
    }
    values = out;
  }
  if (values.length !== present) return `Expected ${present} values`;
  const cells: (PropertyValue | undefined)[] = [];
  let next = 0;
  let skip = 0;
  for (let index = 0; index < n; index++) {
    if (missing[skip] === index) {
      skip++;
      cells.push(undefined);
    } else cells.push(values[next++]);
  }
  return cells;
}

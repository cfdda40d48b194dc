import { ageOn, parseDate, sortKey, type CalendarDate } from '@outpost/core';
import type { DeviceRecord, RecordSyncState } from '../../sync/listDeviceRecords.js';
import type { CaseListSchema } from './caseSchema.js';

/** One case as the overview and the list show it, read from the device's record. */
export interface CaseRow {
  readonly id: string;
  readonly list: string;
  /** Null when the role may not see the name. */
  readonly label: string | null;
  /** Core's folded sort key of the label (the same order for Cyrillic and Latin spellings). */
  readonly sortKey: string;
  readonly status: string | null;
  readonly risk: string | null;
  /** The lowest area unit the case names (bag, khoroo, ward) and its property. */
  readonly area: { readonly field: string; readonly code: string } | null;
  /**
   * Who the case is assigned to: the `assignee` (or `…_assignee`) property, a member's username
   * (docs/entities.md); null when unassigned or when the role may not see the name.
   */
  readonly assignee: { readonly field: string; readonly username: string } | null;
  /** The project's category codes the case is tagged with (`__categories`, synced from the server). */
  readonly categories: readonly string[];
  readonly age: number | null;
  readonly lastVisit: string | null;
  readonly nextVisit: string | null;
  /** The earliest follow-up date (next visit, review due …), and whether it has passed. */
  readonly due: string | null;
  readonly overdue: boolean;
  readonly conflict: boolean;
  readonly state: RecordSyncState;
  /** Risk as a number (high 3, medium 2, low 1, none 0) for sorting by priority. */
  readonly priority: number;
  readonly record: DeviceRecord;
}

const RISK_RANK: Readonly<Record<string, number>> = { high: 3, medium: 2, moderate: 2, low: 1 };

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** A date property as `YYYY-MM-DD`, or null when it is empty or not a date. */
function dateOf(value: unknown): string | null {
  const raw = text(value)?.slice(0, 10) ?? null;
  return raw !== null && parseDate(raw) !== null ? raw : null;
}

export function caseRow(record: DeviceRecord, schema: CaseListSchema | undefined, today: CalendarDate): CaseRow {
  const props = record.properties;
  const hidden = '__label' in props && props['__label'] === null;
  const label = hidden ? null : record.label;
  const roles = schema?.roles;
  const areaField = [...(schema?.search.areaFields ?? [])].reverse().find((field) => text(props[field]) !== null);
  const dobText = schema?.search.dobField === undefined ? null : dateOf(props[schema.search.dobField]);
  const dob = dobText === null ? null : parseDate(dobText);
  const risk = roles?.risk ? text(props[roles.risk]) : null;
  const nextVisit = roles?.nextVisit ? dateOf(props[roles.nextVisit]) : null;
  const dueDates = [nextVisit, ...(roles?.dueDates ?? []).map((name) => dateOf(props[name]))].filter(
    (d): d is string => d !== null,
  );
  const due = dueDates.length === 0 ? null : dueDates.reduce((a, b) => (a < b ? a : b));
  const assigneeField = hidden
    ? undefined
    : Object.keys(props).find((key) => (key === 'assignee' || key.endsWith('_assignee')) && text(props[key]) !== null);
  const todayText = `${today.year}-${String(today.month).padStart(2, '0')}-${String(today.day).padStart(2, '0')}`;
  return {
    id: record.id,
    list: record.list,
    label,
    sortKey: label === null ? `~${record.id}` : sortKey(label),
    status: record.status,
    risk,
    area: areaField === undefined ? null : { field: areaField, code: String(props[areaField]) },
    assignee: assigneeField === undefined ? null : { field: assigneeField, username: String(props[assigneeField]) },
    categories: (text(props['__categories']) ?? '').split(' ').filter((code) => code !== ''),
    age: dob === null ? null : ageOn(dob, today),
    lastVisit: roles?.lastVisit ? dateOf(props[roles.lastVisit]) : null,
    nextVisit,
    due,
    overdue: due !== null && due < todayText && record.status !== 'closed',
    conflict: text(props['__conflict']) !== null,
    state: record.state,
    priority: risk === null ? 0 : (RISK_RANK[risk] ?? 0),
    record,
  };
}

export type CaseSort = 'name' | 'age' | 'lastVisit' | 'nextVisit' | 'priority';
export const caseSorts: readonly CaseSort[] = ['name', 'priority', 'nextVisit', 'lastVisit', 'age'];

function byName(a: CaseRow, b: CaseRow): number {
  return a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : a.id < b.id ? -1 : 1;
}

/** Empty values last, whichever way the rest goes. */
function nullsLast<T>(a: T | null, b: T | null, compare: (x: T, y: T) => number): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return compare(a, b);
}

const ascending = <T extends string | number>(x: T, y: T): number => (x < y ? -1 : x > y ? 1 : 0);

const comparators: Readonly<Record<CaseSort, (a: CaseRow, b: CaseRow) => number>> = {
  name: byName,
  age: (a, b) => nullsLast(a.age, b.age, (x, y) => y - x) || byName(a, b),
  // The longest without a visit first: they are the ones to go and see.
  lastVisit: (a, b) => nullsLast(a.lastVisit, b.lastVisit, ascending) || byName(a, b),
  nextVisit: (a, b) => nullsLast(a.due, b.due, ascending) || byName(a, b),
  priority: (a, b) =>
    b.priority - a.priority ||
    Number(b.overdue) - Number(a.overdue) ||
    nullsLast(a.due, b.due, ascending) ||
    byName(a, b),
};

export function sortCases(rows: readonly CaseRow[], sort: CaseSort): CaseRow[] {
  return [...rows].sort(comparators[sort]);
}

/** A quick filter: one tap on the overview or the filter bar. */
export type QuickFilter =
  | { readonly kind: 'attention' }
  | { readonly kind: 'overdue' }
  | { readonly kind: 'unsent' }
  | { readonly kind: 'conflict' }
  | { readonly kind: 'status'; readonly value: string }
  | { readonly kind: 'risk'; readonly value: string }
  | { readonly kind: 'area'; readonly value: string }
  | { readonly kind: 'folder'; readonly value: string }
  | { readonly kind: 'category'; readonly value: string };

/** Waiting to be sent or refused by the server: work the device still holds. */
export function unsent(row: CaseRow): boolean {
  return row.state === 'pending' || row.state === 'rejected';
}

export function needsAttention(row: CaseRow): boolean {
  return row.overdue || row.conflict || unsent(row);
}

export function matchesFilter(
  row: CaseRow,
  filter: QuickFilter,
  foldersOf: (id: string) => readonly string[],
): boolean {
  switch (filter.kind) {
    case 'attention':
      return needsAttention(row);
    case 'overdue':
      return row.overdue;
    case 'unsent':
      return unsent(row);
    case 'conflict':
      return row.conflict;
    case 'status':
      return row.status === filter.value;
    case 'risk':
      return row.risk === filter.value;
    case 'area':
      return row.area?.code === filter.value;
    case 'folder':
      return foldersOf(row.id).includes(filter.value);
    case 'category':
      return row.categories.includes(filter.value);
  }
}

/** The overview's figures: how many cases per status, risk, area, folder and category, and what needs attention. */
export interface CaseCounts {
  readonly total: number;
  readonly byStatus: ReadonlyMap<string, number>;
  readonly byRisk: ReadonlyMap<string, number>;
  /** By the lowest area unit, keyed `field:code` so the label can be found. */
  readonly byArea: ReadonlyMap<string, { readonly field: string; readonly code: string; readonly count: number }>;
  readonly byFolder: ReadonlyMap<string, number>;
  readonly byCategory: ReadonlyMap<string, number>;
  readonly overdue: number;
  readonly conflicts: number;
  readonly unsent: number;
  readonly attention: number;
}

function bump(map: Map<string, number>, key: string | null): void {
  if (key !== null) map.set(key, (map.get(key) ?? 0) + 1);
}

export function countCases(rows: Iterable<CaseRow>, foldersOf: (id: string) => readonly string[]): CaseCounts {
  const byStatus = new Map<string, number>();
  const byRisk = new Map<string, number>();
  const byArea = new Map<string, { field: string; code: string; count: number }>();
  const byFolder = new Map<string, number>();
  const byCategory = new Map<string, number>();
  let total = 0;
  let overdue = 0;
  let conflicts = 0;
  let waiting = 0;
  let attention = 0;
  for (const row of rows) {
    total += 1;
    bump(byStatus, row.status);
    bump(byRisk, row.risk);
    if (row.area !== null) {
      const key = `${row.area.field}:${row.area.code}`;
      const entry = byArea.get(key) ?? { ...row.area, count: 0 };
      entry.count += 1;
      byArea.set(key, entry);
    }
    for (const folder of foldersOf(row.id)) bump(byFolder, folder);
    for (const category of row.categories) bump(byCategory, category);
    if (row.overdue) overdue += 1;
    if (row.conflict) conflicts += 1;
    if (unsent(row)) waiting += 1;
    if (needsAttention(row)) attention += 1;
  }
  return { total, byStatus, byRisk, byArea, byFolder, byCategory, overdue, conflicts, unsent: waiting, attention };
}

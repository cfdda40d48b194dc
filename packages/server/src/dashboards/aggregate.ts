import { geoPositions, parseGeoValue } from '@outpost/core';
import type { Condition, Dimension, MapSpec, Measure, PanelSpec } from './dashboardSpecs.js';
import { MIN_CELL } from './dashboardSpecs.js';
import { hexCell } from './hexGrid.js';

/** A live entity as its reader may see it: what the dashboards group and count. */
export interface DashboardRecord {
  readonly list: string;
  /** Properties after the policy's redaction (hidden ones absent, locations coarsened). */
  readonly properties: Readonly<Record<string, unknown>>;
  /** The finest area the reader may see, or null. */
  readonly areaId: string | null;
  readonly assigneeId: string | null;
  readonly createdAt: string;
  /** Whether the reader sees this record's locations exactly (else small cells are suppressed). */
  readonly exactLocation: boolean;
  /** Properties the policy hid from the reader: they group as `HIDDEN`, not as blanks. */
  readonly hidden: ReadonlySet<string>;
}

/** The key of a value the reader's role may not see (a blank answer is ''). */
export const HIDDEN = '*';

/** A dimension as the web app labels it. */
export type DimensionInfo =
  | { readonly kind: 'choice'; readonly list: string; readonly property: string }
  | { readonly kind: 'month' | 'area' | 'worker' | 'list' | 'age' };

export interface PanelRow {
  /** One key per dimension; '' is "not answered" (or "not assigned"), `*` "not shown to your role". */
  readonly keys: readonly string[];
  /** One value per measure; null where a small cell was suppressed. */
  readonly values: ReadonlyArray<number | null>;
}

export interface PanelData {
  readonly id: string;
  readonly chart: PanelSpec['chart'];
  readonly dimensions: readonly DimensionInfo[];
  readonly measures: readonly string[];
  readonly rows: readonly PanelRow[];
  /** Cells left out or blanked because they count fewer than 5 records. */
  readonly suppressed: number;
}

export interface MapCell {
  readonly id: string;
  readonly lat: number;
  readonly lon: number;
  readonly polygon: ReadonlyArray<readonly [number, number]>;
  readonly count: number;
}

export interface MapData {
  readonly hexMetres: number;
  readonly cells: readonly MapCell[];
  readonly suppressed: number;
}

export interface AggregateContext {
  /** Today as `YYYY-MM-DD` (UTC): ages and overdue dates are counted from it. */
  readonly today: string;
}

const MONTH = /^(\d{4}-\d{2})-\d{2}/;
const DAY = 86_400_000;

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

function propertyOf(property: string | Readonly<Record<string, string>>, list: string): string | null {
  return typeof property === 'string' ? property : (property[list] ?? null);
}

function dateOf(record: DashboardRecord, property: string | null): string {
  if (property !== null && record.hidden.has(property)) return HIDDEN;
  return property === null ? record.createdAt : text(record.properties[property]);
}

const AGE_BANDS = ['0-7', '8-30', '31-90', '91+'];

function ageBucket(date: string, today: string): string {
  const day = MONTH.test(date) ? Date.parse(date.slice(0, 10)) : Number.NaN;
  if (Number.isNaN(day)) return '';
  const days = Math.floor((Date.parse(today) - day) / DAY);
  if (days <= 7) return '0-7';
  if (days <= 30) return '8-30';
  if (days <= 90) return '31-90';
  return '91+';
}

/** The keys a record gives one dimension: none when it does not apply, several for a multi-select. */
function keysOf(dimension: Dimension, record: DashboardRecord, context: AggregateContext): string[] {
  switch (dimension.kind) {
    case 'choice': {
      const property = propertyOf(dimension.property, record.list);
      if (property === null) return [];
      if (record.hidden.has(property)) return [HIDDEN];
      const value = text(record.properties[property]);
      if (!dimension.multi) return [value];
      const values = value.split(/\s+/).filter((v) => v !== '');
      return values.length === 0 ? [''] : [...new Set(values)];
    }
    case 'month': {
      const date = dateOf(record, dimension.property);
      return [date === HIDDEN ? HIDDEN : (MONTH.exec(date)?.[1] ?? '')];
    }
    case 'area':
      return [record.areaId ?? ''];
    case 'worker':
      return [record.assigneeId ?? ''];
    case 'list':
      return [record.list];
    case 'age': {
      const date = dateOf(record, dimension.property);
      return [date === HIDDEN ? HIDDEN : ageBucket(date, context.today)];
    }
  }
}

function meets(condition: Condition | undefined, record: DashboardRecord, context: AggregateContext): boolean {
  if (condition === undefined) return true;
  if (condition.kind === 'not') return !condition.values.includes(text(record.properties[condition.property]));
  if (condition.done.includes(text(record.properties[condition.status]))) return false;
  return condition.dates.some((d) => {
    const date = text(record.properties[d]).slice(0, 10);
    return MONTH.test(date) && date < context.today;
  });
}

function numberOf(value: unknown): number | null {
  const t = text(value);
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

function combinations(lists: string[][]): string[][] {
  return lists.reduce<string[][]>((acc, keys) => acc.flatMap((prefix) => keys.map((k) => [...prefix, k])), [[]]);
}

interface Cell {
  keys: string[];
  /** Per measure: records counted, and the sum of their values. */
  counts: number[];
  sums: number[];
  seen: number[];
}

function reads(list: string | undefined, panelLists: PanelSpec['lists'], record: DashboardRecord): boolean {
  if (list !== undefined) return record.list === list;
  return panelLists === 'all' || panelLists.includes(record.list);
}

function isSpatial(panel: PanelSpec): boolean {
  return panel.dimensions.some((d) => d.kind === 'area' || (d.kind === 'choice' && d.spatial === true));
}

function valueOf(measure: Measure, cell: Cell, index: number, suppress: boolean): number | null {
  const counted = cell.counts[index] ?? 0;
  const small = suppress && counted > 0 && counted < MIN_CELL && !(measure.kind !== 'count' && measure.ofPlace);
  if (small) return null;
  if (measure.kind === 'count') return counted;
  const seen = cell.seen[index] ?? 0;
  if (seen === 0) return null;
  const sum = cell.sums[index] ?? 0;
  return measure.kind === 'sum' ? sum : Math.round((sum / seen) * 10) / 10;
}

/**
 * One panel over the records its reader may see. In a panel grouped by place, a cell counting
 * fewer than 5 records is blanked (and a row left with nothing dropped) when any record was read
 * without exact locations: a reader who may not see where a household lives cannot find it by a
 * cell of one either.
 */
export function aggregatePanel(
  panel: PanelSpec,
  records: readonly DashboardRecord[],
  context: AggregateContext,
): PanelData {
  const cells = new Map<string, Cell>();
  let approximate = false;
  for (const record of records) {
    if (!reads(undefined, panel.lists, record) || !meets(panel.where, record, context)) continue;
    const perMeasure = panel.measures.map(
      (m) => reads(m.list, panel.lists, record) && (m.kind !== 'count' || meets(m.where, record, context)),
    );
    if (!perMeasure.some(Boolean)) continue;
    if (!record.exactLocation) approximate = true;
    for (const keys of combinations(panel.dimensions.map((d) => keysOf(d, record, context)))) {
      const id = JSON.stringify(keys);
      const zero = () => panel.measures.map(() => 0);
      const cell = cells.get(id) ?? { keys, counts: zero(), sums: zero(), seen: zero() };
      panel.measures.forEach((measure, i) => {
        if (!perMeasure[i]) return;
        cell.counts[i] = (cell.counts[i] ?? 0) + 1;
        if (measure.kind === 'count') return;
        const values = measure.properties.map((p) => numberOf(record.properties[p]));
        if (values.every((v) => v === null)) return;
        cell.sums[i] = (cell.sums[i] ?? 0) + values.reduce<number>((a, v) => a + (v ?? 0), 0);
        cell.seen[i] = (cell.seen[i] ?? 0) + 1;
      });
      cells.set(id, cell);
    }
  }
  const suppress = approximate && isSpatial(panel);
  let suppressed = 0;
  const rows: PanelRow[] = [];
  for (const cell of cells.values()) {
    const values = panel.measures.map((m, i) => valueOf(m, cell, i, suppress));
    const blanked = values.filter((v, i) => v === null && (cell.counts[i] ?? 0) > 0).length;
    suppressed += blanked;
    if (values.every((v) => v === null || v === 0) && blanked > 0) continue;
    rows.push({ keys: cell.keys, values });
  }
  // Months and age bands read in their own order; other groups from the largest down.
  const firstKind = panel.dimensions[0]?.kind;
  const order = (keys: readonly string[]) =>
    keys.map((k, i) => (i === 0 && firstKind === 'age' ? String(AGE_BANDS.indexOf(k) + 10) : k)).join('\u0000');
  rows.sort((a, b) =>
    firstKind === 'month' || firstKind === 'age'
      ? order(a.keys).localeCompare(order(b.keys))
      : (b.values[0] ?? 0) - (a.values[0] ?? 0) || order(a.keys).localeCompare(order(b.keys)),
  );
  const first = panel.lists === 'all' ? '' : (panel.lists[0] ?? '');
  return {
    id: panel.id,
    chart: panel.chart,
    dimensions: panel.dimensions.map((d): DimensionInfo =>
      d.kind === 'choice'
        ? { kind: 'choice', ...(d.labels ?? { list: first, property: propertyOf(d.property, first) ?? '' }) }
        : { kind: d.kind },
    ),
    measures: panel.measures.map((m) => m.key),
    rows,
    suppressed,
  };
}

/**
 * The records' locations counted by hexagon. A hexagon counting fewer than 5 records is left out
 * when any record was read without exact locations (a coarsened point still marks a small place).
 */
export function aggregateMap(map: MapSpec, records: readonly DashboardRecord[]): MapData {
  const cells = new Map<string, MapCell>();
  let approximate = false;
  for (const record of records) {
    if (map.lists !== 'all' && !map.lists.includes(record.list)) continue;
    const geo = parseGeoValue(record.properties[map.property]);
    const point = geo === null ? undefined : geoPositions(geo)[0];
    if (point === undefined) continue;
    if (!record.exactLocation) approximate = true;
    const hex = hexCell(point, map.hexMetres);
    const cell = cells.get(hex.id);
    cells.set(hex.id, {
      id: hex.id,
      lat: hex.centre.lat,
      lon: hex.centre.lon,
      polygon: hex.polygon,
      count: (cell?.count ?? 0) + 1,
    });
  }
  const all = [...cells.values()];
  const kept = approximate ? all.filter((c) => c.count >= MIN_CELL) : all;
  return { hexMetres: map.hexMetres, cells: kept, suppressed: all.length - kept.length };
}

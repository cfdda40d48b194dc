import { csvField } from '@outpost/core';
import type { Dashboard, DashboardDimension, DashboardPanel } from '../../api/AnalysisApi.js';
import type { I18n } from '../../i18n/createI18n.js';
import type { ProjectVocabulary } from '../forms/formVocabulary.js';
import { listName } from '../forms/listName.js';

/** A panel as people read it: column headings, and each row's labels followed by its numbers. */
export interface DashboardTable {
  readonly dimensions: readonly string[];
  readonly measures: readonly string[];
  readonly rows: ReadonlyArray<{ readonly labels: readonly string[]; readonly values: ReadonlyArray<number | null> }>;
}

type Words = Pick<I18n, 't' | 'find' | 'language'>;

const MEASURES = ['count', 'open', 'overdue', 'individuals', 'mett_percent', 'budget', 'incidents'] as const;
const AGES = ['0-7', '8-30', '31-90', '91+'] as const;
/** The server's key for a value the reader's role may not see. */
const HIDDEN = '*';

/** The words of a dimension's heading. */
function heading(dimension: DashboardDimension, vocabulary: ProjectVocabulary, i18n: Words): string {
  if (dimension.kind !== 'choice') return i18n.t(`dashboard.dimension.${dimension.kind}`);
  return vocabulary.propertyLabel(dimension.list, dimension.property, i18n.language()) ?? dimension.property;
}

function nameIn(names: Readonly<Record<string, string>> | undefined, language: string): string | undefined {
  if (names === undefined) return undefined;
  return names[language] ?? names['en'] ?? Object.values(names)[0];
}

/** One key of a row in words: a choice's label, an area's name, a worker, an age band, a month. */
function label(
  dimension: DashboardDimension,
  key: string,
  dashboard: Dashboard,
  vocabulary: ProjectVocabulary,
  i18n: Words,
): string {
  const language = i18n.language();
  if (key === HIDDEN) return i18n.t('dashboard.notShown');
  switch (dimension.kind) {
    case 'choice':
      if (key === '') return i18n.t('dashboard.blank');
      return vocabulary.choiceLabel(dimension.list, dimension.property, key, language) ?? key;
    case 'month':
      return key === '' ? i18n.t('dashboard.blank') : key;
    case 'area':
      return key === '' ? i18n.t('dashboard.noArea') : (nameIn(dashboard.areas[key], language) ?? key);
    case 'worker':
      if (key === '') return i18n.t('dashboard.unassigned');
      return dashboard.workers[key] ?? i18n.t('dashboard.worker', { n: key.replace(/^w/, '') });
    case 'list':
      return listName(key, vocabulary, i18n);
    case 'age':
      return (AGES as readonly string[]).includes(key)
        ? i18n.t(`dashboard.age.${key as (typeof AGES)[number]}`)
        : i18n.t('dashboard.blank');
  }
}

function measureName(key: string, i18n: Words): string {
  return (MEASURES as readonly string[]).includes(key)
    ? i18n.t(`dashboard.measure.${key as (typeof MEASURES)[number]}`)
    : key;
}

/** A panel's rows in the reader's language: what its chart draws and its CSV holds. */
export function dashboardTable(
  panel: DashboardPanel,
  dashboard: Dashboard,
  vocabulary: ProjectVocabulary,
  i18n: Words,
): DashboardTable {
  return {
    dimensions: panel.dimensions.map((d) => heading(d, vocabulary, i18n)),
    measures: panel.measures.map((m) => measureName(m, i18n)),
    rows: panel.rows.map((row) => ({
      labels: panel.dimensions.map((d, i) => label(d, row.keys[i] ?? '', dashboard, vocabulary, i18n)),
      values: row.values,
    })),
  };
}

/** The map's hexagons as a table: centre and count (suppressed cells are not there to list). */
export function mapTable(dashboard: Dashboard, i18n: Words): DashboardTable {
  return {
    dimensions: [i18n.t('dashboard.dimension.latitude'), i18n.t('dashboard.dimension.longitude')],
    measures: [i18n.t('dashboard.measure.count')],
    rows: dashboard.map.cells.map((c) => ({ labels: [String(c.lat), String(c.lon)], values: [c.count] })),
  };
}

/**
 * The table as CSV (UTF-8 with a byte-order mark so Excel reads Cyrillic), every cell neutralised
 * against formulas as the server's exports are. A suppressed value is an empty cell.
 */
export function tableCsv(table: DashboardTable): string {
  const lines = [[...table.dimensions, ...table.measures]];
  for (const row of table.rows) lines.push([...row.labels, ...row.values.map((v) => (v === null ? '' : String(v)))]);
  return `\uFEFF${lines.map((cells) => cells.map(csvField).join(',')).join('\r\n')}\r\n`;
}

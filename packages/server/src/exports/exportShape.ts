import type { FieldInfo, FormSummary } from '@outpost/core';

/** A column of an export table: a field's value, or one part of a geopoint. */
export interface ExportColumn {
  readonly header: string;
  /** Steps from the table's own element to the value (`head/head_given_name`). */
  readonly steps: readonly string[];
  readonly type: string;
  /** For a geopoint's parts: which of latitude, longitude, altitude, accuracy. */
  readonly part?: number;
  /** For a select in a chosen language (`labelTables`): the label of each choice value. */
  readonly choices?: Readonly<Record<string, string>>;
}

/** The root table or one repeat's table, as ODK Central lays out its CSV export. */
export interface ExportTable {
  /** `formId` for the root, `formId-repeatName` for a repeat. */
  readonly name: string;
  /** Absolute path of the table's element: the instance root, or the repeat. */
  readonly path: string;
  /** The table whose rows this one's rows belong to; null for the root. */
  readonly parent: string | null;
  readonly columns: readonly ExportColumn[];
}

const SKIPPED = new Set(['note', 'trigger', 'begin_group', 'end_group', 'begin_repeat', 'end_repeat']);
const GEO_PARTS = ['Latitude', 'Longitude', 'Altitude', 'Accuracy'];

function deepestRepeat(path: string, repeats: readonly string[]): string | null {
  let best: string | null = null;
  for (const repeat of repeats) {
    if (path.startsWith(`${repeat}/`) && (best === null || repeat.length > best.length)) best = repeat;
  }
  return best;
}

function columnsOf(fields: readonly FieldInfo[], tablePath: string): ExportColumn[] {
  const columns: ExportColumn[] = [];
  for (const field of fields) {
    const steps = field.path.slice(tablePath.length + 1).split('/');
    const header = steps.join('-');
    const type = field.type.split(/\s+/)[0] ?? 'text';
    if (type === 'geopoint') {
      GEO_PARTS.forEach((part, i) => columns.push({ header: `${header}-${part}`, steps, type, part: i }));
    } else {
      columns.push({ header, steps, type });
    }
  }
  return columns;
}

/** The tables of a form version's export: one for the submissions, one per repeat. */
export function exportTables(summary: FormSummary, repeatPaths: ReadonlySet<string>): ExportTable[] {
  const root = `/${summary.fields[0]?.path.split('/')[1] ?? 'data'}`;
  const repeats = [...repeatPaths].sort();
  const fields = summary.fields.filter(
    (f) => !SKIPPED.has(f.type.split(/\s+/)[0] ?? '') && !f.path.startsWith(`${root}/meta/`),
  );
  const tables: ExportTable[] = [
    {
      name: summary.formId,
      path: root,
      parent: null,
      columns: columnsOf(
        fields.filter((f) => deepestRepeat(f.path, repeats) === null),
        root,
      ),
    },
  ];
  for (const repeat of repeats) {
    const parentRepeat = deepestRepeat(repeat, repeats);
    tables.push({
      name: `${summary.formId}-${repeat.split('/').at(-1) ?? 'repeat'}`,
      path: repeat,
      parent: parentRepeat ?? root,
      columns: columnsOf(
        fields.filter((f) => deepestRepeat(f.path, repeats) === repeat),
        repeat,
      ),
    });
  }
  return tables;
}

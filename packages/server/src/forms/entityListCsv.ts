import type { FormSummary } from '@outpost/core';
import { formEntityLists } from '@outpost/core';
import { csvField } from '../csv/csvField.js';

/** One entity as the CSV shows it: already filtered and redacted for the reader. */
export interface CsvEntity {
  id: string;
  /** Null when the reader may not see labels. */
  label: string | null;
  version: number;
  /** Redacted properties: hidden ones are absent, coarsened ones carry their coarse value. */
  properties: Readonly<Record<string, unknown>>;
  /** The name per language of the deepest area the reader is shown (redacted path); null when none. */
  areaNames?: Readonly<Record<string, string>> | null;
}

/** The system column holding an entity's area name in `language` (after the properties). */
export function areaNameColumn(language: string): string {
  return `__area_name_${language}`;
}

// Only text goes into a cell: a value redaction turned into an object (an area label) is left
// out rather than serialised, so nothing the policy reshaped leaks in another form.
function cell(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * An entity list as the CSV a form's `select_one_from_file <list>.csv` reads, in ODK Central's
 * shape: `name` (the entity id), `label`, `__version` (what an update form's baseVersion reads),
 * then the properties — those the project's forms save to the list, in the order forms declare
 * them, then any others the entities carry. Rows come in already filtered and redacted.
 * Last, one `__area_name_<language>` column per language of the areas shown: what a picker shows
 * to tell two cases of the same name apart (Outpost's addition; forms that do not read it ignore it).
 */
export function entityListCsv(
  listName: string,
  summaries: readonly FormSummary[],
  entities: readonly CsvEntity[],
): string {
  const properties: string[] = [];
  const add = (p: string) => {
    if (!properties.includes(p) && p !== 'name' && p !== 'label' && !p.startsWith('__')) properties.push(p);
  };
  for (const summary of summaries) {
    for (const list of formEntityLists(summary))
      if (list.dataset === listName) for (const p of list.properties) add(p.property);
  }
  const extra = new Set<string>();
  for (const e of entities) for (const p of Object.keys(e.properties)) extra.add(p);
  for (const p of [...extra].sort()) add(p);
  const languages = [...new Set(entities.flatMap((e) => Object.keys(e.areaNames ?? {})))]
    .filter((l) => /^[a-z]{2,3}$/.test(l))
    .sort();
  const header = ['name', 'label', '__version', ...properties, ...languages.map(areaNameColumn)];
  const lines = [header.map(csvField).join(',')];
  for (const e of entities) {
    lines.push(
      [
        e.id,
        e.label ?? '',
        String(e.version),
        ...properties.map((p) => cell(e.properties[p])),
        ...languages.map((l) => cell(e.areaNames?.[l])),
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

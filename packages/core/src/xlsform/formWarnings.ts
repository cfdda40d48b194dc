/**
 * Warnings pyxform gives without refusing the form: a language missing some translated columns,
 * deprecated device-id metadata, choices without a label.
 */
import { issue } from './issues.js';
import type { Ctx } from './model.js';
import type { SheetTable } from './sheetTable.js';

const TRANSLATED =
  /^(label|hint|guidance_hint|constraint_message|required_message|media:(?:image|big-image|audio|video))::(.+)$/;
const DEPRECATED_TYPES = new Set(['subscriberid', 'simserial']);

/** For each sheet: the languages used, and per translated column the languages that lack it. */
export function missingTranslations(ctx: Ctx, tables: SheetTable[]): void {
  const languages = new Set<string>();
  const perSheet = tables.map((table) => {
    const columns = new Map<string, Set<string>>();
    for (const row of table.rows)
      for (const key of row.cells.keys()) {
        const m = TRANSLATED.exec(key);
        if (!m) continue;
        const [, column, lang] = m as unknown as [string, string, string];
        languages.add(lang);
        columns.set(column, (columns.get(column) ?? new Set()).add(lang));
      }
    return { table, columns };
  });
  for (const { table, columns } of perSheet) {
    for (const [column, langs] of columns) {
      const missing = [...languages].filter((l) => !langs.has(l));
      if (missing.length === 0) continue;
      ctx.warnings.push(
        issue(
          'xlsform.missing-translation',
          table.name,
          null,
          null,
          `the column ${column.replace('media:', '')} has no translation for ${missing.map((l) => `"${l}"`).join(', ')}: those languages will show "-" or nothing there`,
        ),
      );
    }
  }
}

export function deprecatedTypes(ctx: Ctx, survey: SheetTable): void {
  for (const row of survey.rows) {
    const type = row.cells.get('type');
    if (type && DEPRECATED_TYPES.has(type.value.trim().toLowerCase()))
      ctx.warnings.push(
        issue(
          'xlsform.deprecated',
          survey.name,
          row.rowNumber,
          type,
          `${type.value.trim()} is no longer supported on most devices (only old Android versions fill it in)`,
        ),
      );
  }
}

export function choicesWithoutLabel(ctx: Ctx): void {
  for (const list of ctx.lists.values())
    for (const choice of list.choices)
      if (choice.labels.size === 0 && choice.media.size === 0)
        ctx.warnings.push(
          issue(
            'xlsform.choice-without-label',
            choice.row.sheet,
            choice.row.rowNumber,
            choice.row.cells.get('name') ?? null,
            `the choice "${choice.name}" has no label, so devices show its name`,
          ),
        );
}

/** The settings sheet: one row of form-level values (id, title, version, languages, instance name...). */
import type { EmitSettings } from './model.js';
import { truthy } from './model.js';
import { cellText, readSheet, type SheetReport, type SheetRow, type SheetTable } from './sheetTable.js';
import type { Workbook } from './types.js';

export interface Settings {
  row: SheetRow | undefined;
  get: (key: string) => string | undefined;
}

export function findSheet(workbook: Workbook, name: string): Workbook['sheets'][number] | undefined {
  return workbook.sheets.find((s) => s.name.trim().toLowerCase() === name);
}

export function readSettings(workbook: Workbook, report: SheetReport): Settings {
  const sheet = findSheet(workbook, 'settings');
  const table = sheet ? readSheet(sheet, report, false) : null;
  const row = table?.rows[0];
  return { row, get: (key) => (row ? cellText(row, key) : undefined) };
}

function stem(fileName: string | undefined): string | undefined {
  if (!fileName) return undefined;
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.replace(/\.[^.]+$/, '');
}

/** Form id and title default to the file's stem, then to the root's name, as in pyxform. */
export function emitSettings(
  settings: Settings,
  fileName: string | undefined,
  rootName: string,
  entities: SheetTable | null,
): EmitSettings {
  const setting = (key: string): string | undefined => settings.get(key);
  const formStem = stem(fileName);
  const instanceCell = settings.row?.cells.get('instance_name');
  return {
    formId: setting('form_id') ?? setting('id_string') ?? formStem ?? rootName,
    title: setting('form_title') ?? formStem ?? rootName,
    version: setting('version') ?? '',
    instanceName:
      settings.row && instanceCell
        ? { cell: instanceCell, sheet: settings.row.sheet, row: settings.row.rowNumber }
        : null,
    publicKey: setting('public_key'),
    submissionUrl: setting('submission_url'),
    style: setting('style'),
    entities,
    defaultSensitivity: setting('default_sensitivity') ?? null,
    flat: truthy(setting('flat')),
  };
}

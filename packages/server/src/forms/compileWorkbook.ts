import type { CompileIssue, FormSummary, Workbook } from '@outpost/core';
import { compileXlsform } from '@outpost/core';
import { readWorkbook } from '../xlsform/readWorkbook.js';
import { checkZipBounds } from '../xlsform/zipBounds.js';
import { formLoadError } from './formEngine.js';

/**
 * What one uploaded XLSForm may be. Every shipped template is far inside each bound: the largest
 * unpacks to under 1 MB, has under 200 survey rows and a few thousand cells.
 */
export const workbookLimits = {
  /** Uncompressed bytes of all files in the .xlsx (a 1 MB zip bomb unpacks to 1 GB). */
  maxUnpackedBytes: 20 * 1024 * 1024,
  /** Files inside the .xlsx. */
  maxEntries: 500,
  /** Rows of the survey sheet: questions, groups and notes. */
  maxSurveyRows: 3_000,
  /** Rows of any other sheet (choices lists of places run to thousands). */
  maxSheetRows: 50_000,
  /** Non-empty cells in the whole workbook. */
  maxCells: 250_000,
} as const;

export type CompiledWorkbook =
  | { ok: true; xform: string; form: FormSummary; warnings: CompileIssue[] }
  | { ok: false; code: 'form.invalid'; errors: CompileIssue[] }
  | { ok: false; code: 'form.too-large' | 'form.too-complex'; detail: string };

function sizeRefusal(workbook: Workbook): string | null {
  let cells = 0;
  for (const sheet of workbook.sheets) {
    const rowLimit =
      sheet.name.trim().toLowerCase() === 'survey' ? workbookLimits.maxSurveyRows : workbookLimits.maxSheetRows;
    if (sheet.rows.length > rowLimit) {
      return `The ${sheet.name} sheet has ${sheet.rows.length} rows; the limit is ${rowLimit}.`;
    }
    for (const row of sheet.rows) cells += row.cells.length;
  }
  if (cells > workbookLimits.maxCells)
    return `The workbook has ${cells} cells; the limit is ${workbookLimits.maxCells}.`;
  return null;
}

/**
 * Reads, bounds, compiles and engine-checks an XLSForm on the calling thread. Servers and the
 * CLI call compileInWorker, which runs this in a worker with a time limit; only the worker calls it.
 */
export async function compileWorkbookHere(fileName: string, bytes: Uint8Array): Promise<CompiledWorkbook> {
  // Old .xls files and non-zips get readWorkbook's own message; a zip is bounded before unpacking.
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b) {
    const zip = checkZipBounds(bytes, workbookLimits);
    if (!zip.ok && zip.tooLarge) return { ok: false, code: 'form.too-large', detail: zip.detail };
    if (!zip.ok) {
      const message = `${fileName} could not be opened as an .xlsx workbook. ${zip.detail} Save it again as .xlsx and upload it.`;
      return {
        ok: false,
        code: 'form.invalid',
        errors: [{ code: 'xlsform.not-xlsx', sheet: '', row: null, column: null, message }],
      };
    }
  }
  const read = await readWorkbook(bytes, fileName);
  if (!read.ok) return { ok: false, code: 'form.invalid', errors: read.errors };
  const tooLarge = sizeRefusal(read.workbook);
  if (tooLarge !== null) return { ok: false, code: 'form.too-large', detail: tooLarge };
  const compiled = compileXlsform(read.workbook, { fileName });
  if (!compiled.ok) return { ok: false, code: 'form.invalid', errors: compiled.errors };
  // A form the ODK engine cannot load would accept no submission: refuse it now.
  const engineError = await formLoadError(compiled.xform);
  if (engineError !== null) {
    const issue: CompileIssue = { code: 'xform.engine', sheet: '', row: null, column: null, message: engineError };
    return { ok: false, code: 'form.invalid', errors: [issue] };
  }
  return { ok: true, xform: compiled.xform, form: compiled.form, warnings: compiled.warnings };
}

import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { readWorkbook } from '../xlsform/readWorkbook.js';
import { checkZipBounds } from '../xlsform/zipBounds.js';

/** A problem with an imported register, located as a spreadsheet user finds it. */
export interface ImportProblem {
  readonly code: string;
  /** 1-based row of the file (the header is row 1); null for the file as a whole. */
  readonly row: number | null;
  /** `"header" (letter)` when the problem is in one column. */
  readonly column: string | null;
  readonly message: string;
  /** For `import.bad-value`: what the column takes, so a screen can say it in the user's language. */
  readonly expected?: 'integer' | 'decimal' | 'date' | 'choice';
}

export interface CaseTable {
  readonly headers: ReadonlyArray<{ name: string; column: string }>;
  readonly rows: ReadonlyArray<{ rowNumber: number; values: ReadonlyMap<string, string> }>;
}

export type CaseTableResult = { ok: true; table: CaseTable } | { ok: false; problems: ImportProblem[] };

/** The most rows one import takes; larger registers are split into several files. */
export const MAX_IMPORT_ROWS = 100_000;
/** What a register's .xlsx may unpack to (100,000 rows of a wide register fit), checked before unpacking. */
const REGISTER_ZIP_LIMITS = { maxUnpackedBytes: 200 * 1024 * 1024, maxEntries: 500 };

function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    out = String.fromCharCode(65 + rest) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

function fileProblem(code: string, message: string): CaseTableResult {
  return { ok: false, problems: [{ code, row: null, column: null, message }] };
}

/** Rows of cells as text, from a CSV (UTF-8, BOM allowed) or the first sheet of an .xlsx. */
async function readRows(fileName: string, bytes: Uint8Array): Promise<string[][] | CaseTableResult> {
  if (/\.xlsx$/i.test(fileName)) {
    const zip = checkZipBounds(bytes, REGISTER_ZIP_LIMITS);
    if (!zip.ok) return fileProblem(zip.tooLarge ? 'import.too-large' : 'import.damaged', `${fileName}: ${zip.detail}`);
    const read = await readWorkbook(bytes, fileName);
    if (!read.ok) return { ok: false, problems: read.errors.map((e) => ({ ...e, column: e.column })) };
    const sheet = read.workbook.sheets[0];
    if (sheet === undefined) return fileProblem('import.empty', `${fileName} has no sheet`);
    const rows: string[][] = [];
    for (const row of sheet.rows) {
      const cells: string[] = [];
      for (const cell of row.cells) {
        let index = 0;
        for (const char of cell.column) index = index * 26 + (char.charCodeAt(0) - 64);
        cells[index - 1] = cell.value;
      }
      rows[row.rowNumber - 1] = Array.from(cells, (c) => c ?? '');
    }
    return Array.from(rows, (r) => r ?? []);
  }
  if (!/\.csv$/i.test(fileName)) {
    return fileProblem('import.file-type', `${fileName}: a register is imported from a .csv or .xlsx file`);
  }
  let text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const book = new ExcelJS.Workbook();
  // exceljs reads CSV with fast-csv; `map` keeps every cell as the text it was (no number or date guessing).
  const sheet = await book.csv.read(Readable.from([text]), { map: (value: unknown) => value });
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const values = Array.isArray(row.values) ? row.values.slice(1) : [];
    // With `map` as the identity every cell is the parser's string; anything else reads as blank.
    rows[rowNumber - 1] = values.map((v) => (typeof v === 'string' ? v : ''));
  });
  return Array.from(rows, (r) => r ?? []);
}

/**
 * Reads a register: the first row names the columns, every later non-empty row is a case.
 * Refuses a file without a header, with a blank or repeated header, or over MAX_IMPORT_ROWS.
 */
export async function readCaseTable(fileName: string, bytes: Uint8Array): Promise<CaseTableResult> {
  const rows = await readRows(fileName, bytes);
  if (!Array.isArray(rows)) return rows;
  const headerCells = rows[0] ?? [];
  if (headerCells.every((h) => h.trim() === '')) {
    return fileProblem('import.no-header', `${fileName}: the first row must name the columns (label, properties)`);
  }
  const problems: ImportProblem[] = [];
  const headers: Array<{ name: string; column: string }> = [];
  const seen = new Set<string>();
  headerCells.forEach((raw, index) => {
    const name = raw.trim();
    const column = columnLetter(index);
    if (name === '') {
      problems.push({ code: 'import.blank-header', row: 1, column, message: 'a column has no name' });
    } else if (seen.has(name)) {
      problems.push({
        code: 'import.duplicate-header',
        row: 1,
        column: `"${name}" (${column})`,
        message: `"${name}" appears twice`,
      });
    }
    seen.add(name);
    headers.push({ name, column });
  });
  const body = rows.slice(1);
  if (body.length > MAX_IMPORT_ROWS) {
    problems.push({
      code: 'import.too-many-rows',
      row: null,
      column: null,
      message: `${body.length} rows; one import takes at most ${MAX_IMPORT_ROWS}: split the file`,
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  const table: Array<{ rowNumber: number; values: Map<string, string> }> = [];
  body.forEach((cells, index) => {
    if (cells.every((c) => c.trim() === '')) return;
    const values = new Map<string, string>();
    headers.forEach((header, i) => values.set(header.name, (cells[i] ?? '').trim()));
    table.push({ rowNumber: index + 2, values });
  });
  return { ok: true, table: { headers, rows: table } };
}

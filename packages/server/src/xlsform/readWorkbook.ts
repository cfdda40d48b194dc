import ExcelJS from 'exceljs';
import type { CompileIssue, Workbook } from '@outpost/core';
import { withoutComments } from './withoutComments.js';

const NOT_XLSX = 'Save the workbook as .xlsx (Excel 2007 or later) and upload it again';

function notXlsx(fileName: string, why: string): { ok: false; errors: CompileIssue[] } {
  return {
    ok: false,
    errors: [
      { code: 'xlsform.not-xlsx', sheet: '', row: null, column: null, message: `${fileName} ${why}. ${NOT_XLSX}` },
    ],
  };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Date-formatted cells: pyxform sees Python's str(datetime) or str(time). */
function dateString(date: Date, numFmt: string | undefined): string {
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  const fmt = (numFmt ?? '').toLowerCase().replace(/"[^"]*"|\[[^\]]*\]/g, '');
  const timeOnly = fmt !== '' && !/[yd]/.test(fmt) && /[hs]/.test(fmt);
  if (timeOnly || date.getUTCFullYear() < 1900) return time;
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${time}`;
}

function scalarString(value: unknown, numFmt: string | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return String(value);
  if (value instanceof Date) return dateString(value, numFmt);
  return null;
}

function formulaFallback(formula: string | undefined): string | null {
  const f = (formula ?? '').trim().toUpperCase();
  if (f === 'TRUE()' || f === 'TRUE') return 'TRUE';
  if (f === 'FALSE()' || f === 'FALSE') return 'FALSE';
  return null;
}

function cellString(cell: ExcelJS.Cell, sheet: ExcelJS.Worksheet): string | null {
  const value = cell.value as unknown;
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || value instanceof Date) return scalarString(value, cell.numFmt);
  const v = value as Record<string, unknown>;
  if (Array.isArray(v['richText'])) return (v['richText'] as Array<{ text: string }>).map((r) => r.text).join('');
  if ('text' in v && 'hyperlink' in v) return typeof v['text'] === 'string' ? v['text'] : null;
  if ('error' in v) return null;
  if ('formula' in v || 'sharedFormula' in v) {
    // A formula counts by its cached result; spreadsheets saved without one fall back to TRUE()/FALSE().
    const result = scalarString(v['result'], cell.numFmt);
    if (result !== null) return result;
    let formula = v['formula'] as string | undefined;
    if (!formula && typeof v['sharedFormula'] === 'string') {
      const master = sheet.getCell(v['sharedFormula']).value as Record<string, unknown> | null;
      formula = master?.['formula'] as string | undefined;
    }
    return formulaFallback(formula);
  }
  return null;
}

async function opened(bytes: Uint8Array): Promise<ExcelJS.Workbook | null> {
  const excel = new ExcelJS.Workbook();
  try {
    await excel.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
    return excel;
  } catch {
    return null;
  }
}

function hasZipMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05);
}

export async function readWorkbook(
  bytes: Uint8Array,
  fileName: string,
): Promise<{ ok: true; workbook: Workbook } | { ok: false; errors: CompileIssue[] }> {
  if (bytes.length >= 4 && bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    return notXlsx(fileName, 'is an old Excel 97-2003 (.xls) workbook');
  }
  if (!hasZipMagic(bytes)) return notXlsx(fileName, 'is not an Excel workbook');
  let excel = await opened(bytes);
  if (excel === null) {
    // Comments linked in a way exceljs does not follow (withoutComments.ts): read it without them.
    const plain = withoutComments(bytes);
    excel = plain === null ? null : await opened(plain);
  }
  if (excel === null) return notXlsx(fileName, 'could not be opened as an .xlsx workbook');
  const sheets: Workbook['sheets'] = [];
  excel.eachSheet((sheet) => {
    const rows: Workbook['sheets'][number]['rows'] = [];
    sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells: Array<{ column: string; value: string }> = [];
      row.eachCell({ includeEmpty: false }, (cell) => {
        const value = cellString(cell, sheet);
        if (value !== null && value !== '') cells.push({ column: cell.address.replace(/[0-9]+$/, ''), value });
      });
      if (cells.length > 0) rows.push({ rowNumber, cells });
    });
    sheets.push({ name: sheet.name, rows });
  });
  return { ok: true, workbook: { sheets } };
}

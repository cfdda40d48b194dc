import type { Cell } from './sheetTable.js';
import type { CompileIssue } from './types.js';

function locate(sheet: string, row: number | null, cell: Cell | null): string {
  let where = `${sheet} sheet`;
  if (row !== null) where += `, row ${row}`;
  if (cell) where += `, column "${cell.header}" (${cell.letter})`;
  return where;
}

export function issue(
  code: string,
  sheet: string,
  row: number | null,
  cell: Cell | null,
  message: string,
): CompileIssue {
  return {
    code,
    sheet,
    row,
    column: cell ? `"${cell.header}" (${cell.letter})` : null,
    message: `${locate(sheet, row, cell)}: ${message}`,
  };
}

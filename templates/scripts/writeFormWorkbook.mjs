// Writes the sheets of one XLSForm (see src/xlsform/formSheets.ts) as an .xlsx workbook.
// Kept apart from build-forms.mjs so the drift test can call it without loading vite.
import ExcelJS from 'exceljs';

/**
 * @param {Array<{ name: string; rows: string[][] }>} sheets
 * @param {string} file absolute path of the .xlsx to write
 */
export async function writeFormWorkbook(sheets, file) {
  const workbook = new ExcelJS.Workbook();
  // Fixed metadata so re-running the script on unchanged definitions changes as little as possible.
  workbook.creator = 'Outpost templates';
  workbook.created = new Date(Date.UTC(2026, 0, 1));
  workbook.modified = new Date(Date.UTC(2026, 0, 1));
  for (const sheet of sheets) {
    const worksheet = workbook.addWorksheet(sheet.name);
    for (const row of sheet.rows) {
      // Empty strings become truly empty cells, which is what a person editing in Excel leaves.
      worksheet.addRow(row.map((cell) => (cell === '' ? null : cell)));
    }
    worksheet.getRow(1).font = { bold: true };
    worksheet.views = [{ state: 'frozen', ySplit: 1 }];
  }
  await workbook.xlsx.writeFile(file);
}

/**
 * Reads every sheet back as rows of strings ('' for empty), trimmed of trailing empty cells and rows.
 * @param {string} file
 * @returns {Promise<Array<{ name: string; rows: string[][] }>>}
 */
export async function readFormWorkbook(file) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  return workbook.worksheets.map((worksheet) => {
    const rows = [];
    worksheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
      const cells = [];
      row.eachCell({ includeEmpty: true }, (cell, col) => {
        cells[col - 1] = cell.value === null || cell.value === undefined ? '' : String(cell.value);
      });
      rows[rowNumber - 1] = Array.from(cells, (c) => c ?? '');
    });
    const normalised = Array.from(rows, (r) => {
      const row = r ?? [];
      while (row.length > 0 && row[row.length - 1] === '') row.pop();
      return row;
    });
    while (normalised.length > 0 && normalised[normalised.length - 1].length === 0) normalised.pop();
    return { name: worksheet.name, rows: normalised };
  });
}

import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { compileXlsform } from '@outpost/core';
import { describe, expect, it } from 'vitest';
import { readWorkbook } from './readWorkbook.js';

async function xlsx(fill: (sheet: ExcelJS.Worksheet, book: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  fill(book.addWorksheet('survey'), book);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

async function cells(bytes: Uint8Array): Promise<Record<string, string>> {
  const read = await readWorkbook(bytes, 'form.xlsx');
  if (!read.ok) throw new Error(read.errors[0]?.message);
  const out: Record<string, string> = {};
  for (const row of read.workbook.sheets[0]?.rows ?? [])
    for (const c of row.cells) out[`${c.column}${row.rowNumber}`] = c.value;
  return out;
}

describe('readWorkbook', () => {
  it('asks for .xlsx when given a legacy .xls file', async () => {
    const ole2 = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    const result = await readWorkbook(ole2, 'household.xls');
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          code: 'xlsform.not-xlsx',
          sheet: '',
          row: null,
          column: null,
          message:
            'household.xls is an old Excel 97-2003 (.xls) workbook. Save the workbook as .xlsx (Excel 2007 or later) and upload it again',
        },
      ],
    });
  });

  it('rejects a file that is not a workbook at all', async () => {
    const result = await readWorkbook(new TextEncoder().encode('type,name,label\n'), 'form.csv');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.message).toMatch(/Save the workbook as \.xlsx/);
  });

  it('rejects a zip that is not a workbook', async () => {
    const result = await readWorkbook(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4]), 'broken.xlsx');
    expect(result.ok).toBe(false);
  });

  it('converts cells to the text pyxform would see', async () => {
    const bytes = await xlsx((sheet) => {
      sheet.getCell('A1').value = 'plain';
      sheet.getCell('B1').value = 8;
      sheet.getCell('C1').value = 18.31;
      sheet.getCell('D1').value = true;
      sheet.getCell('E1').value = { richText: [{ text: 'Your ' }, { font: { bold: true }, text: 'name' }] };
      sheet.getCell('F1').value = { formula: '1+1', result: 2 };
      sheet.getCell('G1').value = { formula: 'TRUE()' };
      sheet.getCell('H1').value = new Date(Date.UTC(2012, 11, 12));
      sheet.getCell('H1').numFmt = 'yyyy-mm-dd';
      sheet.getCell('I1').value = 0.3958333333333333;
      sheet.getCell('I1').numFmt = 'hh:mm:ss';
      sheet.getCell('J1').value = { text: 'site', hyperlink: 'https://example.org' };
    });
    expect(await cells(bytes)).toEqual({
      A1: 'plain',
      B1: '8',
      C1: '18.31',
      D1: 'TRUE',
      E1: 'Your name',
      F1: '2',
      G1: 'TRUE',
      H1: '2012-12-12 00:00:00',
      I1: '09:30:00',
      J1: 'site',
    });
  });

  it('keeps row numbers and skips empty cells and rows', async () => {
    const bytes = await xlsx((sheet) => {
      sheet.getCell('A1').value = 'type';
      sheet.getCell('C1').value = 'label';
      sheet.getCell('A4').value = 'text';
    });
    const read = await readWorkbook(bytes, 'form.xlsx');
    if (!read.ok) throw new Error('rejected');
    expect(read.workbook.sheets[0]?.rows).toEqual([
      {
        rowNumber: 1,
        cells: [
          { column: 'A', value: 'type' },
          { column: 'C', value: 'label' },
        ],
      },
      { rowNumber: 4, cells: [{ column: 'A', value: 'text' }] },
    ]);
  });
});

describe('workbooks with cell comments', () => {
  // text_and_integer.xlsx from pyxform's examples with three cell notes, saved by LibreOffice Calc
  // (soffice --headless --convert-to xlsx): comments1.xml and a VML drawing, as LibreOffice writes them.
  const saved = readFileSync(
    new URL('../../../../fixtures/xlsform/outpost/libreoffice_comments.xlsx', import.meta.url),
  );
  const plain = readFileSync(
    new URL('../../../../fixtures/xlsform/pyxform/example/text_and_integer.xlsx', import.meta.url),
  );

  it('reads a LibreOffice-saved workbook with comments as the same form without them', async () => {
    const read = await readWorkbook(saved, 'libreoffice_comments.xlsx');
    const original = await readWorkbook(plain, 'text_and_integer.xlsx');
    expect(read.ok && original.ok).toBe(true);
    if (!read.ok || !original.ok) return;
    expect(read.workbook.sheets.find((s) => s.name === 'survey')).toEqual(
      original.workbook.sheets.find((s) => s.name === 'survey'),
    );
    const compiled = compileXlsform(read.workbook, { fileName: 'libreoffice_comments.xlsx' });
    expect(compiled.ok).toBe(true);
  });

  it('reads one whose comments are linked by an absolute part name, which exceljs alone refuses', async () => {
    const files = unzipSync(saved);
    const rels = 'xl/worksheets/_rels/sheet1.xml.rels';
    files[rels] = strToU8(
      strFromU8(files[rels] as Uint8Array).replace('Target="../comments1.xml"', 'Target="/xl/comments1.xml"'),
    );
    const absolute = zipSync(files);
    await expect(
      new ExcelJS.Workbook().xlsx.load(Buffer.from(absolute) as unknown as ExcelJS.Buffer),
    ).rejects.toThrow();
    expect(await cells(absolute)).toEqual(await cells(saved));
  });
});

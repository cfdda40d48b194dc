import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { compileXlsform } from '@outpost/core';
import { readWorkbook } from './readWorkbook.js';
import { xformDifference } from './xformEquivalence.js';

const fixtures = fileURLToPath(new URL('../../../../fixtures/xlsform/pyxform/', import.meta.url));
const examples = readdirSync(`${fixtures}example`)
  .filter((f) => f.endsWith('.xlsx'))
  .map((f) => f.replace(/\.xlsx$/, ''));
const expected = new Set(
  readdirSync(`${fixtures}expected`)
    .filter((f) => f.endsWith('.xml'))
    .map((f) => f.replace(/\.xml$/, '')),
);

/** Forms pyxform refuses, with the cell our message must point at. */
const MEANT_TO_FAIL: Record<string, { code: string; sheet: string; row: number; column: RegExp }> = {
  bad_calc: { code: 'xlsform.bad-expression', sheet: 'survey', row: 2, column: /"calculation" \(D\)/ },
  include: { code: 'xlsform.include-unsupported', sheet: 'survey', row: 3, column: /"type" \(A\)/ },
  include_json: { code: 'xlsform.include-unsupported', sheet: 'survey', row: 2, column: /"type" \(A\)/ },
};

/** Expected files pyxform's own suite no longer checks; they show an older pyxform's output. */
const STALE_EXPECTED: Record<string, string> = {
  'table-list': 'written by an old pyxform (inline <item>s instead of itemsets); pyxform does not test it',
};

/** The .xls -> .xlsx conversion of these fixtures lost the cells' date formats (and the 1904 date system); put them back. */
const LOST_FORMATS: Record<string, { date1904: boolean; cells: Array<[string, string, string]> }> = {
  default_time_demo: { date1904: false, cells: [['survey', 'D2', 'hh:mm:ss']] },
  repeat_date_test: { date1904: true, cells: [['survey', 'D2', 'yyyy-mm-dd']] },
};

async function fixtureBytes(name: string): Promise<Uint8Array> {
  const bytes = readFileSync(`${fixtures}example/${name}.xlsx`);
  const formats = LOST_FORMATS[name];
  if (!formats) return bytes;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  if (formats.date1904) wb.properties.date1904 = true;
  for (const [sheet, cell, numFmt] of formats.cells) wb.getWorksheet(sheet)!.getCell(cell).numFmt = numFmt;
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

async function compileFixture(name: string) {
  const read = await readWorkbook(await fixtureBytes(name), `${name}.xlsx`);
  if (!read.ok) throw new Error(read.errors.map((e) => e.message).join('\n'));
  // pyxform's suite names the root after the file except for survey_no_name.
  const formName = name === 'survey_no_name' ? undefined : name;
  return compileXlsform(read.workbook, { fileName: `${name}.xlsx`, ...(formName ? { formName } : {}) });
}

describe('XLSForm conformance with pyxform fixtures', () => {
  for (const name of examples.filter((n) => !(n in MEANT_TO_FAIL))) {
    it(`${name} compiles`, async () => {
      const result = await compileFixture(name);
      expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual([]);
    });
  }

  for (const name of [...expected].filter((n) => !(n in STALE_EXPECTED))) {
    it(`${name} is equivalent to pyxform's XForm`, async () => {
      const result = await compileFixture(name);
      if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
      const pyxform = readFileSync(`${fixtures}expected/${name}.xml`, 'utf8');
      expect(xformDifference(pyxform, result.xform)).toBeNull();
    });
  }

  for (const [name, why] of Object.entries(STALE_EXPECTED)) {
    it.fails(`${name} matches its expected file (known gap: ${why})`, async () => {
      const result = await compileFixture(name);
      if (!result.ok) throw new Error('did not compile');
      expect(xformDifference(readFileSync(`${fixtures}expected/${name}.xml`, 'utf8'), result.xform)).toBeNull();
    });
  }

  for (const [name, want] of Object.entries(MEANT_TO_FAIL)) {
    it(`${name} is rejected with a message naming sheet, row and column`, async () => {
      const result = await compileFixture(name);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      const error = result.errors.find((e) => e.code === want.code);
      expect(error, result.errors.map((e) => e.message).join('\n')).toBeDefined();
      expect(error?.sheet).toBe(want.sheet);
      expect(error?.row).toBe(want.row);
      expect(error?.column).toMatch(want.column);
      expect(error?.message).toMatch(new RegExp(`^${want.sheet} sheet, row ${want.row}, column `));
    });
  }
});

import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { diffForms } from './formDiff.js';
import { compileInWorker } from './compileInWorker.js';

/** Compiles a one-language form with a `yn` choice list of `choices`. */
async function compiled(version: string, survey: string[][], choices = ['yes', 'no']) {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('survey');
  sheet.addRow(['type', 'name', 'label', 'required', 'relevant', 'constraint', 'calculation']);
  for (const row of survey) sheet.addRow(row);
  const list = book.addWorksheet('choices');
  list.addRow(['list_name', 'name', 'label']);
  for (const c of choices) list.addRow(['yn', c, c.toUpperCase()]);
  book.addWorksheet('settings').addRows([
    ['form_id', 'version'],
    ['f', version],
  ]);
  const result = await compileInWorker('f.xlsx', new Uint8Array(await book.xlsx.writeBuffer()));
  if (!result.ok) throw new Error(JSON.stringify(result));
  return { version, summary: result.form, xform: result.xform };
}

describe('diffForms', () => {
  it('names each changed rule of a question with its before and after', async () => {
    const before = await compiled('1', [
      ['select_one yn', 'water', 'Water?'],
      ['integer', 'people', 'People', '', '${water} = "yes"', '. > 0'],
      ['calculate', 'double', '', '', '', '', '${people} * 2'],
    ]);
    const after = await compiled(
      '2',
      [
        ['select_one yn', 'water', 'Water?'],
        ['integer', 'people', 'People', 'yes', '', '. > 1'],
        ['calculate', 'double', '', '', '', '', '${people} * 3'],
      ],
      ['yes', 'no', 'unknown'],
    );
    const diff = diffForms(before, after);
    expect(diff).toMatchObject({ previousVersion: '1', added: [], removed: [] });
    const changes = Object.fromEntries(
      diff.changed.map((q) => [q.name, q.changes.map((c) => [c.aspect, c.before, c.after])]),
    );
    expect(changes).toEqual({
      water: [['choices', 'yes, no', 'yes, no, unknown']],
      people: [
        ['required', null, 'true()'],
        ['relevant', '${water} = "yes"', null],
        ['constraint', '. > 0', '. > 1'],
      ],
      double: [['calculation', '${people} * 2', '${people} * 3']],
    });
  });

  it('shows every question as added when nothing is published yet', async () => {
    const first = await compiled('1', [['text', 'name', 'Name']]);
    expect(diffForms(null, first)).toMatchObject({
      previousVersion: null,
      added: [{ name: 'name', path: '/data/name' }],
    });
  });
});

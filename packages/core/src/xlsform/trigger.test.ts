import { describe, expect, it } from 'vitest';
import { compileXlsform } from './compileXlsform.js';
import type { Workbook } from './types.js';

function workbook(rows: string[][]): Workbook {
  return {
    sheets: [
      {
        name: 'survey',
        rows: rows.map((cells, i) => ({
          rowNumber: i + 1,
          cells: cells
            .map((value, c) => ({ column: String.fromCharCode(65 + c), value }))
            .filter((c) => c.value !== ''),
        })),
      },
    ],
  };
}

describe('the trigger column (pyxform dynamic defaults from form data)', () => {
  it('writes the calculation with a value-changed setvalue inside the trigger, not as a bind calculate', () => {
    const result = compileXlsform(
      workbook([
        ['type', 'name', 'label', 'calculation', 'trigger'],
        ['text', 'household', 'Household', '', ''],
        ['integer', 'members', 'Members', 'string-length(${household})', '${household}'],
      ]),
      { fileName: 'visit.xlsx' },
    );
    if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
    const xml = result.xform.replace(/\s+/g, ' ');
    expect(xml).toMatch(
      /<input ref="\/data\/household"> <label>Household<\/label> <setvalue ref="\/data\/members" event="xforms-value-changed" value="string-length\( \/data\/household \)"\/> <\/input>/,
    );
    expect(xml).toMatch(/<bind nodeset="\/data\/members" type="int"\/>/);
  });

  it('refuses a trigger that names no answered question', () => {
    const result = compileXlsform(
      workbook([
        ['type', 'name', 'label', 'calculation', 'trigger'],
        ['calculate', 'today_date', '', 'today()', ''],
        ['date', 'seen', 'Seen', '${today_date}', '${today_date}'],
        ['text', 'note', 'Note', "'x'", 'household'],
      ]),
      { fileName: 'visit.xlsx' },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.message)).toEqual([
      'survey sheet, row 3, column "trigger" (E): "today_date" is not shown to the user (a calculate, a group or a question without a label), so it can never trigger "seen"',
      'survey sheet, row 4, column "trigger" (E): a trigger is a reference like ${age}, or several separated by commas',
    ]);
  });
});

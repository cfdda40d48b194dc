import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as XFormsEngine from '@getodk/xforms-engine';
import { JSDOM } from 'jsdom';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileXlsform } from '@outpost/core';
import { readWorkbook } from './readWorkbook.js';

// The ODK engine expects a browser: a jsdom window as globals, plus `__dirname` and `require`
// for the tree-sitter WASM loader it bundles.
type Engine = typeof XFormsEngine;
let engine: Engine;

beforeAll(async () => {
  const { window } = new JSDOM('<!doctype html><html><body></body></html>', { url: 'http://localhost/' });
  const g = globalThis as Record<string, unknown>;
  for (const key of [
    'window',
    'document',
    'DOMParser',
    'XMLSerializer',
    'Node',
    'Element',
    'Document',
    'XPathResult',
    'NodeFilter',
    'Attr',
    'Text',
    'XMLDocument',
  ]) {
    if (g[key] === undefined) g[key] = (window as unknown as Record<string, unknown>)[key];
  }
  const enginePath = createRequire(import.meta.url).resolve('@getodk/xforms-engine');
  g['__dirname'] ??= fileURLToPath(new URL('.', `file://${enginePath}`));
  g['require'] ??= createRequire(enginePath);
  engine = await import('@getodk/xforms-engine');
});

const fixtures = fileURLToPath(new URL('../../../../../shared/fixtures/xlsform/pyxform/example/', import.meta.url));
const names = readdirSync(fixtures)
  .filter((f) => f.endsWith('.xlsx'))
  .map((f) => f.replace(/\.xlsx$/, ''));

/** One form with every question type and most columns, typed as an author would. */
const KITCHEN_SINK: Record<string, string[][]> = {
  survey: [
    [
      'type',
      'name',
      'label::English (en)',
      'label::Mongolian (mn)',
      'hint',
      'guidance_hint',
      'required',
      'relevant',
      'constraint',
      'constraint_message',
      'calculation',
      'default',
      'appearance',
      'parameters',
      'choice_filter',
      'repeat_count',
      'sensitivity',
      'save_to',
      'image',
    ],
    ['start', 'start'],
    ['end', 'end'],
    ['today', 'today'],
    ['deviceid', 'deviceid'],
    ['username', 'username'],
    ['audit', 'audit', '', '', '', '', '', '', '', '', '', '', '', 'track-changes=true'],
    ['start-geopoint', 'start_location'],
    [
      'text',
      'head',
      'Head of household',
      'Өрхийн тэргүүн',
      'Full name',
      'As on the ID card',
      'yes',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      'identifying',
      'head_name',
    ],
    [
      'integer',
      'size',
      'Household size',
      'Өрхийн хэмжээ',
      '',
      '',
      'yes',
      '',
      '. > 0 and . < 30',
      'Between 1 and 29',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      'size',
    ],
    ['decimal', 'income', 'Monthly income', 'Сарын орлого', '', '', '', '${size} > 0'],
    ['range', 'rating', 'Rating', 'Үнэлгээ', '', '', '', '', '', '', '', '', '', 'start=0 end=5 step=1'],
    ['date', 'visit', 'Visit date', 'Огноо', '', '', '', '', '', '', '', 'today()'],
    ['time', 'at', 'Time', 'Цаг'],
    ['dateTime', 'when', 'When', 'Хэзээ'],
    ['select_one district', 'district', 'District', 'Дүүрэг'],
    [
      'select_one khoroo',
      'khoroo',
      'Khoroo',
      'Хороо',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      'minimal',
      '',
      'district=${district}',
    ],
    ['select_multiple benefits or_other', 'benefits', 'Benefits', 'Тэтгэмж'],
    ['rank benefits', 'priority', 'Priority', 'Эрэмбэ'],
    ['select_one_from_file schools.csv', 'school', 'School', 'Сургууль'],
    [
      'geopoint',
      'location',
      'Location',
      'Байршил',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      'capture-accuracy=10',
      '',
      '',
      'location',
    ],
    ['geotrace', 'route', 'Route', 'Зам'],
    ['geoshape', 'parcel', 'Parcel', 'Талбай'],
    ['image', 'photo', 'Photo', 'Зураг', '', '', '', '', '', '', '', '', '', 'max-pixels=1024'],
    ['audio', 'voice', 'Voice', 'Дуу'],
    ['video', 'clip', 'Clip', 'Бичлэг'],
    ['file', 'doc', 'Document', 'Баримт'],
    ['barcode', 'code', 'Barcode', 'Баркод'],
    ['acknowledge', 'consent', 'I agree', 'Зөвшөөрч байна'],
    [
      'note',
      'summary',
      'Size is ${size}',
      'Хэмжээ ${size}',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      'logo.png',
    ],
    ['calculate', 'per_person', '', '', '', '', '', '', '', '', 'if(${size} > 0, ${income} div ${size}, 0)'],
    ['hidden', 'source'],
    ['begin group', 'details', 'Details', 'Дэлгэрэнгүй', '', '', '', '', '', '', '', '', 'field-list'],
    ['text', 'phone', 'Phone', 'Утас', '', '', '', '', "regex(., '^[0-9]{8}$')"],
    ['end group'],
    ['begin repeat', 'member', 'Member', 'Гишүүн', '', '', '', '', '', '', '', '', '', '', '', '${size}'],
    ['text', 'member_name', 'Name', 'Нэр', '', '', 'yes'],
    ['integer', 'age', 'Age', 'Нас', '', '', '', '', '. < 120'],
    ['text', 'school_name', 'School', 'Сургууль', '', '', '', '${age} < 18 and ${age} > 5'],
    ['date', 'born', 'Born', 'Төрсөн', '', '', '', '', '', '', '', 'today()'],
    ['end repeat'],
    ['trigger', 'done', 'Done', 'Дууслаа'],
  ],
  choices: [
    ['list_name', 'name', 'label::English (en)', 'label::Mongolian (mn)', 'district'],
    ['district', 'bzd', 'Bayanzurkh', 'Баянзүрх'],
    ['district', 'sbd', 'Sukhbaatar', 'Сүхбаатар'],
    ['khoroo', 'bzd1', 'Khoroo 1', '1-р хороо', 'bzd'],
    ['khoroo', 'sbd1', 'Khoroo 1', '1-р хороо', 'sbd'],
    ['benefits', 'child', 'Child money', 'Хүүхдийн мөнгө'],
    ['benefits', 'pension', 'Pension', 'Тэтгэвэр'],
  ],
  settings: [
    ['form_title', 'form_id', 'version', 'default_language', 'instance_name', 'default_sensitivity'],
    ['Household visit', 'household_visit', '2024060101', 'English (en)', 'concat(${head}, " ", ${visit})', 'sensitive'],
  ],
  entities: [
    ['list_name', 'label'],
    ['households', 'concat(${head}, " (", ${size}, ")")'],
  ],
};

function letter(index: number): string {
  return index < 26 ? String.fromCharCode(65 + index) : `A${String.fromCharCode(65 + index - 26)}`;
}

async function loads(xform: string): Promise<void> {
  const result = await engine.loadForm(xform, {
    // Attached files (CSV, media) are not part of these fixtures: load them as empty.
    fetchFormAttachment: () => Promise.resolve(new Response('', { status: 404 })),
    missingResourceBehavior: engine.constants.MISSING_RESOURCE_BEHAVIOR.BLANK,
  });
  expect(result.error?.message ?? null).toBeNull();
  const instance = result.createInstance();
  expect(instance.root.nodeType).toBe('root');
}

describe('compiled forms load in the ODK web-forms engine', () => {
  it('a form using every question type, translations, a repeat and entities', async () => {
    const workbook = {
      sheets: Object.entries(KITCHEN_SINK).map(([name, rows]) => ({
        name,
        rows: rows.map((cells, i) => ({
          rowNumber: i + 1,
          cells: cells.map((value, c) => ({ column: letter(c), value })).filter((c) => c.value !== ''),
        })),
      })),
    };
    const compiled = compileXlsform(workbook, { fileName: 'household_visit.xlsx' });
    if (!compiled.ok) throw new Error(compiled.errors.map((e) => e.message).join('\n'));
    expect(compiled.form.languages).toEqual(['English (en)', 'Mongolian (mn)']);
    await loads(compiled.xform);
  });

  for (const name of names) {
    it(`${name}`, async () => {
      const read = await readWorkbook(readFileSync(`${fixtures}${name}.xlsx`), `${name}.xlsx`);
      if (!read.ok) throw new Error(read.errors[0]?.message);
      const compiled = compileXlsform(read.workbook, { fileName: `${name}.xlsx` });
      if (!compiled.ok) return; // rejected forms are covered by the conformance suite
      await loads(compiled.xform);
    });
  }
});

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as XFormsEngine from '@getodk/xforms-engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileXlsform } from '@outpost/core';
import { installEngineGlobals } from '../forms/formEngine.js';
import { readWorkbook } from './readWorkbook.js';

type Engine = typeof XFormsEngine;
let engine: Engine;

beforeAll(async () => {
  await installEngineGlobals();
  engine = await import('@getodk/xforms-engine');
});

const fixtures = fileURLToPath(new URL('../../../../fixtures/xlsform/pyxform/example/', import.meta.url));
const names = readdirSync(fixtures)
  .filter((f) => f.endsWith('.xlsx'))
  .map((f) => f.replace(/\.xlsx$/, ''));

/** The survey columns an author fills in, by a short key; each row below names only the cells it sets. */
const SURVEY_COLUMNS = {
  type: 'type',
  name: 'name',
  en: 'label::English (en)',
  mn: 'label::Mongolian (mn)',
  hint: 'hint',
  guidance_hint: 'guidance_hint',
  required: 'required',
  relevant: 'relevant',
  constraint: 'constraint',
  constraint_message: 'constraint_message',
  calculation: 'calculation',
  default: 'default',
  appearance: 'appearance',
  parameters: 'parameters',
  choice_filter: 'choice_filter',
  repeat_count: 'repeat_count',
  sensitivity: 'sensitivity',
  save_to: 'save_to',
  image: 'image',
} as const;
type SurveyRow = Partial<Record<keyof typeof SURVEY_COLUMNS, string>>;

function surveySheet(rows: SurveyRow[]): string[][] {
  const keys = Object.keys(SURVEY_COLUMNS) as (keyof typeof SURVEY_COLUMNS)[];
  return [Object.values(SURVEY_COLUMNS), ...rows.map((row) => keys.map((key) => row[key] ?? ''))];
}

/** One form with every question type and most columns, typed as an author would. */
const KITCHEN_SINK: Record<string, string[][]> = {
  survey: surveySheet([
    { type: 'start', name: 'start' },
    { type: 'end', name: 'end' },
    { type: 'today', name: 'today' },
    { type: 'deviceid', name: 'deviceid' },
    { type: 'username', name: 'username' },
    { type: 'audit', name: 'audit', parameters: 'track-changes=true' },
    { type: 'start-geopoint', name: 'start_location' },
    {
      type: 'text',
      name: 'head',
      en: 'Head of household',
      mn: 'Өрхийн тэргүүн',
      hint: 'Full name',
      guidance_hint: 'As on the ID card',
      required: 'yes',
      sensitivity: 'identifying',
      save_to: 'head_name',
    },
    {
      type: 'integer',
      name: 'size',
      en: 'Household size',
      mn: 'Өрхийн хэмжээ',
      required: 'yes',
      constraint: '. > 0 and . < 30',
      constraint_message: 'Between 1 and 29',
      save_to: 'size',
    },
    {
      type: 'decimal',
      name: 'income',
      en: 'Monthly income',
      mn: 'Сарын орлого',
      relevant: '${size} > 0',
    },
    { type: 'range', name: 'rating', en: 'Rating', mn: 'Үнэлгээ', parameters: 'start=0 end=5 step=1' },
    { type: 'date', name: 'visit', en: 'Visit date', mn: 'Огноо', default: 'today()' },
    { type: 'time', name: 'at', en: 'Time', mn: 'Цаг' },
    { type: 'dateTime', name: 'when', en: 'When', mn: 'Хэзээ' },
    { type: 'select_one district', name: 'district', en: 'District', mn: 'Дүүрэг' },
    {
      type: 'select_one khoroo',
      name: 'khoroo',
      en: 'Khoroo',
      mn: 'Хороо',
      appearance: 'minimal',
      choice_filter: 'district=${district}',
    },
    { type: 'select_multiple benefits or_other', name: 'benefits', en: 'Benefits', mn: 'Тэтгэмж' },
    { type: 'rank benefits', name: 'priority', en: 'Priority', mn: 'Эрэмбэ' },
    { type: 'select_one_from_file schools.csv', name: 'school', en: 'School', mn: 'Сургууль' },
    {
      type: 'geopoint',
      name: 'location',
      en: 'Location',
      mn: 'Байршил',
      parameters: 'capture-accuracy=10',
      sensitivity: 'location',
    },
    { type: 'geotrace', name: 'route', en: 'Route', mn: 'Зам' },
    { type: 'geoshape', name: 'parcel', en: 'Parcel', mn: 'Талбай' },
    { type: 'image', name: 'photo', en: 'Photo', mn: 'Зураг', parameters: 'max-pixels=1024' },
    { type: 'audio', name: 'voice', en: 'Voice', mn: 'Дуу' },
    { type: 'video', name: 'clip', en: 'Clip', mn: 'Бичлэг' },
    { type: 'file', name: 'doc', en: 'Document', mn: 'Баримт' },
    { type: 'barcode', name: 'code', en: 'Barcode', mn: 'Баркод' },
    { type: 'acknowledge', name: 'consent', en: 'I agree', mn: 'Зөвшөөрч байна' },
    {
      type: 'note',
      name: 'summary',
      en: 'Size is ${size}',
      mn: 'Хэмжээ ${size}',
      image: 'logo.png',
    },
    { type: 'calculate', name: 'per_person', calculation: 'if(${size} > 0, ${income} div ${size}, 0)' },
    { type: 'hidden', name: 'source' },
    { type: 'begin group', name: 'details', en: 'Details', mn: 'Дэлгэрэнгүй', appearance: 'field-list' },
    {
      type: 'text',
      name: 'phone',
      en: 'Phone',
      mn: 'Утас',
      constraint: "regex(., '^[0-9]{8}$')",
    },
    { type: 'end group' },
    {
      type: 'begin repeat',
      name: 'member',
      en: 'Member',
      mn: 'Гишүүн',
      repeat_count: '${size}',
    },
    { type: 'text', name: 'member_name', en: 'Name', mn: 'Нэр', required: 'yes' },
    { type: 'integer', name: 'age', en: 'Age', mn: 'Нас', constraint: '. < 120' },
    {
      type: 'text',
      name: 'school_name',
      en: 'School',
      mn: 'Сургууль',
      relevant: '${age} < 18 and ${age} > 5',
    },
    { type: 'date', name: 'born', en: 'Born', mn: 'Төрсөн', default: 'today()' },
    { type: 'end repeat' },
    { type: 'trigger', name: 'done', en: 'Done', mn: 'Дууслаа' },
  ]),
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

function sheetsWorkbook(sheets: Record<string, string[][]>) {
  return {
    sheets: Object.entries(sheets).map(([name, rows]) => ({
      name,
      rows: rows.map((cells, i) => ({
        rowNumber: i + 1,
        cells: cells.map((value, c) => ({ column: letter(c), value })).filter((c) => c.value !== ''),
      })),
    })),
  };
}

/** Features compiled the way pyxform does, each checked here to load in the engine. */
const PYXFORM_FEATURES: Record<string, string[][]> = {
  survey: [
    [
      'type',
      'name',
      'label::English (en)',
      'label::French (fr)',
      'calculation',
      'trigger',
      'constraint',
      'constraint_message::English (en)',
      'bind::esri:fieldType',
      'bind::jr:noAppErrorString::English (en)',
      'bind::jr:noAppErrorString::French (fr)',
    ],
    ['text', 'child', 'Child', 'Enfant', '', '', '', '', 'esriFieldTypeString', 'No app', 'Pas d’application'],
    ['dateTime', 'child_changed', 'Changed', 'Changé', 'now()', '${child}', '', '', '', '', ''],
    ['background-geopoint', 'where', '', '', '', '${child}', '', '', '', '', ''],
    ['integer', 'max', 'Max', 'Max', '', '', '', '', '', '', ''],
    ['integer', 'n', 'N', 'N', '', '', '. <= ${max}', 'At most ${max}', '', '', ''],
    ['integer', 'double', '', '', '${n} * 2', '', '', '', '', '', ''],
    ['select_one who', 'carer', 'Carer', 'Soignant', '', '', '', '', '', '', ''],
    ['integer', 'm', 'M', 'M', '', '', '(. = -999 or. > 0)', '', '', '', ''],
    ['calculate', 'id', '', '', 'concat("hh-", ${instanceID})', '', '', '', '', '', ''],
    ['audit', '', '', '', '', '', '', '', '', '', ''],
  ],
  choices: [
    ['list_name', 'name', 'label::English (en)', 'label::French (fr)'],
    ['who', 'mother', 'Mother of ${child}', 'Mère de ${child}'],
    ['who', 'other', 'Someone else', 'Autre'],
  ],
  settings: [['namespaces'], ['esri="http://esri.com/xforms"']],
};

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

  it('triggers, background-geopoint, answers in choice labels and messages, translated app errors, namespaces, "or.", ${instanceID}, unnamed audit', async () => {
    const compiled = compileXlsform(sheetsWorkbook(PYXFORM_FEATURES), { fileName: 'features.xlsx' });
    if (!compiled.ok) throw new Error(compiled.errors.map((e) => e.message).join('\n'));
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

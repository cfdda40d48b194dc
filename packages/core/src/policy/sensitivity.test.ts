import { describe, expect, it } from 'vitest';
import { compileXlsform } from '../xlsform/compileXlsform.js';
import type { FormSummary, Workbook } from '../xlsform/types.js';
import { catalogueField, labelClassOf, policyCatalogue, sensitivityClassOf } from './sensitivity.js';

/** Each sheet is a header row followed by rows, as a form author types them. */
function compile(sheets: Record<string, string[][]>): FormSummary {
  const workbook: Workbook = {
    sheets: Object.entries(sheets).map(([name, rows]) => ({
      name,
      rows: rows.map((cells, i) => ({
        rowNumber: i + 1,
        cells: cells.map((value, c) => ({ column: String.fromCharCode(65 + c), value })).filter((c) => c.value !== ''),
      })),
    })),
  };
  const result = compileXlsform(workbook, { fileName: 'household.xlsx' });
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.form;
}

describe('policyCatalogue', () => {
  const form = compile({
    survey: [
      ['type', 'name', 'label', 'sensitivity', 'save_to'],
      ['begin_group', 'household', 'Household', '', ''],
      ['text', 'head_name', 'Head of household', 'identifying', 'head_name'],
      ['geopoint', 'location', 'Location', '', 'geometry'],
      ['integer', 'size', 'Size', 'normal', 'size'],
      ['end_group', '', '', '', ''],
      ['begin_repeat', 'members', 'Members', '', ''],
      ['text', 'health', 'Health', '', ''],
      ['end_repeat', '', '', '', ''],
    ],
    settings: [
      ['form_id', 'version', 'default_sensitivity'],
      ['household', '1', 'sensitive'],
    ],
    entities: [
      ['list_name', 'label'],
      ['households', '${head_name}'],
    ],
  });
  const catalogue = policyCatalogue([form]);

  it('keys data fields by their path below the root, repeats without indices', () => {
    expect(catalogueField(catalogue, 'household/head_name')?.class).toBe('identifying');
    expect(catalogueField(catalogue, '/data/members/health')?.class).toBe('sensitive');
    expect(catalogue.properties.get('size')?.class).toBe('normal');
  });

  it('marks geo questions as coordinates even when the form gives them another class', () => {
    // The form default (sensitive) applies to the geopoint; its coordinates are coarsened as well.
    expect(catalogue.properties.get('geometry')).toMatchObject({ class: 'sensitive', geo: true });
  });

  it('gives the entity label the class of the fields its expression reads', () => {
    expect(labelClassOf(catalogue, 'households')).toBe('identifying');
    const sizeLabel = { ...form, entities: { ...form.entities!, label: 'concat(/data/household/size)' } };
    expect(labelClassOf(policyCatalogue([sizeLabel]), 'households')).toBe('normal');
  });

  it('treats the label of a list no form labels as identifying', () => {
    expect(labelClassOf(catalogue, 'other_list')).toBe('identifying');
    expect(labelClassOf(policyCatalogue([]), 'households')).toBe('identifying');
    expect(policyCatalogue([]).instanceNameClass).toBe('identifying');
  });

  it('keeps the stricter class when two form versions disagree', () => {
    const older = { fields: [{ ...form.fields[0]!, sensitivity: null }] };
    expect(policyCatalogue([older, form]).properties.get('head_name')?.class).toBe('identifying');
    expect(policyCatalogue([form, older]).properties.get('head_name')?.class).toBe('identifying');
  });

  it('reads a misspelt class as identifying, so a typo hides rather than publishes', () => {
    expect(sensitivityClassOf(' Identifying ')).toBe('identifying');
    expect(sensitivityClassOf('senstive')).toBe('identifying');
    expect(sensitivityClassOf(null)).toBe('normal');
  });
});

describe('labels through calculates', () => {
  const fields = [
    {
      path: '/data/given',
      name: 'given',
      type: 'text',
      labels: {},
      sensitivity: 'identifying',
      saveTo: null,
      repeat: false,
    },
    { path: '/data/full', name: 'full', type: 'calculate', labels: {}, sensitivity: null, saveTo: null, repeat: false },
    {
      path: '/data/short',
      name: 'short',
      type: 'calculate',
      labels: {},
      sensitivity: null,
      saveTo: null,
      repeat: false,
    },
  ];
  const entities = {
    dataset: 'households',
    label: '/data/short',
    entityId: null,
    createIf: null,
    updateIf: null,
    properties: [],
  };

  it('follows calculates to the fields they read, transitively', () => {
    const calculations = { '/data/full': "concat(/data/given, ' x')", '/data/short': 'substr(/data/full, 0, 5)' };
    expect(labelClassOf(policyCatalogue([{ fields, entities, calculations }]), 'households')).toBe('identifying');
    // Without the calculations (as before), only the calculate's own class counted.
    expect(labelClassOf(policyCatalogue([{ fields, entities }]), 'households')).toBe('normal');
  });

  it('ends on calculates that read each other', () => {
    const calculations = { '/data/full': 'concat(/data/short)', '/data/short': 'concat(/data/full)' };
    expect(labelClassOf(policyCatalogue([{ fields, entities, calculations }]), 'households')).toBe('normal');
  });
});

import { describe, expect, it } from 'vitest';
import { bodyOf } from './body.js';
import { emitState, treeOf } from './workbook.test-support.js';
import { XmlElement } from './XmlElement.js';

function body(sheets: Parameters<typeof treeOf>[0]) {
  const ctx = treeOf(sheets);
  const state = emitState();
  const el = new XmlElement('h:body');
  for (const child of [...ctx.root.children]) bodyOf(ctx, state, child, el);
  return { ctx, state, xml: el.toString() };
}

describe('body', () => {
  it('a select with a choice filter reads its filtered list instance', () => {
    const { xml } = body({
      survey: [
        ['type', 'name', 'label', 'choice_filter'],
        ['select_one region', 'region', 'Region', ''],
        ['select_one district', 'district', 'District', 'region = ${region}'],
      ],
      choices: [
        ['list_name', 'name', 'label', 'region'],
        ['region', 'n', 'North', ''],
        ['district', 'd1', 'D1', 'n'],
      ],
    });
    expect(xml).toMatch(/<itemset nodeset="instance\('district'\)\/root\/item\[region = +\/data\/region \]">/);
  });

  it('a computed repeat_count gets a generated calculate before the repeat', () => {
    const { ctx, state, xml } = body({
      survey: [
        ['type', 'name', 'label', 'repeat_count'],
        ['integer', 'n', 'N', ''],
        ['begin repeat', 'r', 'R', '${n} + 1'],
        ['text', 't', 'T', ''],
        ['end repeat', '', '', ''],
      ],
    });
    expect(ctx.root.children.map((c) => c.name)).toEqual(['n', 'r_count', 'r']);
    expect(xml).toContain('<repeat nodeset="/data/r" jr:count=" /data/r_count ">');
    expect(state.binds.map(String)).toContain(
      '<bind nodeset="/data/r_count" readonly="true()" type="string" calculate=" /data/n  + 1"/>',
    );
  });

  it('each shown question is recorded as a field with its labels', () => {
    const { state } = body({
      survey: [
        ['type', 'name', 'label', 'sensitivity'],
        ['text', 'name', 'Name', 'personal'],
        ['calculate', 'c', '', ''],
      ],
    });
    expect(state.fields[0]).toEqual({
      path: '/data/name',
      name: 'name',
      type: 'text',
      labels: { default: 'Name' },
      sensitivity: 'personal',
      saveTo: null,
      repeat: false,
    });
  });
});

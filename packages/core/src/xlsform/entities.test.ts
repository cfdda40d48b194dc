import { describe, expect, it } from 'vitest';
import { emitEntities } from './entities.js';
import { readSheet } from './sheetTable.js';
import { emitState, treeOf, workbook } from './workbook.test-support.js';
import { XmlElement } from './XmlElement.js';

const survey = [
  ['type', 'name', 'label'],
  ['text', 'hh', 'Household'],
];

function entities(rows: string[][]) {
  const ctx = treeOf({ survey });
  const table = readSheet(workbook({ entities: rows }).sheets[0] as never, { errors: [], warnings: [] });
  const state = emitState({ entities: table });
  const meta = new XmlElement('meta');
  const spec = emitEntities(ctx, table, meta, state);
  return { ctx, state, meta: meta.toString(), spec };
}

describe('entities', () => {
  it('a form that creates: a new id on first load and the label bound', () => {
    const { meta, state, spec } = entities([
      ['list_name', 'label'],
      ['households', '${hh}'],
    ]);
    expect(meta).toContain('<entity dataset="households" id="" create="1">');
    expect(state.modelActions.map(String)).toEqual([
      '<setvalue event="odk-instance-first-load" ref="/data/meta/entity/@id" value="uuid()"/>',
    ]);
    expect(spec?.label).toBe(' /data/hh ');
  });

  it('a form that updates reads the base version from the list', () => {
    const { meta, state } = entities([
      ['list_name', 'entity_id'],
      ['households', '${hh}'],
    ]);
    expect(meta).toContain('update="1" baseVersion="" trunkVersion="" branchId=""');
    expect(state.binds.map(String)).toContain(
      `<bind nodeset="/data/meta/entity/@baseVersion" calculate="instance('households')/root/item[name= /data/hh ]/__version" type="string" readonly="true()"/>`,
    );
  });

  it('a form that creates without a label is refused', () => {
    const { ctx } = entities([['list_name'], ['households']]);
    expect(ctx.issues.map((i) => i.code)).toEqual(['xlsform.entities-no-label']);
  });
});

import { describe, expect, it } from 'vitest';
import { compileXlsform } from '../xlsform/index.js';
import { workbook } from '../xlsform/workbook.test-support.js';
import { parseXml } from '../xml/index.js';
import { entityBlocks, formEntityLists, readEntityDeclarations } from './entityDeclaration.js';

// A household registration that also registers each member as a case of its own (entities in a
// repeat) and the household in a second list: the form summary the compiler gives the server.
const compiled = compileXlsform(
  workbook({
    survey: [
      ['type', 'name', 'label', 'save_to'],
      ['text', 'hh_name', 'Household', 'households#hh_name'],
      ['begin_repeat', 'member', 'Member', ''],
      ['text', 'member_name', 'Name', 'people#full_name'],
      ['integer', 'age', 'Age', 'people#age'],
      ['end_repeat', '', '', ''],
    ],
    entities: [
      ['list_name', 'label'],
      ['households', '${hh_name}'],
      ['people', '${member_name}'],
    ],
  }),
  { fileName: 'members.xlsx' },
);
if (!compiled.ok) throw new Error(compiled.errors.map((e) => e.message).join('\n'));
const specs = formEntityLists(compiled.form);

const ids = [
  '0d8a1c8e-1111-4c11-8111-111111111111',
  '0d8a1c8e-2222-4c22-8222-222222222222',
  '0d8a1c8e-3333-4c33-8333-333333333333',
];

function member(id: string, name: string, age: string): string {
  return `<member><member_name>${name}</member_name><age>${age}</age><meta><entity dataset="people" id="${id}" create="1"><label>${name}</label></entity></meta></member>`;
}

function instance(members: string): ReturnType<typeof parseXml> {
  return parseXml(
    `<data id="members"><hh_name>Dorj</hh_name>${members}<meta><instanceID>uuid:x</instanceID><entity dataset="households" id="${ids[0]}" create="1"><label>Dorj</label></entity></meta></data>`,
  );
}

describe('reading every entity block of an instance', () => {
  it('the household from the survey meta and one person per member, each with its own answers', () => {
    const read = readEntityDeclarations(
      instance(member(ids[1] as string, 'Bold', '40') + member(ids[2] as string, 'Saraa', '38')),
      specs,
    );
    if (!read.ok) throw new Error(read.detail);
    expect(read.declarations.map((d) => [d.dataset, d.entityId, d.label, d.properties])).toEqual([
      ['households', ids[0], 'Dorj', { hh_name: 'Dorj' }],
      ['people', ids[1], 'Bold', { full_name: 'Bold', age: '40' }],
      ['people', ids[2], 'Saraa', { full_name: 'Saraa', age: '38' }],
    ]);
  });

  it('a household without members makes only the household', () => {
    const read = readEntityDeclarations(instance(''), specs);
    expect(read.ok && read.declarations.map((d) => d.dataset)).toEqual(['households']);
  });

  it('a malformed block in the second member is named by its position', () => {
    const read = readEntityDeclarations(
      instance(member(ids[1] as string, 'Bold', '40') + member('not-a-uuid', 'Saraa', '38')),
      specs,
    );
    expect(read).toEqual({
      ok: false,
      field: '/data/member[2]/meta/entity/@id',
      detail: 'The entity id is not a UUID.',
    });
  });

  it('a member block naming another list is refused', () => {
    const wrong = member(ids[1] as string, 'Bold', '40').replace('dataset="people"', 'dataset="households"');
    const read = readEntityDeclarations(instance(wrong), specs);
    expect(read.ok).toBe(false);
  });

  it('finds every block, in the survey meta and in each repeat instance', () => {
    const blocks = entityBlocks(
      instance(member(ids[1] as string, 'Bold', '40') + member(ids[2] as string, 'Saraa', '38')),
    );
    expect(blocks.map((b) => b.path)).toEqual([
      '/data/member[1]/meta/entity',
      '/data/member[2]/meta/entity',
      '/data/meta/entity',
    ]);
  });

  it('forms stored before several lists existed still read their one list', () => {
    expect(formEntityLists({ entities: specs[0] ?? null })).toEqual([specs[0]]);
    expect(formEntityLists({ entities: null })).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { compile, errorIssues, xform } from './workbook.test-support.js';

const household = [
  ['type', 'name', 'label', 'save_to'],
  ['text', 'hh', 'Household', ''],
];

function compiled(survey: string[][], entities: string[][]) {
  const result = compile({ survey, entities });
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result;
}

describe('entities at the survey level', () => {
  it('a form that creates: a new id on first load and the label bound', () => {
    const result = compiled(household, [
      ['list_name', 'label'],
      ['households', '${hh}'],
    ]);
    expect(result.xform).toContain('<entity dataset="households" id="" create="1">');
    expect(result.xform).toContain(
      '<setvalue event="odk-instance-first-load" ref="/data/meta/entity/@id" value="uuid()"/>',
    );
    expect(result.xform).toContain('entities:entities-version="2024.1.0"');
    expect(result.form.entities?.label).toBe(' /data/hh ');
    expect(result.form.entities?.repeat).toBeNull();
  });

  it('a form that updates reads the base version from the list and gets no new id', () => {
    const result = compiled(household, [
      ['list_name', 'entity_id'],
      ['households', '${hh}'],
    ]);
    expect(result.xform).toContain('update="1" baseVersion="" trunkVersion="" branchId=""');
    expect(result.xform).toContain(
      `<bind nodeset="/data/meta/entity/@baseVersion" calculate="instance('households')/root/item[name= /data/hh ]/__version" type="string" readonly="true()"/>`,
    );
    expect(result.xform).not.toContain('<setvalue');
  });

  it('a form that creates without a label is refused', () => {
    expect(errorIssues({ survey: household, entities: [['list_name'], ['households']] }).map((i) => i.code)).toEqual([
      'xlsform.entities-no-label',
    ]);
  });
});

const members = [
  ['type', 'name', 'label', 'save_to'],
  ['text', 'hh_name', 'Household name', ''],
  ['begin_repeat', 'member', 'Member', ''],
  ['text', 'member_name', 'Name', 'full_name'],
  ['integer', 'age', 'Age', 'age'],
  ['end_repeat', '', '', ''],
];

describe('entities in a repeat (one entity per repeat instance)', () => {
  const result = compiled(members, [
    ['list_name', 'label'],
    ['people', 'concat(${member_name}, " of ", ${hh_name})'],
  ]);

  it('puts meta/entity in the repeat template and instance, not at the survey level', () => {
    expect(result.xform).toContain('entities:entities-version="2025.1.0"');
    const template = /<member jr:template="">([\s\S]*?)<\/member>/.exec(result.xform)?.[1] ?? '';
    expect(template).toMatch(
      /<meta>\s*<entity dataset="people" id="" create="1">\s*<label\/>\s*<\/entity>\s*<\/meta>\s*$/,
    );
    const instances = result.xform.match(/<meta>\s*<entity dataset="people"/g) ?? [];
    expect(instances).toHaveLength(2);
    expect(result.xform).toMatch(/<meta>\s*<instanceID\/>\s*<\/meta>/);
  });

  it('gives each new repeat instance an id, and the first one on load', () => {
    expect(result.xform).toContain(
      '<setvalue event="odk-instance-first-load" ref="/data/member/meta/entity/@id" value="uuid()"/>',
    );
    expect(result.xform).toMatch(
      /<repeat nodeset="\/data\/member">\s*<setvalue event="odk-new-repeat" ref="\/data\/member\/meta\/entity\/@id" value="uuid\(\)"\/>/,
    );
  });

  it('resolves the label inside the instance and outside it absolutely, as pyxform does', () => {
    expect(result.xform).toContain(
      `<bind nodeset="/data/member/meta/entity/label" calculate="concat( ../../../member_name , &quot; of &quot;,  /data/hh_name )" type="string" readonly="true()"/>`,
    );
  });

  it('describes the properties and the repeat in the form summary', () => {
    expect(result.form.entityLists).toEqual([
      {
        dataset: 'people',
        label: 'concat( ../../../member_name , " of ",  /data/hh_name )',
        entityId: null,
        createIf: null,
        updateIf: null,
        repeat: '/data/member',
        properties: [
          { property: 'full_name', path: '/data/member/member_name' },
          { property: 'age', path: '/data/member/age' },
        ],
      },
    ]);
    expect(result.xform).toContain(
      '<bind nodeset="/data/member/member_name" type="string" entities:saveto="full_name"/>',
    );
  });

  it('a list referring only to a repeat question is placed in that repeat', () => {
    const only = xform({
      survey: members.map((r) => r.slice(0, 3)),
      entities: [
        ['list_name', 'label'],
        ['people', '${member_name}'],
      ],
    });
    expect(only).toContain('ref="/data/member/meta/entity/@id"');
  });
});

describe('several entity lists', () => {
  const twoLists = [
    ['type', 'name', 'label', 'save_to'],
    ['text', 'hh_name', 'Household name', 'households#hh_name'],
    ['text', 'village', 'Village', 'households#village'],
    ['begin_repeat', 'member', 'Member', ''],
    ['text', 'member_name', 'Name', 'people#full_name'],
    ['text', 'member_village', 'Village', 'people#village'],
    ['end_repeat', '', '', ''],
  ];
  const entities = [
    ['list_name', 'label'],
    ['households', '${hh_name}'],
    ['people', '${member_name}'],
  ];

  it('a household at the survey level and its members in the repeat, each list with its own properties', () => {
    const result = compiled(twoLists, entities);
    expect(result.form.entityLists?.map((l) => [l.dataset, l.repeat, l.properties.map((p) => p.property)])).toEqual([
      ['households', null, ['hh_name', 'village']],
      ['people', '/data/member', ['full_name', 'village']],
    ]);
    expect(result.form.entities?.dataset).toBe('households');
    // The bind carries the property name only, as pyxform writes it.
    expect(result.xform).toContain('entities:saveto="village"');
    expect(result.xform).not.toContain('people#');
  });

  it('a save_to without its list is refused when there are two lists', () => {
    const survey = twoLists.map((r) => (r[1] === 'village' ? [...r.slice(0, 3), 'village'] : r));
    expect(errorIssues({ survey, entities }).map((i) => [i.code, i.row])).toEqual([['xlsform.save-to-needs-list', 3]]);
  });

  it('a save_to naming a list the entities sheet lacks is refused', () => {
    const survey = twoLists.map((r) => (r[1] === 'village' ? [...r.slice(0, 3), 'farms#village'] : r));
    expect(errorIssues({ survey, entities }).map((i) => i.code)).toEqual(['xlsform.save-to-unknown-list']);
  });

  it('the same list twice is refused', () => {
    const codes = errorIssues({
      survey: twoLists,
      entities: [...entities, ['people', '${member_name}']],
    }).map((i) => i.code);
    expect(codes).toEqual(['xlsform.entities-duplicate-list']);
  });

  it('two lists in one scope with no group to place one in are refused, as pyxform does', () => {
    const issues = errorIssues({
      survey: [
        ['type', 'name', 'label', 'save_to'],
        ['text', 'a', 'A', 'e1#p1'],
        ['text', 'b', 'B', 'e2#p2'],
      ],
      entities: [
        ['list_name', 'label'],
        ['e1', 'E1'],
        ['e2', 'E2'],
      ],
    });
    expect(issues.map((i) => [i.code, i.row])).toEqual([['xlsform.entities-placement', 3]]);
  });

  it('a save_to outside the repeat its list is made in is refused', () => {
    const issues = errorIssues({
      survey: [
        ['type', 'name', 'label', 'save_to'],
        ['text', 'village', 'Village', 'people#village'],
        ['begin_repeat', 'member', 'Member', ''],
        ['text', 'member_name', 'Name', 'people#full_name'],
        ['end_repeat', '', '', ''],
      ],
      entities: [
        ['list_name', 'label'],
        ['people', '${member_name}'],
      ],
    });
    expect(issues.map((i) => [i.code, i.row])).toEqual([['xlsform.save-to-scope', 2]]);
  });

  it('questions of one list in two sibling repeats are refused', () => {
    const issues = errorIssues({
      survey: [
        ['type', 'name', 'label', 'save_to'],
        ['begin_repeat', 'r1', 'R1', ''],
        ['text', 'a', 'A', 'p1'],
        ['end_repeat', '', '', ''],
        ['begin_repeat', 'r2', 'R2', ''],
        ['text', 'b', 'B', 'p2'],
        ['end_repeat', '', '', ''],
      ],
      entities: [
        ['list_name', 'label'],
        ['e1', 'E1'],
      ],
    });
    expect(issues.map((i) => i.code)).toEqual(['xlsform.entities-scope-conflict']);
  });
});

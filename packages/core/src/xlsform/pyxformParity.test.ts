import { describe, expect, it } from 'vitest';
import { compile, errorIssues, warnings, xform, type Sheets } from './workbook.test-support.js';

const codes = (sheets: Sheets): string[] => errorIssues(sheets).map((e) => e.code);

describe('what real forms trip on first', () => {
  it('"or." glued to the context node, as ODK\'s engine reads it', () => {
    const xml = xform({
      survey: [
        ['type', 'name', 'label', 'constraint'],
        ['integer', 'n', 'N', '(. = -999 or. > 0)'],
      ],
    });
    expect(xml).toContain('constraint="(. = -999 or. &gt; 0)"');
  });

  it('a non-breaking space inside a formula becomes a space', () => {
    const xml = xform({
      survey: [
        ['type', 'name', 'label', 'relevant'],
        ['integer', 'a', 'A', ''],
        ['integer', 'b', 'B', '${a}\u00a0>\u00a00'],
      ],
    });
    expect(xml).toContain('relevant=" /data/a  &gt; 0"');
  });

  it('a stray choices row with only translated text and no list or name is ignored', () => {
    const xml = xform({
      survey: [
        ['type', 'name', 'label'],
        ['select_one yn', 'q', 'Q'],
      ],
      choices: [
        ['list_name', 'name', 'label', 'label::French'],
        ['yn', 'yes', 'Yes', 'Oui'],
        ['', '', '', 'Non'],
      ],
    });
    expect(xml).not.toContain('Non');
  });

  it('the choices "value" column is read as "name"', () => {
    expect(
      xform({
        survey: [
          ['type', 'name', 'label'],
          ['select_one yn', 'q', 'Q'],
        ],
        choices: [
          ['list_name', 'value', 'label'],
          ['yn', 'yes', 'Yes'],
        ],
      }),
    ).toContain('<name>yes</name>');
  });
});

describe('features real forms use', () => {
  it('${instanceID} is the form instance id under meta', () => {
    expect(
      xform({
        survey: [
          ['type', 'name', 'label', 'calculation'],
          ['calculate', 'id', '', 'concat("hh-", ${instanceID})'],
        ],
      }),
    ).toContain('calculate="concat(&quot;hh-&quot;,  /data/meta/instanceID )"');
  });

  it('a predicate after a reference stays a predicate', () => {
    expect(
      xform({
        survey: [
          ['type', 'name', 'label', 'calculation'],
          ['begin repeat', 'rep', 'R', ''],
          ['text', 'x', 'X', ''],
          ['end repeat', '', '', ''],
          ['calculate', 'first', '', '${rep}[position()=1]/x'],
        ],
      }),
    ).toContain('calculate=" /data/rep [position()=1]/x"');
  });

  it('audit with a blank name is named "audit"', () => {
    expect(
      xform({
        survey: [
          ['type', 'name', 'label'],
          ['audit', '', ''],
          ['text', 'a', 'A'],
        ],
      }),
    ).toContain('<bind nodeset="/data/meta/audit" type="binary"/>');
  });

  it('a calculate with only a dynamic default is set once on first load', () => {
    expect(
      xform({
        survey: [
          ['type', 'name', 'label', 'default'],
          ['calculate', 'started', '', 'now()'],
        ],
      }),
    ).toContain('<setvalue event="odk-instance-first-load" ref="/data/started" value="now()"/>');
  });
});

describe('not supported yet, said so (not blamed on the form)', () => {
  it.each<[string, Sheets]>([
    [
      '${last-saved#x}',
      {
        survey: [
          ['type', 'name', 'label', 'default'],
          ['text', 'v', 'V', '${last-saved#v}'],
        ],
      },
    ],
    [
      'select_one ${repeat question}',
      {
        survey: [
          ['type', 'name', 'label'],
          ['begin repeat', 'kids', 'Kids'],
          ['text', 'kid', 'Kid'],
          ['end repeat', '', ''],
          ['select_one ${kid}', 'fav', 'Favourite'],
        ],
      },
    ],
    [
      'search() appearance',
      {
        survey: [
          ['type', 'name', 'label', 'appearance'],
          ['select_one fruit', 'f', 'Fruit', "search('fruits')"],
        ],
        choices: [
          ['list_name', 'name', 'label'],
          ['fruit', 'name_key', 'name'],
        ],
      },
    ],
  ])('%s', (_, sheets) => {
    expect(codes(sheets)).toEqual(['xlsform.not-supported-yet']);
  });
});

describe('names pyxform refuses', () => {
  it('"meta" is reserved', () => {
    expect(
      codes({
        survey: [
          ['type', 'name', 'label'],
          ['text', 'meta', 'M'],
        ],
      }),
    ).toEqual(['xlsform.reserved-name']);
  });

  it('a question taking the generated <repeat>_count name', () => {
    const [e] = errorIssues({
      survey: [
        ['type', 'name', 'label', 'repeat_count'],
        ['integer', 'n', 'N', ''],
        ['text', 'r_count', 'X', ''],
        ['begin repeat', 'r', 'R', '${n} + 1'],
        ['text', 't', 'T', ''],
        ['end repeat', '', '', ''],
      ],
    });
    expect(e).toMatchObject({ code: 'xlsform.reserved-name', row: 3 });
  });

  it('two repeats with one name, even in different groups', () => {
    expect(
      codes({
        survey: [
          ['type', 'name', 'label'],
          ['begin group', 'g1', 'G1'],
          ['begin repeat', 'r', 'R'],
          ['text', 'a', 'A'],
          ['end repeat', '', ''],
          ['end group', '', ''],
          ['begin repeat', 'r', 'R'],
          ['text', 'b', 'B'],
          ['end repeat', '', ''],
        ],
      }),
    ).toEqual(['xlsform.reserved-name']);
  });

  it('names differing only in case are a warning', () => {
    expect(
      warnings({
        survey: [
          ['type', 'name', 'label'],
          ['text', 'Age', 'A'],
          ['text', 'age', 'B'],
        ],
      }).map((w) => w.code),
    ).toEqual(['xlsform.name-case-twin']);
  });
});

describe('sheets and headers', () => {
  it('a misspelt choices sheet is named in the refusal', () => {
    const errors = errorIssues({
      survey: [
        ['type', 'name', 'label'],
        ['select_one yn', 'q', 'Q'],
      ],
      choice: [
        ['list_name', 'name', 'label'],
        ['yn', 'yes', 'Yes'],
      ],
    });
    expect(errors.map((e) => e.code)).toEqual(['xlsform.missing-choice-list', 'xlsform.sheet-misspelt']);
    expect(errors[1]?.message).toBe(
      'choice sheet: there is no "choices" sheet; if this sheet is meant to be it, rename it to "choices" (as it is, it is ignored)',
    );
  });

  it('the same header twice is refused', () => {
    expect(
      codes({
        survey: [
          ['type', 'name', 'label', 'label'],
          ['text', 'q', 'Q', 'Q2'],
        ],
      }),
    ).toEqual(['xlsform.duplicate-column']);
  });

  it('two names for one column keep the first, with a warning', () => {
    const result = compile({
      survey: [
        ['type', 'name', 'label', 'relevant', 'relevance'],
        ['integer', 'a', 'A', '', ''],
        ['text', 'q', 'Q', '${a} > 1', '${a} > 2'],
      ],
    });
    if (!result.ok) throw new Error(result.errors[0]?.message);
    expect(result.warnings.map((w) => w.code)).toEqual(['xlsform.alias-column']);
    expect(result.xform).toContain('relevant=" /data/a  &gt; 1"');
  });
});

describe('the entities sheet as pyxform checks it', () => {
  const survey = [
    ['type', 'name', 'label', 'save_to'],
    ['text', 'hh', 'Household', 'head'],
  ];
  it('an unknown column', () => {
    expect(
      codes({
        survey,
        entities: [
          ['list_name', 'label', 'lable'],
          ['households', '${hh}', 'x'],
        ],
      }),
    ).toEqual(['xlsform.entities-unknown-column']);
  });

  it('update_if without entity_id', () => {
    expect(
      codes({
        survey,
        entities: [
          ['list_name', 'label', 'update_if'],
          ['households', '${hh}', '${hh} != ""'],
        ],
      }),
    ).toEqual(['xlsform.entities-update-without-id']);
  });

  it('create_if and entity_id (an upsert) without update_if', () => {
    expect(
      codes({
        survey,
        entities: [
          ['list_name', 'label', 'entity_id', 'create_if'],
          ['households', '${hh}', '${hh}', 'true()'],
        ],
      }),
    ).toEqual(['xlsform.entities-upsert-without-update-if']);
  });

  it('save_to on a group row', () => {
    expect(
      codes({
        survey: [
          ['type', 'name', 'label', 'save_to'],
          ['begin group', 'g', 'G', 'grp'],
          ['text', 'hh', 'Household', ''],
          ['end group', '', '', ''],
        ],
        entities: [
          ['list_name', 'label'],
          ['households', '${hh}'],
        ],
      }),
    ).toEqual(['xlsform.save-to-group']);
  });
});

describe('attached files and the form name', () => {
  it('one instance id for two different files is refused', () => {
    const [e] = errorIssues({
      survey: [
        ['type', 'name', 'label', 'calculation'],
        ['calculate', 'price', '', 'pulldata("fruits", "price", "name", "apple")'],
        ['select_one_from_file fruits.xml', 'fruit', 'Fruit', ''],
      ],
    });
    expect(e).toMatchObject({ code: 'xlsform.instance-conflict', row: 3 });
  });

  it('the same file used twice is one instance', () => {
    expect(
      xform({
        survey: [
          ['type', 'name', 'label'],
          ['select_one_from_file fruits.csv', 'a', 'A'],
          ['select_multiple_from_file fruits.csv', 'b', 'B'],
        ],
      }).match(/<instance id="fruits"/g),
    ).toHaveLength(1);
  });

  it('a form name that is not an XML name is refused at the settings cell', () => {
    const [e] = errorIssues({
      survey: [
        ['type', 'name', 'label'],
        ['text', 'a', 'A'],
      ],
      settings: [['name'], ['household survey']],
    });
    expect(e).toMatchObject({ code: 'xlsform.invalid-form-name', sheet: 'settings', row: 2 });
  });
});

it('search() with a select from file is refused, as pyxform does', () => {
  expect(
    codes({
      survey: [
        ['type', 'name', 'label', 'appearance'],
        ['select_one_from_file fruits.csv', 'f', 'Fruit', "search('fruits')"],
      ],
    }),
  ).toEqual(['xlsform.search-from-file']);
});

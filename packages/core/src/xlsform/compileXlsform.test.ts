import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, errors, xform } from './workbook.test-support.js';

describe('errors name the sheet, row and column', () => {
  it('unknown ${reference} in a calculation', () => {
    expect(
      errors({
        survey: [
          ['type', 'name', 'label', 'calculation'],
          ['integer', 'age', 'Age', ''],
          ['calculate', 'double', '', '${agee} * 2'],
        ],
      }),
    ).toEqual([
      'survey sheet, row 3, column "calculation" (D): unknown reference ${agee}: no question is named "agee"',
    ]);
  });

  it('unknown question type', () => {
    const result = compile({
      survey: [
        ['type', 'name', 'label'],
        ['txt', 'a', 'A'],
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toEqual({
      code: 'xlsform.unknown-type',
      sheet: 'survey',
      row: 2,
      column: '"type" (A)',
      message: 'survey sheet, row 2, column "type" (A): unknown question type "txt"',
    });
  });

  it('a question without a name', () => {
    expect(
      errors({
        survey: [
          ['type', 'name', 'label'],
          ['text', '', 'Your name?'],
        ],
      }),
    ).toEqual(['survey sheet, row 2: the text question has no name']);
  });

  it('two questions with the same name in one group', () => {
    expect(
      errors({
        survey: [
          ['type', 'name', 'label'],
          ['text', 'a', 'A'],
          ['integer', 'a', 'A again'],
        ],
      }),
    ).toEqual(['survey sheet, row 3, column "name" (B): the name "a" is already used on row 2 in the same group']);
  });

  it('an end repeat that closes a group', () => {
    expect(
      errors({
        survey: [
          ['type', 'name', 'label'],
          ['begin group', 'g', 'G'],
          ['text', 'a', 'A'],
          ['end repeat', '', ''],
        ],
      })[0],
    ).toBe(
      'survey sheet, row 4, column "type" (A): "end repeat" does not match: expected "end group" for the group "g" that starts on row 2',
    );
  });

  it('a group that is never closed', () => {
    expect(
      errors({
        survey: [
          ['type', 'name', 'label'],
          ['begin repeat', 'people', 'People'],
          ['text', 'a', 'A'],
        ],
      }),
    ).toEqual(['survey sheet, row 2, column "type" (A): the repeat "people" is never closed: add an "end repeat" row']);
  });

  it('a select whose choice list does not exist', () => {
    expect(
      errors({
        survey: [
          ['type', 'name', 'label'],
          ['select_one yesno', 'ok', 'OK?'],
        ],
        choices: [
          ['list_name', 'name', 'label'],
          ['yes_no', 'yes', 'Yes'],
        ],
      }),
    ).toEqual(['survey sheet, row 2, column "type" (A): the choice list "yesno" is not on the choices sheet']);
  });

  it('a choice without a name', () => {
    expect(
      errors({
        survey: [
          ['type', 'name', 'label'],
          ['select_one yes_no', 'ok', 'OK?'],
        ],
        choices: [
          ['list_name', 'name', 'label'],
          ['yes_no', 'yes', 'Yes'],
          ['yes_no', '', 'No'],
        ],
      }),
    ).toEqual(['choices sheet, row 3: the choice in list "yes_no" has no name']);
  });

  it('a calculation that is not an expression', () => {
    const [message] = errors({
      survey: [
        ['type', 'name', 'label', 'calculation'],
        ['calculate', 'c', '', "because pyxform doesn't know"],
      ],
    });
    expect(message).toMatch(/^survey sheet, row 2, column "calculation" \(D\): this is not a valid expression: /);
  });

  it('an unbalanced bracket in a relevant', () => {
    const [message] = errors({
      survey: [
        ['type', 'name', 'label', 'relevant'],
        ['integer', 'a', 'A', ''],
        ['text', 'b', 'B', '(${a} > 3'],
      ],
    });
    expect(message).toMatch(
      /^survey sheet, row 3, column "relevant" \(D\): this is not a valid expression: expected "\)"/,
    );
  });

  it('headers and types are matched case-insensitively, and the header is quoted as written', () => {
    expect(
      errors({
        SURVEY: [
          ['TYPE', 'NAME', 'LABEL', 'Relevant'],
          ['TEXT', 'a', 'A', '${b} = 1'],
        ],
      }),
    ).toEqual(['SURVEY sheet, row 2, column "Relevant" (D): unknown reference ${b}: no question is named "b"']);
  });
});

describe('compiled XForm', () => {
  it('resolves references inside a repeat relative to the repeat instance', () => {
    const xml = xform({
      survey: [
        ['type', 'name', 'label', 'relevant'],
        ['integer', 'count', 'How many?', ''],
        ['begin repeat', 'person', 'Person', ''],
        ['integer', 'age', 'Age', ''],
        ['text', 'job', 'Job', '${age} >= 16 and ${count} > 0'],
        ['end repeat', '', '', ''],
      ],
    });
    expect(xml).toContain(
      '<bind nodeset="/data/person/job" relevant=" ../age  &gt;= 16 and  /data/count  &gt; 0" type="string"/>',
    );
    expect(xml).toContain('<person jr:template="">');
  });

  it('puts translations into itext with one translation per language', () => {
    const result = compile({
      survey: [
        ['type', 'name', 'label::English (en)', 'label::Mongolian (mn)'],
        ['text', 'name', 'Name', 'Нэр'],
      ],
      settings: [['default_language'], ['English (en)']],
    });
    if (!result.ok) throw new Error('rejected');
    expect(result.xform).toContain('<translation lang="English (en)" default="true()">');
    expect(result.xform).toContain('<translation lang="Mongolian (mn)">');
    expect(result.xform).toContain('<value>Нэр</value>');
    expect(result.xform).toContain(`<label ref="jr:itext('/data/name:label')"/>`);
    expect(result.form.languages).toEqual(['English (en)', 'Mongolian (mn)']);
    expect(result.form.fields[0]?.labels).toEqual({ 'English (en)': 'Name', 'Mongolian (mn)': 'Нэр' });
  });

  it('escapes XML in labels and turns ${refs} into outputs', () => {
    const xml = xform({
      survey: [
        ['type', 'name', 'label'],
        ['integer', 'a', 'A & B'],
        ['note', 'n', 'Is ${a} < 3?'],
      ],
    });
    expect(xml).toContain('<label>A &amp; B</label>');
    expect(xml).toContain('<label>Is <output value=" /data/a "/> &lt; 3?</label>');
  });

  it('records sensitivity and entity properties in the field catalogue', () => {
    const result = compile({
      survey: [
        ['type', 'name', 'label', 'sensitivity', 'save_to'],
        ['text', 'head', 'Head of household', 'identifying', 'head_name'],
        ['geopoint', 'where', 'Location', 'location', ''],
        ['integer', 'size', 'Household size', '', 'size'],
      ],
      settings: [
        ['form_id', 'version', 'default_sensitivity'],
        ['hh', '2024010101', 'sensitive'],
      ],
      entities: [
        ['list_name', 'label'],
        ['households', 'concat(${head}, " (", ${size}, ")")'],
      ],
    });
    if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
    expect(result.form.fields.map((f) => [f.path, f.sensitivity, f.saveTo])).toEqual([
      ['/data/head', 'identifying', 'head_name'],
      ['/data/where', 'location', null],
      ['/data/size', 'sensitive', 'size'],
    ]);
    expect(result.form.entities).toEqual({
      dataset: 'households',
      label: 'concat( /data/head , " (",  /data/size , ")")',
      entityId: null,
      createIf: null,
      updateIf: null,
      properties: [
        { property: 'head_name', path: '/data/head' },
        { property: 'size', path: '/data/size' },
      ],
      repeat: null,
    });
    expect(result.xform).toContain('entities:entities-version="2024.1.0"');
    expect(result.xform).toContain('<entity dataset="households" id="" create="1">');
    expect(result.xform).toContain('entities:saveto="head_name"');
    expect(result.xform).toContain(
      '<setvalue event="odk-instance-first-load" ref="/data/meta/entity/@id" value="uuid()"/>',
    );
    expect(result.xform).not.toContain('identifying');
  });

  it('emits an update entity with version attributes when entity_id is given', () => {
    const xml = xform({
      survey: [
        ['type', 'name', 'label'],
        ['select_one_from_file households.csv', 'hh', 'Household'],
        ['integer', 'size', 'Size'],
      ],
      entities: [
        ['list_name', 'entity_id', 'update_if'],
        ['households', '${hh}', "${size} != ''"],
      ],
    });
    expect(xml).toContain('<entity dataset="households" id="" update="1" baseVersion="" trunkVersion="" branchId=""/>');
    expect(xml).toContain(`calculate="instance('households')/root/item[name= /data/hh ]/__trunkVersion"`);
    expect(xml).toContain('<instance id="households" src="jr://file-csv/households.csv"/>');
  });

  it('rejects save_to on a reserved property name', () => {
    expect(
      errors({
        survey: [
          ['type', 'name', 'label', 'save_to'],
          ['text', 'n', 'Name', 'label'],
        ],
        entities: [
          ['list_name', 'label'],
          ['people', '${n}'],
        ],
      }),
    ).toEqual([
      'survey sheet, row 2, column "save_to" (D): "label" is reserved for the entity itself and cannot be a property name',
    ]);
  });

  it('expands a loop into one group per choice', () => {
    const xml = xform({
      survey: [
        ['type', 'name', 'label'],
        ['begin loop over animals', 'count', ''],
        ['integer', 'n', 'How many %(label)s?'],
        ['end loop', '', ''],
      ],
      choices: [
        ['list_name', 'name', 'label'],
        ['animals', 'goat', 'goats'],
        ['animals', 'yak', 'yaks'],
      ],
    });
    expect(xml).toContain('<count>\n');
    expect(xml).toContain('<label>How many yaks?</label>');
    expect(xml).toContain('<bind nodeset="/data/count/goat/n" type="int"/>');
  });

  it('adds an "other" choice and a text field for or_other', () => {
    const xml = xform({
      survey: [
        ['type', 'name', 'label'],
        ['select_one colour or_other', 'fav', 'Favourite?'],
      ],
      choices: [
        ['list_name', 'name', 'label'],
        ['colour', 'red', 'Red'],
      ],
    });
    expect(xml).toContain('<bind nodeset="/data/fav_other" relevant="selected(../fav, \'other\')" type="string"/>');
    expect(xml).toContain('<name>other</name>');
  });
});

describe('robustness', () => {
  it('never throws: any workbook compiles or comes back with located errors', () => {
    const type = fc.constantFrom(
      'text',
      'integer',
      'note',
      'calculate',
      'select_one yn',
      'select_multiple nope',
      'begin group',
      'end group',
      'begin repeat',
      'end repeat',
      'begin loop over yn',
      'end loop',
      'geopoint',
      'rank yn',
      'range',
      'bogus',
      '',
    );
    const name = fc.constantFrom('a', 'b', 'c', 'a b', '1x', '', 'meta');
    const text = fc.constantFrom('', 'Label', '${a} > 1', '${zz}', '(((', "it's", '. < 3', 'concat(${b}, "x")');
    const row = fc.tuple(type, name, text, text, text);
    fc.assert(
      fc.property(fc.array(row, { maxLength: 12 }), (rows) => {
        const result = compile({
          survey: [['type', 'name', 'label', 'relevant', 'calculation'], ...rows],
          choices: [
            ['list_name', 'name', 'label'],
            ['yn', 'yes', 'Yes'],
            ['yn', 'no', 'No'],
          ],
        });
        if (result.ok) expect(result.xform.startsWith('<?xml version="1.0"?>')).toBe(true);
        else for (const e of result.errors) expect(e.message.startsWith(`${e.sheet} sheet`)).toBe(true);
      }),
      { seed: 20240601, numRuns: 300 },
    );
  });
});

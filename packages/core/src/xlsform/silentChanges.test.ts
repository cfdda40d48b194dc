import { describe, expect, it } from 'vitest';
import { compile, errorIssues, xform } from './workbook.test-support.js';

/** Forms pyxform compiles faithfully or refuses; we used to change them quietly or emit broken XML. */
describe('no silent changes', () => {
  it('or_other with a choice_filter is refused: the filter would hide "Other"', () => {
    const [e] = errorIssues({
      survey: [
        ['type', 'name', 'label', 'choice_filter'],
        ['select_one fruit or_other', 'fav', 'Favourite', 'name != "apple"'],
      ],
      choices: [
        ['list_name', 'name', 'label'],
        ['fruit', 'apple', 'Apple'],
        ['fruit', 'pear', 'Pear'],
      ],
    });
    expect(e).toMatchObject({ code: 'xlsform.or-other-choice-filter', row: 2, column: '"choice_filter" (D)' });
  });

  it('a trigger recomputes the calculation when the trigger question changes, not on every change', () => {
    const xml = xform({
      survey: [
        ['type', 'name', 'label', 'calculation', 'trigger'],
        ['integer', 'age', 'Age', '', ''],
        ['dateTime', 'age_changed', 'Age last changed', 'now()', '${age}'],
      ],
    });
    expect(xml).toMatch(
      /<input ref="\/data\/age">\s*<label>Age<\/label>\s*<setvalue ref="\/data\/age_changed" event="xforms-value-changed" value="now\(\)"\/>/,
    );
    expect(xml).toContain('<bind nodeset="/data/age_changed" type="dateTime"/>');
  });

  it('a trigger pointing at a calculate is refused: it is never shown, so it could never fire', () => {
    const [e] = errorIssues({
      survey: [
        ['type', 'name', 'label', 'calculation', 'trigger'],
        ['calculate', 'total', '', '1 + 1', ''],
        ['text', 'note_time', 'When', 'now()', '${total}'],
      ],
    });
    expect(e).toMatchObject({ code: 'xlsform.trigger-not-shown', row: 3, column: '"trigger" (E)' });
  });

  it('a trigger to a question that does not exist is an unknown reference', () => {
    const [e] = errorIssues({
      survey: [
        ['type', 'name', 'label', 'calculation', 'trigger'],
        ['text', 't', 'T', 'now()', '${nope}'],
      ],
    });
    expect(e?.code).toBe('xlsform.unknown-reference');
  });

  it('a ${ref} in a choice label shows the answer (itext with <output/>)', () => {
    const xml = xform({
      survey: [
        ['type', 'name', 'label'],
        ['text', 'child', 'Name of the child'],
        ['select_one who', 'carer', 'Who cares for the child?'],
      ],
      choices: [
        ['list_name', 'name', 'label'],
        ['who', 'mother', 'Mother of ${child}'],
        ['who', 'other', 'Someone else'],
      ],
    });
    expect(xml).toContain('<value>Mother of <output value=" /data/child "/></value>');
    expect(xml).toContain('<label ref="jr:itext(itextId)"/>');
    expect(xml).not.toContain('${child}');
  });

  it('a ${ref} in a choice label to an unknown question is refused at the choices row', () => {
    const [e] = errorIssues({
      survey: [
        ['type', 'name', 'label'],
        ['select_one who', 'carer', 'Who?'],
      ],
      choices: [
        ['list_name', 'name', 'label'],
        ['who', 'mother', 'Mother of ${kid}'],
      ],
    });
    expect(e).toMatchObject({ code: 'xlsform.unknown-reference', sheet: 'choices', row: 2 });
  });

  it('a ${ref} in a constraint message goes through itext, as an attribute cannot show it', () => {
    const xml = xform({
      survey: [
        ['type', 'name', 'label', 'constraint', 'constraint_message'],
        ['integer', 'max', 'Max', '', ''],
        ['integer', 'n', 'N', '. <= ${max}', 'At most ${max}'],
      ],
    });
    expect(xml).toContain(`jr:constraintMsg="jr:itext('/data/n:jr:constraintMsg')"`);
    expect(xml).toContain('<value>At most <output value=" /data/max "/></value>');
  });
});

describe('compiled forms are well-formed XML', () => {
  it('a translated noAppErrorString column goes through itext', () => {
    const xml = xform({
      survey: [
        [
          'type',
          'name',
          'label::English (en)',
          'label::French (fr)',
          'bind::jr:noAppErrorString::English (en)',
          'bind::jr:noAppErrorString::French (fr)',
        ],
        ['integer', 'n', 'N', 'N', 'App missing', 'Application absente'],
      ],
    });
    expect(xml).toContain(`jr:noAppErrorString="jr:itext('/data/n:jr:noAppErrorString')"`);
    expect(xml).toContain('<value>Application absente</value>');
  });

  it('a column prefix that no namespace declares is refused at its column', () => {
    const [e] = errorIssues({
      survey: [
        ['type', 'name', 'label', 'bind::esri:fieldType'],
        ['text', 't', 'T', 'esriFieldTypeString'],
      ],
    });
    expect(e).toMatchObject({ code: 'xlsform.bad-attribute-column', row: 2, column: '"bind::esri:fieldType" (D)' });
  });

  it('the namespaces setting declares the prefix, as pyxform reads it', () => {
    const xml = xform({
      survey: [
        ['type', 'name', 'label', 'bind::esri:fieldType'],
        ['text', 't', 'T', 'esriFieldTypeString'],
      ],
      settings: [['namespaces'], ['esri="http://esri.com/xforms" broken']],
    });
    expect(xml).toContain('xmlns:esri="http://esri.com/xforms"');
    expect(xml).toContain('esri:fieldType="esriFieldTypeString"');
  });

  it('a malformed namespaces entry is a warning, not a broken form', () => {
    const result = compile({
      survey: [
        ['type', 'name', 'label'],
        ['text', 't', 'T'],
      ],
      settings: [['namespaces'], ['esri']],
    });
    expect(result.ok && result.warnings.map((w) => w.code)).toEqual(['xlsform.bad-namespace']);
  });

  it('an attribute column whose name is not an XML name is refused', () => {
    const [e] = errorIssues({
      survey: [
        ['type', 'name', 'label', 'body::data-x y'],
        ['text', 't', 'T', '1'],
      ],
    });
    expect(e?.code).toBe('xlsform.bad-attribute-column');
  });
});

describe('pyxform rules on selects and labels', () => {
  it('a select_multiple choice name with a space is refused', () => {
    const [e] = errorIssues({
      survey: [
        ['type', 'name', 'label'],
        ['select_multiple crops', 'c', 'Crops'],
      ],
      choices: [
        ['list_name', 'name', 'label'],
        ['crops', 'sweet potato', 'Sweet potato'],
      ],
    });
    expect(e).toMatchObject({ code: 'xlsform.choice-name-space', sheet: 'choices', row: 2 });
  });

  it('a question with only a guidance_hint is refused (guidance may be hidden)', () => {
    const [e] = errorIssues({
      survey: [
        ['type', 'name', 'guidance_hint'],
        ['text', 't', 'Ask politely'],
      ],
    });
    expect(e?.code).toBe('xlsform.missing-label');
  });

  it('a typed question with a calculation and no label is a hidden field, with a warning', () => {
    const result = compile({
      survey: [
        ['type', 'name', 'label', 'calculation'],
        ['integer', 'a', 'A', ''],
        ['integer', 'double', '', '${a} * 2'],
      ],
    });
    if (!result.ok) throw new Error(result.errors[0]?.message);
    expect(result.warnings.map((w) => w.code)).toEqual(['xlsform.computed-without-label']);
    expect(result.xform).toContain('<bind nodeset="/data/double" type="int" calculate=" /data/a  * 2"/>');
    expect(result.xform).not.toContain('ref="/data/double"');
  });

  it('background-geopoint takes the location when its trigger changes', () => {
    const xml = xform({
      survey: [
        ['type', 'name', 'label', 'trigger'],
        ['text', 'hh', 'Household', ''],
        ['background-geopoint', 'where', '', '${hh}'],
      ],
    });
    expect(xml).toMatch(
      /<input ref="\/data\/hh">\s*<label>Household<\/label>\s*<odk:setgeopoint ref="\/data\/where" event="xforms-value-changed"\/>/,
    );
    expect(xml).toContain('<bind nodeset="/data/where" type="geopoint"/>');
  });

  it('background-geopoint without a trigger is refused', () => {
    const [e] = errorIssues({
      survey: [
        ['type', 'name', 'label'],
        ['background-geopoint', 'where', ''],
      ],
    });
    expect(e?.code).toBe('xlsform.background-geopoint-trigger');
  });
});

// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import xml from '../../forms/__fixtures__/household_registration.xml?raw';
import { answersOf, answerText, questionLabel, readFormLabels, readQuestionLabels } from './questionLabels.js';

describe('question labels of a form', () => {
  it('names each answer of a submission with its question, in the chosen language', () => {
    const labels = readQuestionLabels(xml);
    const given = [...labels.keys()].find((p) => p.endsWith('/head_given_name'));
    expect(given).toBeDefined();
    expect(questionLabel(labels, given ?? '', 'mn')).toMatch(/[А-Яа-яӨөҮү]/);
    expect(questionLabel(labels, given ?? '', 'en')).toMatch(/name/i);
  });

  it('lists answers by path with repeats numbered, leaving meta out', () => {
    expect(answersOf({ a: '1', g: { b: '2' }, r: [{ c: 'x' }, { c: 'y' }], meta: { instanceID: 'u' } })).toEqual([
      ['/a', '1'],
      ['/g/b', '2'],
      ['/r[1]/c', 'x'],
      ['/r[2]/c', 'y'],
    ]);
  });

  it('shows select answers by their choice labels in the chosen language, never the raw values', () => {
    const labels = readFormLabels(xml);
    expect(answerText(labels, '/head/head_sex', 'male', 'en')).toBe('Male');
    expect(answerText(labels, '/head/head_sex', 'male', 'mn')).toBe('Эр');
    // select_multiple: each value named; a repeat's position does not matter.
    expect(answerText(labels, '/situation/needs', 'food heating_winter', 'en')).toMatch(/^Food and nutrition, \S/);
    expect(answerText(labels, '/situation/needs', 'food heating_winter', 'mn')).not.toMatch(/[A-Za-z]/);
    expect(answerText(labels, '/members[2]/member_sex', 'female', 'en')).toBe('Female');
    // A language the form lacks falls back to its default (Mongolian), not to the value.
    expect(answerText(labels, '/head/head_sex', 'male', 'tpi')).toBe('Эр');
    // Not a select question, or a value no list names: as it is.
    expect(answerText(labels, '/situation/monthly_income', '450000', 'en')).toBe('450000');
    expect(answerText(labels, '/head/head_sex', 'other', 'en')).toBe('other');
  });
});

// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import xml from '../../forms/__fixtures__/household_registration.xml?raw';
import { answersOf, questionLabel, readQuestionLabels } from './questionLabels.js';

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
});

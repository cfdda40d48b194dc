import { describe, expect, it } from 'vitest';
import { createI18n } from '../../i18n/createI18n.js';
import { aspectName, changeValue, issueCells, questionLabel } from './formChangeText.js';

const question = {
  path: '/data/needs',
  name: 'needs',
  type: 'select_multiple',
  labels: { 'Mongolian (mn)': 'Одоогийн хэрэгцээ', 'English (en)': 'Current needs' },
};

describe('the words of the publishing screen', () => {
  it('names a question by its label in the app language, else the default, else its name', () => {
    expect(questionLabel(question, 'mn')).toBe('Одоогийн хэрэгцээ');
    expect(questionLabel(question, 'en')).toBe('Current needs');
    expect(questionLabel({ ...question, labels: { default: 'Needs' } }, 'mn')).toBe('Needs');
    expect(questionLabel({ ...question, labels: {} }, 'mn')).toBe('needs');
  });

  it('says what changed and its values in the chosen language, never a raw XPath switch', () => {
    const i18n = createI18n();
    i18n.setLanguage('mn');
    const label = { aspect: 'label', language: 'English (en)', before: 'a', after: 'b' } as const;
    expect(aspectName(i18n, label)).toBe('Асуултын текст (English)');
    expect(aspectName(i18n, { ...label, aspect: 'required', language: null })).toBe('Заавал бөглөх');
    expect(changeValue(i18n, 'required', 'true()')).toBe('тийм');
    expect(changeValue(i18n, 'required', null)).toBe('үгүй');
    expect(changeValue(i18n, 'required', '${age} < 18')).toBe('${age} < 18');
    expect(changeValue(i18n, 'sensitivity', 'identifying')).toBe('хувийг тодорхойлох');
    expect(changeValue(i18n, 'relevant', null)).toBe('(байхгүй)');
  });

  it('does not repeat the location the sheet, row and column cells already show', () => {
    const issue = {
      sheet: 'survey',
      row: 15,
      column: '"type" (A)',
      message: 'survey sheet, row 15, column "type" (A): unknown question type "txet"',
    };
    expect(issueCells(issue)).toEqual({ row: '15', column: '"type" (A)', message: 'unknown question type "txet"' });
    expect(issueCells({ sheet: 'settings', row: null, column: null, message: 'no form_id' })).toEqual({
      row: '',
      column: '',
      message: 'no form_id',
    });
  });
});

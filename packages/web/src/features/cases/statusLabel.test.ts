import { describe, expect, it } from 'vitest';
import { createI18n } from '../../i18n/createI18n.js';
import { projectVocabulary, type FormWords } from '../forms/formVocabulary.js';
import { statusLabel } from './statusLabel.js';

const followUp: FormWords = {
  formId: 'png_incident_follow_up',
  title: 'Incident follow-up',
  dataset: 'incidents',
  defaultLanguage: 'en',
  properties: new Map([
    [
      'incident_status',
      new Map([
        ['under_investigation', { en: 'Under investigation', tpi: 'Polis i wok long painim aut' }],
        ['seized', { en: 'Seized by rangers', tpi: 'Rena i kisim' }],
      ]),
    ],
  ]),
  dates: new Set(),
  labels: new Map(),
  saved: [{ property: 'incident_status', type: 'select_one' }],
  choiceColumns: new Map(),
};

describe('case status in words', () => {
  const context = { vocabulary: projectVocabulary([followUp]), list: 'incidents' };

  it('uses the form’s label in the chosen language', () => {
    const i18n = createI18n({ navigatorLanguage: 'en' });
    i18n.setLanguage('tpi');
    expect(statusLabel(i18n, 'under_investigation', context)).toBe('Polis i wok long painim aut');
  });

  it('uses the app’s word when the form has none in the language, then the form’s default label', () => {
    const i18n = createI18n({ navigatorLanguage: 'mn' });
    expect(statusLabel(i18n, 'under_investigation', context)).toBe('Шалгаж байна');
    expect(statusLabel(i18n, 'seized', context)).toBe('Seized by rangers');
    expect(statusLabel(i18n, 'referred_to_police')).toBe('Цагдаад шилжүүлсэн');
    expect(statusLabel(i18n, 'closed')).toBe('Хаасан');
  });
});

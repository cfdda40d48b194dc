import { describe, expect, it } from 'vitest';
import { projectVocabulary, type FormWords } from '../forms/formVocabulary.js';
import { geoPointOf, propertyLines } from './caseProperties.js';

const visit: FormWords = {
  formId: 'mn_visit',
  title: 'Айлчлал',
  dataset: 'cases',
  defaultLanguage: 'mn',
  properties: new Map([
    [
      'needs',
      new Map([
        ['food', { mn: 'Хүнс', en: 'Food' }],
        ['heating_winter', { mn: 'Өвлийн түлш', en: 'Winter heating' }],
      ]),
    ],
  ]),
  saved: [],
  choiceColumns: new Map(),
  dates: new Set(['next_visit_date']),
  labels: new Map([
    ['needs', { mn: 'Хэрэгцээ', en: 'Needs' }],
    ['next_visit_date', { mn: 'Дараагийн айлчлал', en: 'Next visit' }],
    ['geometry', { mn: 'Байршил', en: 'Location' }],
  ]),
};
const vocabulary = projectVocabulary([visit]);

describe('a case’s properties on its page', () => {
  it('labels each property by its question and each choice by its label, in the chosen language', () => {
    const properties = {
      __label: 'Д. Бат',
      needs: 'heating_winter food',
      next_visit_date: '2026-12-10',
      geometry: '47.91 106.92 1300 5',
      secret_code: 'x1',
      blank: '',
    };
    expect(propertyLines(properties, 'cases', vocabulary, 'mn')).toEqual([
      { property: 'needs', label: 'Хэрэгцээ', value: 'Өвлийн түлш, Хүнс' },
      { property: 'next_visit_date', label: 'Дараагийн айлчлал', value: '2026-12-10' },
    ]);
    expect(propertyLines(properties, 'cases', vocabulary, 'tpi')[0]).toEqual({
      property: 'needs',
      label: 'Хэрэгцээ',
      value: 'Өвлийн түлш, Хүнс',
    });
  });

  it('keeps a value no form names as it was typed, and reads geopoints for the map', () => {
    expect(propertyLines({ needs: 'wifi' }, 'cases', vocabulary, 'en')).toEqual([
      { property: 'needs', label: 'Needs', value: 'wifi' },
    ]);
    expect(geoPointOf('47.91 106.92 1300 5')).toMatchObject({ latitude: 47.91, longitude: 106.92 });
    expect(geoPointOf('Бат')).toBeUndefined();
  });
});

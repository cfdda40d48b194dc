// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../i18n/createI18n.js';
import { projectVocabulary, readFormWords, type FormWords } from './formVocabulary.js';
import { listName } from './listName.js';

// What the possible-duplicates picker, the register import and the dashboards call a list.

const form = (formId: string, title: string, dataset: string, creates: boolean): FormWords => ({
  formId,
  title,
  dataset,
  creates,
  defaultLanguage: 'en',
  properties: new Map(),
  dates: new Set(),
  labels: new Map(),
  saved: [],
  choiceColumns: new Map(),
});

describe('a list’s name on screen', () => {
  const vocabulary = projectVocabulary([
    form('household_visit', 'Household visit', 'households', false),
    form('household_registration', 'Household registration', 'households', true),
    form('png_incident', 'Incident report', 'incidents', true),
  ]);

  it('names the templates’ lists in the chosen language, never by their raw name', () => {
    const i18n = createI18n({ navigatorLanguage: 'mn' });
    expect(listName('incidents', vocabulary, i18n)).toBe('Зөрчил');
    expect(listName('protected_areas', vocabulary, i18n)).toBe('Тусгай хамгаалалттай газар');
    expect(listName('cases', vocabulary, i18n)).toBe('Кейс');
    i18n.setLanguage('tpi');
    expect(listName('observations', vocabulary, i18n)).toBe('Ol lukluk');
  });

  it('names another list by the form that registers its cases, not by a follow-up form', () => {
    const i18n = createI18n({ navigatorLanguage: 'en' });
    expect(listName('households', vocabulary, i18n)).toBe('Household registration');
    expect(listName('wells', vocabulary, i18n)).toBe('wells');
  });

  it('reads from the XForm whether a form creates its list’s cases', () => {
    const xml = (entity: string) => `<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml"
  xmlns:entities="http://www.opendatakit.org/xforms/entities">
  <h:head><h:title>Wells</h:title><model>
    <instance><data id="wells"><meta>${entity}</meta></data></instance>
  </model></h:head><h:body/></h:html>`;
    expect(readFormWords(xml('<entity dataset="wells" id="" create="1"><label/></entity>'))?.creates).toBe(true);
    expect(readFormWords(xml('<entity dataset="wells" id="" update="1" baseVersion=""/>'))?.creates).toBe(false);
  });
});

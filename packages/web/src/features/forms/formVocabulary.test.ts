// @vitest-environment jsdom
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { projectVocabulary, readFormWords } from './formVocabulary.js';

const bilingual = `<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa" xmlns:entities="http://www.opendatakit.org/xforms/entities">
  <h:head>
    <h:title>Айлчлал</h:title>
    <model>
      <itext>
        <translation lang="Mongolian (mn)" default="true()">
          <text id="case_status-0"><value>Нээлттэй</value></text>
          <text id="case_status-1"><value>Шалгаж байна</value></text>
        </translation>
        <translation lang="English (en)">
          <text id="case_status-0"><value>Open</value></text>
          <text id="case_status-1"><value>Under investigation</value></text>
        </translation>
      </itext>
      <instance>
        <data id="visit"><case_status/><kind/><meta><entity dataset="cases" id="" update="1"/></meta></data>
      </instance>
      <instance id="case_status">
        <root>
          <item><name>open</name><itextId>case_status-0</itextId></item>
          <item><name>under_investigation</name><itextId>case_status-1</itextId></item>
        </root>
      </instance>
      <bind nodeset="/data/case_status" type="string" entities:saveto="case_status"/>
      <bind nodeset="/data/kind" type="string" entities:saveto="kind"/>
    </model>
  </h:head>
  <h:body>
    <select1 ref="/data/case_status"><itemset nodeset="instance('case_status')/root/item"><value ref="name"/><label ref="jr:itext(itextId)"/></itemset></select1>
    <select1 ref="/data/kind"><item><label>Home visit</label><value>home</value></item></select1>
  </h:body>
</h:html>`;

describe('the words of a project’s forms', () => {
  it('reads the title, the entity list and the labels of choices saved to case properties', () => {
    const words = readFormWords(bilingual);
    expect(words).toMatchObject({ formId: 'visit', title: 'Айлчлал', dataset: 'cases', defaultLanguage: 'mn' });
    expect(words?.properties.get('case_status')?.get('under_investigation')).toEqual({
      mn: 'Шалгаж байна',
      en: 'Under investigation',
    });
    expect(words?.properties.get('kind')?.get('home')).toEqual({ '': 'Home visit' });
    expect(readFormWords('<not xml')).toBeNull();
  });

  it('names a status in the chosen language, else in the form’s own default language', () => {
    const words = readFormWords(bilingual);
    if (words === null) throw new Error('not read');
    const vocabulary = projectVocabulary([words]);
    expect(vocabulary.statusLabel('cases', 'under_investigation', 'en')).toEqual({
      label: 'Under investigation',
      inLanguage: true,
    });
    expect(vocabulary.statusLabel('cases', 'under_investigation', 'tpi')).toEqual({
      label: 'Шалгаж байна',
      inLanguage: false,
    });
    expect(vocabulary.statusLabel('cases', 'archived', 'en')).toBeUndefined();
    expect(vocabulary.statusLabel('incidents', 'open', 'en')).toBeUndefined();
    expect(vocabulary.formTitle('visit')).toBe('Айлчлал');
  });

  it('reads the XForms our compiler makes of the templates', () => {
    const xml = execFileSync(
      process.execPath,
      ['packages/cli/dist/main.js', 'form', 'compile', 'templates/png-protected-areas/forms/incident_follow_up.xlsx'],
      { encoding: 'utf8' },
    );
    const words = readFormWords(xml);
    expect(words?.dataset).toBe('incidents');
    const vocabulary = projectVocabulary(words === null ? [] : [words]);
    expect(vocabulary.statusLabel('incidents', 'referred_to_police', 'en')?.label).toBe('Referred to police');
  });

  it('knows which case properties a date question saves, and each property’s question label', () => {
    const xml = execFileSync(
      process.execPath,
      ['packages/cli/dist/main.js', 'form', 'compile', 'templates/mongolia-social-protection/forms/visit.xlsx'],
      { encoding: 'utf8' },
    );
    const words = readFormWords(xml);
    const vocabulary = projectVocabulary(words === null ? [] : [words]);
    expect([...vocabulary.dateProperties('cases')].sort()).toEqual(['last_visit_date', 'next_visit_date']);
    expect(vocabulary.dateProperties('incidents').size).toBe(0);
    expect(vocabulary.propertyLabel('cases', 'next_visit_date', 'mn')).toMatch(/[А-яӨөҮү]/);
    expect(vocabulary.propertyLabel('cases', 'next_visit_date', 'en')).toMatch(/visit/i);
    expect(vocabulary.propertyLabel('cases', 'nothing', 'en')).toBeUndefined();
  });
});

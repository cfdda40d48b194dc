// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { Dashboard, DashboardPanel } from '../../api/AnalysisApi.js';
import { createI18n } from '../../i18n/createI18n.js';
import { readFormWords, projectVocabulary } from '../forms/formVocabulary.js';
import { dashboardTable, tableCsv } from './dashboardTable.js';

// A form saving `needs` (a select_multiple) to the `cases` list, with Mongolian and English labels.
const xform = `<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa" xmlns:entities="http://www.opendatakit.org/xforms/entities">
<h:head><h:title>Бүртгэл</h:title><model entities:entities-version="2024.1.0">
<itext>
<translation lang="Mongolian (mn)" default="true()"><text id="/data/needs:label"><value>Хэрэгцээ</value></text>
<text id="need-0"><value>Хүнс</value></text><text id="need-1"><value>Түлш</value></text></translation>
<translation lang="English (en)"><text id="/data/needs:label"><value>Needs</value></text>
<text id="need-0"><value>Food</value></text><text id="need-1"><value>Fuel</value></text></translation>
</itext>
<instance><data id="reg" version="1"><needs/><meta><instanceID/><entity dataset="cases" create="1" id=""><label/></entity></meta></data></instance>
<instance id="need"><root><item><name>food</name><itextId>need-0</itextId></item><item><name>fuel</name><itextId>need-1</itextId></item></root></instance>
<bind nodeset="/data/needs" type="string" entities:saveto="needs"/>
</model></h:head>
<h:body><select ref="/data/needs"><label ref="jr:itext('/data/needs:label')"/><itemset nodeset="instance('need')/root/item"><value ref="name"/><label ref="jr:itext(itextId)"/></itemset></select></h:body></h:html>`;

const panel: DashboardPanel = {
  id: 'cases.needs',
  chart: 'bar',
  dimensions: [{ kind: 'choice', list: 'cases', property: 'needs' }],
  measures: ['count'],
  rows: [
    { keys: ['food'], values: [7] },
    { keys: ['=HYPERLINK("http://x")'], values: [null] },
    { keys: [''], values: [2] },
  ],
  suppressed: 1,
};
const dashboard: Dashboard = {
  template: 'mongolia-social-protection',
  records: 9,
  minimumCell: 5,
  exactLocations: false,
  panels: [panel],
  map: { hexMetres: 1500, cells: [], suppressed: 0 },
  areas: {},
  workers: {},
};

describe('a dashboard panel as a table and CSV', () => {
  const words = readFormWords(xform);
  if (words === null) throw new Error('the test form did not read');
  const vocabulary = projectVocabulary([words]);

  it('labels choices in the reader’s language and names blanks', () => {
    const i18n = createI18n({ navigatorLanguage: 'mn-MN' });
    const table = dashboardTable(panel, dashboard, vocabulary, i18n);
    expect(table.dimensions).toEqual(['Хэрэгцээ']);
    expect(table.measures).toEqual([i18n.t('dashboard.measure.count')]);
    expect(table.rows.map((r) => r.labels[0])).toEqual(['Хүнс', '=HYPERLINK("http://x")', 'Хариулаагүй']);
    i18n.setLanguage('en');
    expect(dashboardTable(panel, dashboard, vocabulary, i18n).rows[0]?.labels).toEqual(['Food']);
  });

  it('writes CSV with a byte-order mark, formula cells neutralised and suppressed values empty', () => {
    const i18n = createI18n({ navigatorLanguage: 'en-GB' });
    const csv = tableCsv(dashboardTable(panel, dashboard, vocabulary, i18n));
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual([
      'Needs,Records',
      'Food,7',
      `"'=HYPERLINK(""http://x"")",`,
      'Not answered,2',
      '',
    ]);
  });
});

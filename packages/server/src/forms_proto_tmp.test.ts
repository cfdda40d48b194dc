import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { JSDOM } from 'jsdom';
import { it } from 'vitest';
import { compileXlsform } from '@outpost/core';
import { readWorkbook } from './xlsform/readWorkbook.js';
it('x', async () => {
  const { window } = new JSDOM('<!doctype html><html><body></body></html>', { url: 'http://localhost/' });
  const g = globalThis as Record<string, unknown>;
  for (const key of ['window','document','DOMParser','XMLSerializer','Node','Element','Document','XPathResult','NodeFilter','Attr','Text','XMLDocument']) {
    if (g[key] === undefined) g[key] = (window as unknown as Record<string, unknown>)[key];
  }
  const enginePath = createRequire(import.meta.url).resolve('@getodk/xforms-engine');
  g['__dirname'] ??= fileURLToPath(new URL('.', `file://${enginePath}`));
  g['require'] ??= createRequire(enginePath);
  const engine = await import('@getodk/xforms-engine');
  const name = 'household_registration';
  const f = `/work/main/templates/mongolia-social-protection/forms/${name}.xlsx`;
  const r = await readWorkbook(readFileSync(f), `${name}.xlsx`);
  if (!r.ok) throw new Error('x');
  const c = compileXlsform(r.workbook, { fileName: `${name}.xlsx` });
  if (!c.ok) throw new Error('y');
  let t = Date.now();
  const form = await engine.loadForm(c.xform, { fetchFormAttachment: () => Promise.resolve(new Response('', { status: 404 })), missingResourceBehavior: engine.constants.MISSING_RESOURCE_BEHAVIOR.BLANK });
  console.log('load ms', Date.now() - t, form.status);
  const xml = (reg: string) => `<data xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms" id="mn_household_registration" version="2026112701"><start>2026-01-01T00:00:00.000Z</start><end/><today>2026-01-01</today><username/><consent>yes</consent><head><head_family_name>Боржигин</head_family_name><head_fathers_name>Батын</head_fathers_name><head_given_name>Болд</head_given_name><head_register_number>${reg}</head_register_number><head_dob>1985-03-27</head_dob><head_age/><head_age_note/><head_sex>male</head_sex><head_phone>99112233</head_phone></head><address><aimag>MN11</aimag><soum>x</soum><bag>y</bag><address_detail/><dwelling_type/><location/></address><household_size>1</household_size><children_count>0</children_count><elderly_count>0</elderly_count><situation><vulnerability/><needs/><monthly_income>abc</monthly_income><notes/></situation><registration_date>2026-01-01</registration_date><case_status>open</case_status><meta><instanceID>uuid:1</instanceID><instanceName>x</instanceName><entity dataset="cases" id="uuid:2" create="1"><label>Б. Болд</label></entity></meta></data>`;
  if (form.status === 'failure') throw form.error;
  for (const reg of ['УК85032715', 'XX12']) {
    t = Date.now();
    const fd = new FormData();
    fd.set('xml_submission_file', new File([xml(reg)], 'xml_submission_file', { type: 'text/xml' }));
    const inst = await form.restoreInstance({ data: [fd as never] });
    console.log('restore ms', Date.now() - t);
    const v = inst.root.validationState.violations;
    for (const x of v) console.log(x.reference, x.violation.condition, x.violation.message?.asString);
    const walk = (n: any, d = 0): void => { if (d < 3) { console.log(' '.repeat(d), n.currentState.reference, JSON.stringify(n.currentState.value)); for (const ch of n.currentState.children ?? []) walk(ch, d + 1); } };
    if (reg === 'XX12') walk(inst.root);
  }
});

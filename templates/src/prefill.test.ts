import type * as EngineModule from '@getodk/xforms-engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { installEngineGlobals } from '@outpost/test-kit';
import { compile } from './compileTemplate.test-support.js';
import * as helpdeskForms from './helpdesk/forms.js';
import type { FormDefinition } from './index.js';
import * as mongoliaForms from './mongolia-social-protection/forms.js';
import * as pngForms from './png-protected-areas/forms.js';
import { prefillFromEntity } from './xlsform/prefill.js';

type Engine = typeof EngineModule;
let engine: Engine;
beforeAll(async () => {
  await installEngineGlobals();
  engine = await import('@getodk/xforms-engine');
});

interface Node {
  definition: { nodeset?: string };
  currentState: { children: readonly Node[] | null; value: unknown };
  setValue?: (value: string) => void;
  selectValue?: (value: string | null) => void;
  selectValues?: (values: readonly string[]) => void;
}

function find(root: Node, name: string): Node {
  const search = (n: Node): Node | undefined => {
    if (n.definition.nodeset?.endsWith(`/${name}`)) return n;
    for (const c of n.currentState.children ?? []) {
      const hit = search(c);
      if (hit !== undefined) return hit;
    }
    return undefined;
  };
  const hit = search(root);
  if (hit === undefined) throw new Error(`no question ${name}`);
  return hit;
}

/** Opens a template form in the ODK engine with `csv` as its entity list attachment. */
async function open(form: FormDefinition, csv: string) {
  const compiled = await compile(form);
  expect(compiled.errors ?? []).toEqual([]);
  const loaded = await engine.loadForm(compiled.xform ?? '', {
    fetchFormAttachment: () => Promise.resolve(new Response(csv, { headers: { 'content-type': 'text/csv' } })),
  });
  if (loaded.status === 'failure') throw loaded.error;
  const instance = loaded.createInstance();
  const root = instance.root as unknown as Node & {
    prepareInstancePayload(): Promise<{ data: [FormData] }>;
  };
  return {
    root,
    async xml(): Promise<string> {
      const payload = await root.prepareInstancePayload();
      const file = payload.data[0].get('xml_submission_file');
      return file instanceof Blob ? file.text() : '';
    },
  };
}

const caseId = '6f1c2d3e-4a5b-4c6d-8e7f-001122334455';
const otherId = '0a0b0c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0d';

describe('follow-up forms start from the case (docs/entities.md)', () => {
  it('a visit that never touches "needs" sends back the needs and next visit the household has', async () => {
    const csv =
      'name,label,__version,needs,next_visit_date,case_status\r\n' +
      `${caseId},Б. Батболд,3,food health,2026-01-15,open\r\n` +
      `${otherId},Д. Сараа,1,,,open\r\n`;
    const form = await open(mongoliaForms.visit, csv);
    find(form.root, 'case_id').selectValue?.(caseId);
    expect(find(form.root, 'needs').currentState.value).toEqual(['food', 'health']);
    expect(String(find(form.root, 'next_visit_date').currentState.value)).toBe('2026-01-15');
    find(form.root, 'visit_type').selectValue?.('home_visit');
    find(form.root, 'contact_made').selectValue?.('yes');
    const xml = await form.xml();
    expect(xml).toContain('<needs>food health</needs>');
    expect(xml).toContain('<next_visit_date>2026-01-15</next_visit_date>');
    // The visit's own status default still applies: recording a visit moves the case on.
    expect(xml).toContain('<case_status>in_progress</case_status>');
  });

  it('the answers follow when the worker picks another case, and stay editable', async () => {
    const csv =
      'name,label,__version,needs,next_visit_date,case_status\r\n' +
      `${caseId},Б. Батболд,3,food health,2026-01-15,open\r\n` +
      `${otherId},Д. Сараа,1,heating_winter,,open\r\n`;
    const form = await open(mongoliaForms.visit, csv);
    find(form.root, 'case_id').selectValue?.(caseId);
    find(form.root, 'case_id').selectValue?.(otherId);
    expect(find(form.root, 'needs').currentState.value).toEqual(['heating_winter']);
    expect(find(form.root, 'next_visit_date').currentState.value ?? '').toBe('');
    find(form.root, 'needs').selectValues?.([]);
    expect(await form.xml()).toContain('<needs/>');
  });

  it('helpdesk triage starts from the request: an untouched assignee is kept', async () => {
    const csv =
      'name,label,__version,category,urgency,assignee,request_status,resolution\r\n' +
      `${caseId},Dashboard access,2,analysis_dashboards,high,fieldworker2,open,\r\n`;
    const form = await open(helpdeskForms.requestTriage, csv);
    find(form.root, 'request_id').selectValue?.(caseId);
    find(form.root, 'request_status').selectValue?.('in_progress');
    const xml = await form.xml();
    expect(xml).toContain('<assignee>fieldworker2</assignee>');
    expect(xml).toContain('<urgency>high</urgency>');
    expect(xml).toContain('<request_status>in_progress</request_status>');
    // Not relevant unless resolved: left out of the submission, so the property stays as it is.
    expect(xml).not.toContain('<resolution');
  });

  it('an incident follow-up keeps the case number it was given', async () => {
    const csv =
      'name,label,__version,incident_status,case_number\r\n' +
      `${caseId},Poaching,4,referred_to_police,PNG-77/2026\r\n`;
    const form = await open(pngForms.incidentFollowUp, csv);
    find(form.root, 'incident_id').selectValue?.(caseId);
    expect(await form.xml()).toContain('<case_number>PNG-77/2026</case_number>');
  });
});

describe('prefillFromEntity', () => {
  it('prefills answerable saved questions, keeps literal defaults as the fallback, leaves the rest', () => {
    const rows = prefillFromEntity(
      'cases',
      'case_id',
      [
        { type: 'select_one x', name: 'a', saveTo: 'a' },
        { type: 'select_one x', name: 'b', saveTo: 'b', default: 'PGK' },
        { type: 'date', name: 'c', saveTo: 'c', default: 'today()' },
        { type: 'calculate', name: 'd', saveTo: 'd', calculation: "'x'" },
        { type: 'text', name: 'e' },
        { type: 'text', name: 'f', saveTo: 'f' },
      ],
      ['f'],
    );
    expect(rows.map((r) => [r.name, r.trigger ?? null, r.calculation ?? null])).toEqual([
      ['a', '${case_id}', "instance('cases')/root/item[name=${case_id}]/a"],
      ['b', '${case_id}', "coalesce(instance('cases')/root/item[name=${case_id}]/b, 'PGK')"],
      ['c', null, null],
      ['d', null, "'x'"],
      ['e', null, null],
      ['f', null, null],
    ]);
  });
});

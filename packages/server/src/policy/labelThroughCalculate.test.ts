import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, labelClassOf, redact } from '@outpost/core';
import type { PolicyActor, PolicyRecord } from '@outpost/core';
import { publishForm } from '../forms/publishForm.js';
import { createProject } from '../storage/queries/projects.js';
import type { Store } from '../storage/store.js';
import { migrate, openStore } from '../storage/store.js';
import { calculationsOf, catalogueFor } from './catalogueFor.js';

// Issue 9: a case label built through a calculate takes the class of the fields the calculate
// reads, transitively: `label = ${short}`, `short = substr(${full}, 0, 20)`,
// `full = concat(${given}, ' ', ${family})` with identifying names is an identifying label, so the
// analyst does not get it although neither calculate is marked.

let dir: string;
let store: Store;

async function workbook(survey: string[][], entities: string[][]): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('survey').addRows(survey);
  book.addWorksheet('settings').addRows([
    ['form_id', 'version'],
    ['registration', '1'],
  ]);
  book.addWorksheet('entities').addRows(entities);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

const survey = [
  ['type', 'name', 'label', 'sensitivity', 'calculation', 'save_to'],
  ['text', 'given', 'Given name', 'identifying', '', 'given'],
  ['text', 'family', 'Family name', 'identifying', '', 'family'],
  ['integer', 'size', 'Household size', 'normal', '', 'size'],
  ['calculate', 'full', '', '', "concat(${given}, ' ', ${family})", ''],
  ['calculate', 'short', '', '', 'substr(${full}, 0, 20)', ''],
  ['calculate', 'size_text', '', '', "concat('Household of ', ${size})", ''],
];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-label-calc-'));
  store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
  await migrate(store);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function projectWithLabel(label: string): Promise<string> {
  const project = await createProject({ slug: `p-${randomUUID().slice(0, 8)}`, name: 'Label test' }, store);
  const published = await publishForm(
    {
      projectId: project.id,
      fileName: 'registration.xlsx',
      bytes: await workbook(survey, [
        ['list_name', 'label'],
        ['households', label],
      ]),
      actorId: null,
    },
    store,
  );
  if (!published.ok) throw new Error(JSON.stringify(published));
  return project.id;
}

describe('a case label built through calculates', () => {
  it('is identifying when the calculates read names, and the analyst gets no label', async () => {
    const projectId = await projectWithLabel('${short}');
    const catalogue = await catalogueFor(projectId, store);
    expect(labelClassOf(catalogue, 'households')).toBe('identifying');
    const analyst: PolicyActor = {
      userId: randomUUID(),
      role: 'analyst',
      memberships: [{ projectId, role: 'analyst', scopes: [{ kind: 'project' }] }],
    };
    const record: PolicyRecord = {
      kind: 'entity',
      id: randomUUID(),
      projectId,
      listName: 'households',
      areaPath: null,
      team: null,
      assigneeId: null,
      createdBy: null,
      label: 'Болд Боржигин',
      properties: { size: '4' },
    };
    expect(can(analyst, 'cases.read', record).allowed).toBe(true);
    const seen = redact(analyst, record, catalogue).record;
    expect(seen.label ?? null).toBeNull();
    expect(seen.properties?.['size']).toBe('4');
  });

  it('stays normal when the calculates read only normal fields', async () => {
    const projectId = await projectWithLabel('${size_text}');
    expect(labelClassOf(await catalogueFor(projectId, store), 'households')).toBe('normal');
  });

  it('reads each calculate from the XForm’s binds', () => {
    const xform =
      '<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml"><h:head><model>' +
      '<bind nodeset="/data/a" calculate="concat(/data/b, &quot;-&quot;)"/><bind nodeset="/data/b" type="string"/>' +
      '</model></h:head><h:body/></h:html>';
    expect(calculationsOf(xform)).toEqual({ '/data/a': 'concat(/data/b, "-")' });
  });
});

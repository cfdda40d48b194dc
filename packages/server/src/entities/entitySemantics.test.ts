import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignedIn, TestServer } from '@outpost/test-kit';
import { signIn, startTestServer } from '@outpost/test-kit';
import { publishForm } from '../forms/publishForm.js';
import { upsertAreas } from '../storage/queries/areas.js';
import type { FilledForm } from '../submissions/fillForm.test-support.js';
import { openPublishedForm } from '../submissions/fillForm.test-support.js';
import { householdInstance } from '../submissions/householdInstance.test-support.js';

// The rule of docs/entities.md on the submission path: a follow-up form filled in the ODK engine
// starts from the case, so what the worker does not touch comes back as it was; the status the
// form saves reaches the case list.

const formsDir = new URL('../../../../templates/mongolia-social-protection/forms/', import.meta.url);
const password = 'correct horse battery';

let server: TestServer;
let bolor: SignedIn;
let visitVersion: string;

beforeAll(async () => {
  server = await startTestServer({ users: [{ username: 'bolor', role: 'fieldworker' }], password });
  await upsertAreas(
    server.projectId,
    '2024',
    [
      { code: 'MN11', parentCode: null, level: 'aimag', names: { en: 'Ulaanbaatar' } },
      { code: 'MN1110', parentCode: 'MN11', level: 'district', names: { en: 'Bayanzürkh' } },
      { code: 'MN111051', parentCode: 'MN1110', level: 'khoroo', names: { en: 'Khoroo 1' } },
    ],
    server.store,
  );
  for (const name of ['household_registration', 'visit']) {
    const published = await publishForm(
      {
        projectId: server.projectId,
        fileName: `${name}.xlsx`,
        bytes: readFileSync(new URL(`${name}.xlsx`, formsDir)),
        actorId: null,
      },
      server.store,
    );
    if (!published.ok) throw new Error(published.detail);
    if (name === 'visit') visitVersion = published.form.version;
  }
  bolor = await signIn(server.app, 'bolor', password);
}, 60_000);

afterAll(async () => {
  await server.close();
});

async function submit(xml: string) {
  const res = await server.app.inject({
    method: 'POST',
    url: `/api/v1/projects/${server.projectId}/submissions`,
    headers: { ...bolor.headers, 'content-type': 'application/xml' },
    payload: xml,
  });
  expect(res.statusCode, res.body).toBe(201);
}

async function caseOf(id: string) {
  const res = await server.app.inject({
    method: 'GET',
    url: `/api/v1/projects/${server.projectId}/cases/${id}`,
    headers: bolor.headers,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ status: string; version: number; properties: Record<string, unknown> }>();
}

async function listedStatus(id: string): Promise<string | undefined> {
  const res = await server.app.inject({
    method: 'GET',
    url: `/api/v1/projects/${server.projectId}/cases`,
    headers: bolor.headers,
  });
  return res.json<{ items: Array<{ id: string; status: string }> }>().items.find((c) => c.id === id)?.status;
}

async function registered(needs: string): Promise<string> {
  const entityId = randomUUID();
  await submit(
    householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId }).replace(
      '<needs>food</needs>',
      `<needs>${needs}</needs>`,
    ),
  );
  return entityId;
}

/** Fills the published visit form as the web app does: from the server's XForm and case list. */
async function visitFromEngine(entityId: string, answers: (form: FilledForm) => void): Promise<string> {
  const form = await openPublishedForm(server.app, bolor.headers, {
    projectId: server.projectId,
    formId: 'mn_visit',
    version: visitVersion,
  });
  form.find('case_id').selectValue?.(entityId);
  answers(form);
  return form.xml();
}

/** A visit instance written by hand, as another client might send it. */
function handVisit(entityId: string, baseVersion: number, situation: string): string {
  return `<data id="mn_visit" version="${visitVersion}">
  <start/><end/><today>2026-03-05</today><username>bolor</username>
  <case_id>${entityId}</case_id><visit_date>2026-03-05</visit_date><visit_type>phone</visit_type><contact_made>yes</contact_made>
  <observations/>${situation}<case_status>in_progress</case_status>
  <meta><instanceID>uuid:${randomUUID()}</instanceID>
    <entity dataset="cases" id="${entityId}" update="1" baseVersion="${baseVersion}" trunkVersion="" branchId=""/></meta>
</data>`;
}

describe('a blank answer never erases a case (docs/entities.md)', () => {
  it('a visit that does not touch needs or the next visit keeps them, and the list shows the new status', async () => {
    const entityId = await registered('food health');
    await submit(handVisit(entityId, 1, '<needs>food health</needs><next_visit_date>2026-04-05</next_visit_date>'));
    expect((await caseOf(entityId)).properties['next_visit_date']).toBe('2026-04-05');

    const xml = await visitFromEngine(entityId, (form) => {
      form.find('visit_type').selectValue?.('phone');
      form.find('contact_made').selectValue?.('yes');
    });
    await submit(xml);

    const after = await caseOf(entityId);
    expect(after.version).toBe(3);
    expect(after.properties['needs']).toBe('food health');
    expect(after.properties['next_visit_date']).toBe('2026-04-05');
    expect(after.status).toBe('in_progress');
    expect(await listedStatus(entityId)).toBe('in_progress');
  }, 60_000);

  it('a property the instance leaves out (a question not asked) is left as it is', async () => {
    const entityId = await registered('food');
    await submit(handVisit(entityId, 1, ''));
    const after = await caseOf(entityId);
    expect(after.properties['needs']).toBe('food');
    expect(after.status).toBe('in_progress');
  });

  it('an answer the worker clears is written empty, as ODK Central does', async () => {
    const entityId = await registered('food');
    await submit(handVisit(entityId, 1, '<needs/><next_visit_date/>'));
    expect((await caseOf(entityId)).properties['needs']).toBe('');
  });
});

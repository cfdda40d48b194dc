import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignedIn, TestServer } from '@outpost/test-kit';
import { signIn, startTestServer } from '@outpost/test-kit';
import { publishForm } from '../forms/publishForm.js';
import { upsertAreas } from '../storage/queries/areas.js';
import { ensureEntityList, findEntity, insertEntity } from '../storage/queries/entities.js';
import { openPublishedForm } from './fillForm.test-support.js';

// PNG records from the field keep their place: a protected area's own assessment (METT) does not
// move it, and incidents land in the protected area the ranger picked, as seeded ones do.

const formsDir = new URL('../../../../templates/png-protected-areas/forms/', import.meta.url);
const password = 'correct horse battery';

let server: TestServer;
let ranger: SignedIn;
const versions = new Map<string, string>();
let varirata: string;
let paAreaId: string;

beforeAll(async () => {
  server = await startTestServer({
    users: [{ username: 'ranger', role: 'fieldworker' }],
    password,
    project: { slug: 'png', name: 'PNG protected areas' },
  });
  const areas = await upsertAreas(
    server.projectId,
    '2024',
    [
      { code: 'PG-CPM', parentCode: null, level: 'province', names: { en: 'Central' } },
      { code: 'PA-VARIRATA', parentCode: 'PG-CPM', level: 'protected_area', names: { en: 'Varirata National Park' } },
    ],
    server.store,
  );
  paAreaId = areas.find((a) => a.code === 'PA-VARIRATA')?.id ?? '';
  for (const name of ['protected_area', 'management_effectiveness', 'incident']) {
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
    versions.set(published.form.formId, published.form.version);
  }
  // As `outpost seed` stores it: placed in its protected area, whose code its properties may lack.
  const list = await ensureEntityList(server.projectId, 'protected_areas', server.store);
  varirata = (
    await insertEntity(
      {
        listId: list.id,
        label: 'Varirata National Park',
        properties: { pa_name: 'Varirata National Park', province: 'PG-CPM', designation: 'national_park' },
        areaId: paAreaId,
        status: 'active',
      },
      server.store,
    )
  ).id;
  ranger = await signIn(server.app, 'ranger', password);
}, 60_000);

afterAll(async () => {
  await server.close();
});

async function fill(formId: string, answer: (form: Awaited<ReturnType<typeof openPublishedForm>>) => void) {
  const form = await openPublishedForm(server.app, ranger.headers, {
    projectId: server.projectId,
    formId,
    version: versions.get(formId) ?? '',
  });
  form.find('pa_id').selectValue?.(varirata);
  answer(form);
  form.answerRequired();
  return server.app.inject({
    method: 'POST',
    url: `/api/v1/projects/${server.projectId}/submissions`,
    headers: { ...ranger.headers, 'content-type': 'application/xml' },
    payload: await form.xml(),
  });
}

describe('records keep their place', () => {
  it('a field worker submits the METT of a protected area without moving it', async () => {
    const res = await fill('png_management_effectiveness', (form) => {
      form.find('permanent_staff').setValue?.('4');
      form.find('fiscal_year').setValue?.('2026');
    });
    expect(res.statusCode, res.body).toBe(201);
    const after = await findEntity(varirata, server.store);
    expect(after?.area_id).toBe(paAreaId);
    expect(after?.properties['permanent_staff']).toBe('4');
  }, 60_000);

  it('an incident from the tablet is placed in the protected area picked, like a seeded one', async () => {
    // The registered protected area now carries its area code, as the profile form saves it.
    await server.store.db
      .updateTable('entities')
      .set({
        properties: JSON.stringify({ pa_name: 'Varirata National Park', province: 'PG-CPM', pa_code: 'PA-VARIRATA' }),
      })
      .where('id', '=', varirata)
      .execute();
    const res = await fill('png_incident', (form) => form.find('reported_by').selectValue?.('anonymous'));
    expect(res.statusCode, res.body).toBe(201);
    const list = await server.app.inject({
      method: 'GET',
      url: `/api/v1/projects/${server.projectId}/cases`,
      headers: ranger.headers,
    });
    const incident = list
      .json<{ items: Array<{ list: string; area: { name: string } | null }> }>()
      .items.find((c) => c.list === 'incidents');
    expect(incident?.area?.name).toBe('Varirata National Park');
  }, 60_000);
});

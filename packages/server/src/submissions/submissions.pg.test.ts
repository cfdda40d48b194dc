import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresTestStore } from '@outpost/test-kit';
import type { PostgresTestStore } from '@outpost/test-kit';
import { publishForm } from '../forms/publishForm.js';
import { upsertAreas } from '../storage/queries/areas.js';
import { findEntity } from '../storage/queries/entities.js';
import { createProject } from '../storage/queries/projects.js';
import type { Store } from '../storage/store.js';
import { receiveSubmission } from './receiveSubmission.js';
import { householdInstance } from './householdInstance.test-support.js';
import { templateFormVersion } from '../templateFormVersion.test-support.js';

const formsDir = new URL('../../../../templates/mongolia-social-protection/forms/', import.meta.url);

let postgres: PostgresTestStore;
let store: Store;

beforeAll(async () => {
  postgres = await openPostgresTestStore();
  store = postgres.store;
});

afterAll(async () => {
  await postgres.close();
});

describe('forms and submissions on PostgreSQL', () => {
  it('publishes the registration form, stores a household once and creates its case', async () => {
    const project = await createProject({ slug: 'bayanzurkh', name: 'Bayanzürkh' }, store);
    const published = await publishForm(
      {
        projectId: project.id,
        fileName: 'household_registration.xlsx',
        bytes: readFileSync(new URL('household_registration.xlsx', formsDir)),
        actorId: null,
      },
      store,
    );
    expect(published).toMatchObject({ ok: true, form: { formId: 'mn_household_registration', created: true } });

    const instanceId = `uuid:${randomUUID()}`;
    const entityId = randomUUID();
    const input = {
      projectId: project.id,
      xml: householdInstance({ instanceId, entityId }),
      userId: null,
      deviceId: null,
    };
    const first = await receiveSubmission(input, store);
    expect(first).toMatchObject({ ok: true, created: true, receipt: { entity: { action: 'created', entityId } } });
    // Sent twice at once, as a flaky link retrying does: one row, the same receipt.
    const [a, b] = await Promise.all([receiveSubmission(input, store), receiveSubmission(input, store)]);
    expect(a).toEqual({ ...first, created: false });
    expect(b).toEqual({ ...first, created: false });
    expect(await findEntity(entityId, store)).toMatchObject({ label: 'Б. Болд', version: 1 });
  }, 60_000);
});

describe('what an update writes, on PostgreSQL (docs/entities.md)', () => {
  it('keeps what a visit leaves out, follows the status it saves and keeps the case in place', async () => {
    const project = await createProject({ slug: 'bayanzurkh-visits', name: 'Bayanzürkh visits' }, store);
    const areas = await upsertAreas(
      project.id,
      '2024',
      [
        { code: 'MN11', parentCode: null, level: 'aimag', names: { en: 'Ulaanbaatar' } },
        { code: 'MN1110', parentCode: 'MN11', level: 'district', names: { en: 'Bayanzürkh' } },
        { code: 'MN111051', parentCode: 'MN1110', level: 'khoroo', names: { en: 'Khoroo 1' } },
      ],
      store,
    );
    for (const name of ['household_registration', 'visit']) {
      const published = await publishForm(
        {
          projectId: project.id,
          fileName: `${name}.xlsx`,
          bytes: readFileSync(new URL(`${name}.xlsx`, formsDir)),
          actorId: null,
        },
        store,
      );
      if (!published.ok) throw new Error(published.detail);
    }
    const entityId = randomUUID();
    const receive = (xml: string) =>
      receiveSubmission({ projectId: project.id, xml, userId: null, deviceId: null }, store);
    await receive(householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId }));
    const khoroo = areas.find((a) => a.code === 'MN111051')?.id;
    expect(await findEntity(entityId, store)).toMatchObject({ status: 'open', area_id: khoroo });

    // A visit that leaves `needs` out (not asked): the status moves, needs and place stay.
    const visit = await receive(`<data id="mn_visit" version="${templateFormVersion('mn_visit')}">
  <case_id>${entityId}</case_id><visit_date>2026-03-05</visit_date><visit_type>phone</visit_type><contact_made>yes</contact_made>
  <observations/><next_visit_date>2026-04-05</next_visit_date><case_status>in_progress</case_status>
  <meta><instanceID>uuid:${randomUUID()}</instanceID>
    <entity dataset="cases" id="${entityId}" update="1" baseVersion="1" trunkVersion="" branchId=""/></meta>
</data>`);
    expect(visit).toMatchObject({ ok: true });
    const after = await findEntity(entityId, store);
    expect(after).toMatchObject({ status: 'in_progress', area_id: khoroo, version: 2 });
    expect(after?.properties['needs']).toBe('food');
  }, 60_000);
});

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresTestStore } from '@outpost/test-kit';
import type { PostgresTestStore } from '@outpost/test-kit';
import { publishForm } from '../forms/publishForm.js';
import { findEntity } from '../storage/queries/entities.js';
import { createProject } from '../storage/queries/projects.js';
import type { Store } from '../storage/store.js';
import { receiveSubmission } from './receiveSubmission.js';
import { householdInstance } from './householdInstance.test-support.js';

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

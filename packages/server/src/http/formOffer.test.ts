import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '@outpost/test-kit';
import { signIn, startTestServer } from '@outpost/test-kit';
import { publishForm } from '../forms/publishForm.js';

// Forms are offered only to whoever may submit them (core/policy canSubmitForm): the read-only
// analyst is not offered "Fill a form" and lists no form to fill; the field worker lists them.

const password = 'correct horse battery';
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    users: [
      { username: 'bolor', role: 'fieldworker' },
      { username: 'tsetseg', role: 'analyst' },
    ],
    password,
  });
  const published = await publishForm(
    {
      projectId: server.projectId,
      fileName: 'visit.xlsx',
      bytes: readFileSync(
        new URL('../../../../templates/mongolia-social-protection/forms/visit.xlsx', import.meta.url),
      ),
      actorId: null,
    },
    server.store,
  );
  if (!published.ok) throw new Error(published.detail);
}, 60_000);

afterAll(async () => {
  await server.close();
});

async function offer(username: string) {
  const { headers } = await signIn(server.app, username, password);
  const projects = await server.app.inject({ method: 'GET', url: '/api/v1/projects', headers });
  const forms = await server.app.inject({
    method: 'GET',
    url: `/api/v1/projects/${server.projectId}/forms`,
    headers,
  });
  expect(forms.statusCode, forms.body).toBe(200);
  return {
    canSubmit: projects.json<{ items: Array<{ id: string; canSubmit: boolean }> }>().items[0]?.canSubmit,
    forms: forms.json<{ items: Array<{ formId: string; submittable: boolean }> }>().items,
  };
}

describe('forms are offered to the roles that can submit them', () => {
  it('offers the visit form to the field worker', async () => {
    expect(await offer('bolor')).toEqual({
      canSubmit: true,
      forms: [expect.objectContaining({ formId: 'mn_visit', submittable: true })],
    });
  });

  it('offers nothing to fill to the read-only analyst', async () => {
    // She reviews submissions, so she sees the forms, each marked as one she cannot send.
    const seen = await offer('tsetseg');
    expect(seen.canSubmit).toBe(false);
    expect(seen.forms.length).toBeGreaterThan(0);
    for (const form of seen.forms) expect(form.submittable).toBe(false);
  });
});

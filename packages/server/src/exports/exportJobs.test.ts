import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '@outpost/test-kit';
import { addUser } from '../auth/users.js';
import { buildApp, defaultSettings } from '../http/app.js';
import { addMembership } from '../storage/queries/memberships.js';
import { householdInstance } from '../submissions/householdInstance.test-support.js';
import { receiveSubmission } from '../submissions/receiveSubmission.js';
import type { ExportFixture } from './exportFixture.test-support.js';
import { openExportFixture } from './exportFixture.test-support.js';
import { exportForm } from './exportForm.js';

// The web app's exports: started, watched while rows are written, cancelled, fetched; each
// person's own, through the same export (policy, language, audit) as a direct download.

let fixture: ExportFixture;
let app: FastifyInstance;
const password = 'correct horse battery staple';
type Job = { id: string; state: string; written: number; total: number; fileName: string };

beforeAll(async () => {
  fixture = await openExportFixture('outpost-export-jobs-');
  const { store, projectId } = fixture;
  for (const [i, given] of ['Болд', 'Сараа', 'Дулмаа'].entries()) {
    const xml = householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId: randomUUID(), given });
    const r = await receiveSubmission({ projectId, xml, userId: null, deviceId: null }, store);
    if (!r.ok) throw new Error(`${i}: ${JSON.stringify(r)}`);
  }
  for (const [username, role] of [
    ['analyst', 'analyst'],
    ['analyst2', 'analyst'],
    ['officer', 'fieldworker'],
  ] as const) {
    const r = await addUser(
      { username, displayName: username, role, password },
      null,
      { now: () => new Date() },
      store,
    );
    if (!r.ok) throw new Error(JSON.stringify(r));
    await addMembership({ userId: r.user.id, projectId, roleId: role }, store);
  }
  app = await buildApp({ store, settings: defaultSettings });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await fixture.close();
});

async function until(headers: Record<string, string>, id: string, state: string): Promise<Job> {
  for (let i = 0; i < 600; i++) {
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/projects/${fixture.projectId}/exports/${id}`,
      headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    const job = res.json<Job>();
    if (job.state === state) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`export ${id} never became ${state}`);
}

describe('export jobs', () => {
  it('runs an export, reports rows written of the total, and hands over the file in the language asked', async () => {
    const { headers } = await signIn(app, 'analyst', password);
    const started = await app.inject({
      method: 'POST',
      url: `/api/v1/projects/${fixture.projectId}/forms/mn_household_registration/exports`,
      headers,
      payload: { format: 'csv', lang: 'en' },
    });
    expect(started.statusCode, started.body).toBe(202);
    const job = started.json<Job>();
    expect(job.total).toBe(3);
    expect(job.fileName).toBe('mn_household_registration.csv.zip');
    const done = await until(headers, job.id, 'done');
    expect(done.written).toBe(3);
    const file = await app.inject({
      method: 'GET',
      url: `/api/v1/projects/${fixture.projectId}/exports/${job.id}/file`,
      headers,
    });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toContain('mn_household_registration.csv.zip');
    const csv = strFromU8(
      unzipSync(new Uint8Array(file.rawPayload))['mn_household_registration.csv'] ?? new Uint8Array(),
    );
    expect(csv.split('\r\n')[0]?.split(',')).toContain('Sex');
    // The analyst's export is redacted as a direct download is: no names.
    expect(csv).not.toContain('Болд');
    expect(csv.split('\r\n').filter((l) => l !== '')).toHaveLength(4);

    // Another exporter cannot watch, fetch or cancel it.
    const other = await signIn(app, 'analyst2', password);
    for (const [method, url] of [
      ['GET', `/exports/${job.id}`],
      ['GET', `/exports/${job.id}/file`],
      ['DELETE', `/exports/${job.id}`],
    ] as const) {
      const res = await app.inject({
        method,
        url: `/api/v1/projects/${fixture.projectId}${url}`,
        headers: other.headers,
      });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json<{ code: string }>().code).toBe('export.not-found');
    }
    // Its starter drops it; then it is gone.
    const del = await app.inject({
      method: 'DELETE',
      url: `/api/v1/projects/${fixture.projectId}/exports/${job.id}`,
      headers,
    });
    expect(del.statusCode).toBe(204);
    const gone = await app.inject({
      method: 'GET',
      url: `/api/v1/projects/${fixture.projectId}/exports/${job.id}/file`,
      headers,
    });
    expect(gone.statusCode).toBe(404);
  });

  it('refuses those who may not export and a bad request', async () => {
    const officer = await signIn(app, 'officer', password);
    const url = `/api/v1/projects/${fixture.projectId}/forms/mn_household_registration/exports`;
    const refused = await app.inject({ method: 'POST', url, headers: officer.headers, payload: { format: 'csv' } });
    expect(refused.statusCode).toBe(403);
    const { headers } = await signIn(app, 'analyst', password);
    const badLang = await app.inject({ method: 'POST', url, headers, payload: { format: 'csv', lang: 'fr' } });
    expect(badLang.statusCode).toBe(400);
    const dwca = await app.inject({ method: 'POST', url, headers, payload: { format: 'dwca' } });
    expect(dwca.statusCode).toBe(422);
  });

  it('stops an export that is cancelled: nothing more is written and it rejects', async () => {
    const controller = new AbortController();
    const out = new PassThrough();
    let bytes = 0;
    out.on('data', (c: Buffer) => (bytes += c.length));
    controller.abort();
    await expect(
      exportForm(
        { formId: fixture.formId, format: 'csv', actorId: null, signal: controller.signal },
        fixture.store,
        out,
      ),
    ).rejects.toThrow('cancelled');
    expect(bytes).toBe(0);
  });
});

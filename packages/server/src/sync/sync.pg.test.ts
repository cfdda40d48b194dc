import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullPage, PushResult } from '@outpost/core';
import { PROTOCOL_VERSION, pulledRecords } from '@outpost/core';
import { openPostgresTestStore } from '@outpost/test-kit';
import type { PostgresTestStore } from '@outpost/test-kit';
import { registerDevice } from '../auth/sessions.js';
import { addUser } from '../auth/users.js';
import { publishForm } from '../forms/publishForm.js';
import { buildApp, defaultSettings } from '../http/app.js';
import { upsertAreas } from '../storage/queries/areas.js';
import { attributedVersions } from '../storage/queries/conflicts.js';
import { findEntity } from '../storage/queries/entities.js';
import { addMembership } from '../storage/queries/memberships.js';
import { createProject } from '../storage/queries/projects.js';
import type { Store } from '../storage/store.js';
import { householdInstance } from '../submissions/householdInstance.test-support.js';
import { templateFormVersion } from '../templateFormVersion.test-support.js';

const formsDir = new URL('../../../../templates/mongolia-social-protection/forms/', import.meta.url);
const clock = { now: () => new Date() };

let postgres: PostgresTestStore;
let store: Store;
let app: FastifyInstance;
let projectId: string;
let userId: string;

beforeAll(async () => {
  postgres = await openPostgresTestStore();
  store = postgres.store;
  projectId = (await createProject({ slug: 'bayanzurkh', name: 'Bayanzürkh' }, store)).id;
  const areas = await upsertAreas(
    projectId,
    '2024',
    [
      { code: 'MN11', parentCode: null, level: 'aimag', names: { en: 'Ulaanbaatar' } },
      { code: 'MN1110', parentCode: 'MN11', level: 'district', names: { en: 'Bayanzürkh' } },
      { code: 'MN111051', parentCode: 'MN1110', level: 'khoroo', names: { en: 'Khoroo 1' } },
    ],
    store,
  );
  for (const file of ['household_registration', 'visit']) {
    const published = await publishForm(
      { projectId, fileName: `${file}.xlsx`, bytes: readFileSync(new URL(`${file}.xlsx`, formsDir)), actorId: null },
      store,
    );
    if (!published.ok) throw new Error(`publishing ${file} failed`);
  }
  const user = await addUser(
    { username: 'bolor', displayName: 'Bolor', role: 'fieldworker', password: 'correct horse battery' },
    null,
    clock,
    store,
  );
  if (!user.ok) throw new Error(user.detail);
  userId = user.user.id;
  const khoroo = areas.find((a) => a.code === 'MN111051');
  await addMembership({ userId, projectId, roleId: 'fieldworker', areaId: khoroo?.id ?? null }, store);
  app = await buildApp({ store, settings: defaultSettings });
}, 60_000);

afterAll(async () => {
  await app.close();
  await postgres.close();
});

function visit(instanceId: string, entityId: string, needs: string): string {
  return `<data id="mn_visit" version="${templateFormVersion('mn_visit')}">
  <start/><end/><today>2026-03-05</today><username>bolor</username>
  <case_id>${entityId}</case_id><visit_date>2026-03-05</visit_date><visit_type>phone</visit_type><contact_made>yes</contact_made>
  <visit_location/><observations/><needs>${needs}</needs><next_visit_date>2026-04-05</next_visit_date><case_status>in_progress</case_status>
  <meta><instanceID>${instanceId}</instanceID><entity dataset="cases" id="${entityId}" update="1" baseVersion="1" trunkVersion="" branchId=""/></meta>
</data>`;
}

async function push(token: string, deviceId: string, seq: number, formId: string, xml: string): Promise<PushResult> {
  const instanceId = /<instanceID>([^<]+)<\/instanceID>/.exec(xml)?.[1] ?? '';
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/sync/push',
    headers: { authorization: `Bearer ${token}` },
    payload: {
      protocol: PROTOCOL_VERSION,
      deviceId,
      fromSeq: seq,
      throughSeq: seq,
      items: [
        {
          seq,
          instanceId,
          projectId,
          formId,
          formVersion: templateFormVersion(formId),
          xml,
          createdAt: '2026-03-05T10:00:00Z',
          attachments: [],
        },
      ],
    },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<PushResult>();
}

describe('sync on PostgreSQL', () => {
  it('loses no acknowledged update when devices push conflicting edits of one case at once (R12)', async () => {
    const devices = await Promise.all(
      Array.from({ length: 6 }, (_, i) => registerDevice({ userId, name: `tablet-${i}` }, clock, store)),
    );
    const caseId = randomUUID();
    const [first] = devices;
    if (first === undefined) throw new Error('no device');
    expect(
      (
        await push(
          first.token,
          first.deviceId,
          1,
          'mn_household_registration',
          householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId: caseId }),
        )
      ).ackedThrough,
    ).toBe(1);

    const edits = devices.map((d, i) => ({
      device: d,
      instanceId: `uuid:${randomUUID()}`,
      needs: ['food', 'cash', 'shelter'][i % 3] ?? 'food',
    }));
    const results = await Promise.all(
      edits.map((e) => push(e.device.token, e.device.deviceId, 2, 'mn_visit', visit(e.instanceId, caseId, e.needs))),
    );
    for (const result of results) expect(result).toMatchObject({ ackedThrough: 2, results: [{ outcome: 'accepted' }] });

    // Every acknowledged edit is one version of the case, none overwritten in a race.
    const versions = await attributedVersions(caseId, 1, store);
    const bySubmission = new Map(versions.map((v) => [v.submission_id, v.version]));
    for (const e of edits) expect(bySubmission.has(e.instanceId)).toBe(true);
    expect(new Set(bySubmission.values()).size).toBe(edits.length + 1);
    const entity = await findEntity(caseId, store);
    expect(entity).toMatchObject({ version: edits.length + 1, conflict: 'hard' });

    // And a pull brings that final state.
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/sync/pull',
      headers: { authorization: `Bearer ${first.token}` },
      payload: { protocol: PROTOCOL_VERSION, deviceId: first.deviceId, cursors: {}, maxBytes: 65536 },
    });
    const page = res.json<PullPage>();
    expect(pulledRecords(page).find((r) => r[0] === caseId)?.[3]).toBe(edits.length + 1);
  }, 60_000);
});

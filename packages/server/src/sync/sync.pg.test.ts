import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullPage, PushResult } from '@outpost/core';
import { PROTOCOL_VERSION, pulledRecords } from '@outpost/core';
import { openPostgresTestStore } from '@outpost/test-kit';
import type { PostgresTestStore } from '@outpost/test-kit';
import { registerDevice } from '../auth/sessions.js';
import { buildApp, defaultSettings } from '../http/app.js';
import { attributedVersions } from '../storage/queries/conflicts.js';
import { findEntity } from '../storage/queries/entities.js';
import type { Store } from '../storage/store.js';
import { householdInstance } from '../submissions/householdInstance.test-support.js';
import { templateFormVersion } from '../templateFormVersion.test-support.js';
import { seedBayanzurkh, visitInstance } from './bayanzurkh.test-support.js';

const clock = { now: () => new Date() };

let postgres: PostgresTestStore;
let store: Store;
let app: FastifyInstance;
let projectId: string;
let userId: string;

beforeAll(async () => {
  postgres = await openPostgresTestStore();
  store = postgres.store;
  const seeded = await seedBayanzurkh(store, [['bolor', 'fieldworker', 'MN111051']]);
  projectId = seeded.projectId;
  userId = seeded.users['bolor'] ?? '';
  app = await buildApp({ store, settings: defaultSettings });
}, 60_000);

afterAll(async () => {
  await app.close();
  await postgres.close();
});

function visit(instanceId: string, entityId: string, needs: string): string {
  return visitInstance({ instanceId, entityId, baseVersion: 1, needs });
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

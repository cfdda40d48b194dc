import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullPage } from '@outpost/core';
import { PROTOCOL_VERSION, pulledRecords } from '@outpost/core';
import { openTestStore } from '@outpost/test-kit';
import { registerDevice } from '../auth/sessions.js';
import { addUser } from '../auth/users.js';
import { buildApp, defaultSettings } from '../http/app.js';
import { upsertAreas } from '../storage/queries/areas.js';
import { ensureEntityList, insertEntity } from '../storage/queries/entities.js';
import { addMembership } from '../storage/queries/memberships.js';
import { createProject } from '../storage/queries/projects.js';
import type { Store } from '../storage/store.js';
import { loadSyncReach } from './syncReach.js';
import { RECOMMENDED_DEVICE_RECORDS, syncPlan } from './syncPlan.js';

// R13: before its first sync a device asks how much is coming, so the user is warned when their
// scope holds more than one device should carry.

const clock = { now: () => new Date() };
let store: Store;
let app: FastifyInstance;
const tokens: Record<string, { deviceId: string; token: string }> = {};
const userIds: Record<string, string> = {};

beforeAll(async () => {
  store = await openTestStore();
  const projectId = (await createProject({ slug: 'bayanzurkh', name: 'Bayanzürkh' }, store)).id;
  const areas = await upsertAreas(
    projectId,
    '2024',
    [
      { code: 'MN1110', parentCode: null, level: 'district', names: { en: 'Bayanzürkh' } },
      { code: 'MN111051', parentCode: 'MN1110', level: 'khoroo', names: { en: 'Khoroo 1' } },
      { code: 'MN111052', parentCode: 'MN1110', level: 'khoroo', names: { en: 'Khoroo 2' } },
    ],
    store,
  );
  const area = (code: string): string => areas.find((a) => a.code === code)?.id ?? '';
  const list = await ensureEntityList(projectId, 'cases', store);
  // 30 households in khoroo 1, 12 in khoroo 2.
  for (const [code, n] of [
    ['MN111051', 30],
    ['MN111052', 12],
  ] as const) {
    for (let i = 0; i < n; i++) {
      await insertEntity({ listId: list.id, label: `${code} ${i}`, areaId: area(code) }, store);
    }
  }
  for (const [username, code] of [
    ['district', 'MN1110'],
    ['khoroo2', 'MN111052'],
  ] as const) {
    const added = await addUser(
      { username, displayName: username, role: 'fieldworker', password: 'correct horse battery' },
      null,
      clock,
      store,
    );
    if (!added.ok) throw new Error(added.detail);
    userIds[username] = added.user.id;
    await addMembership({ userId: added.user.id, projectId, roleId: 'fieldworker', areaId: area(code) }, store);
    tokens[username] = await registerDevice({ userId: added.user.id, name: `${username}-tablet` }, clock, store);
  }
  app = await buildApp({ store, settings: { ...defaultSettings } });
});

afterAll(async () => {
  await app.close();
  await store.close();
});

function plan(username: string, body?: Record<string, unknown>) {
  const device = tokens[username];
  if (device === undefined) throw new Error(username);
  return app.inject({
    method: 'POST',
    url: '/api/v1/sync/plan',
    headers: { authorization: `Bearer ${device.token}` },
    payload: body ?? { protocol: PROTOCOL_VERSION, deviceId: device.deviceId },
  });
}

describe('sync plan (R13)', () => {
  it('tells a device how many records its first sync brings and the recommended device limit', async () => {
    const district = await plan('district');
    expect(district.statusCode, district.body).toBe(200);
    expect(district.json()).toMatchObject({
      records: 42,
      deviceLimit: RECOMMENDED_DEVICE_RECORDS,
      exceedsDeviceLimit: false,
    });
    const khoroo = await plan('khoroo2');
    expect(khoroo.json()).toMatchObject({ records: 12, exceedsDeviceLimit: false });
    const perScope = khoroo.json<{ scopes: Array<{ records: number }> }>().scopes.map((s) => s.records);
    expect(perScope.reduce((a, b) => a + b, 0)).toBe(12);
  });

  it('counts the same records the pull then brings', async () => {
    const device = tokens['khoroo2'];
    if (device === undefined) throw new Error('no device');
    const pull = await app.inject({
      method: 'POST',
      url: '/api/v1/sync/pull',
      headers: { authorization: `Bearer ${device.token}` },
      payload: { protocol: PROTOCOL_VERSION, deviceId: device.deviceId, cursors: {}, maxBytes: 1024 * 1024 },
    });
    expect(pull.statusCode, pull.body).toBe(200);
    const page = pull.json<PullPage>();
    expect(page.hasMore).toBe(false);
    const again = await plan('khoroo2');
    expect(again.statusCode, again.body).toBe(200);
    const planned = again.json<{ records: number }>();
    expect(pulledRecords(page)).toHaveLength(planned.records);
  });

  it('says so when the reach is larger than one device should hold', async () => {
    const reach = await loadSyncReach({ userId: userIds['district'] ?? '', role: 'fieldworker' }, store);
    expect(await syncPlan(reach, store, 40)).toMatchObject({ records: 42, deviceLimit: 40, exceedsDeviceLimit: true });
  });

  it('refuses another device id, an unknown protocol and unknown members', async () => {
    expect((await plan('district', { protocol: PROTOCOL_VERSION, deviceId: 'someone-else' })).statusCode).toBe(403);
    const device = tokens['district'];
    expect((await plan('district', { protocol: PROTOCOL_VERSION + 1, deviceId: device?.deviceId })).statusCode).toBe(
      400,
    );
    expect(
      (await plan('district', { protocol: PROTOCOL_VERSION, deviceId: device?.deviceId, limit: 1 })).statusCode,
    ).toBe(400);
  });
});

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullPage } from '@outpost/core';
import { PROTOCOL_VERSION, pulledRecords } from '@outpost/core';
import { signIn } from '@outpost/test-kit';
import type { SignedIn } from '@outpost/test-kit';
import { registerDevice } from '../../auth/sessions.js';
import { addUser } from '../../auth/users.js';
import { upsertAreas } from '../../storage/queries/areas.js';
import { listAuditEvents } from '../../storage/queries/audit.js';
import { ensureEntityList, insertEntity } from '../../storage/queries/entities.js';
import { addMembership, findMembership } from '../../storage/queries/memberships.js';
import { createProject } from '../../storage/queries/projects.js';
import type { Store } from '../../storage/store.js';
import { migrate, openStore } from '../../storage/store.js';
import { buildApp, defaultSettings } from '../app.js';

// Project membership as an administrator manages it: add, change, remove, each audited; refused
// input changes nothing; a changed or removed membership takes effect on the member's next
// request and next sync (the device forgets what left the member's reach).

const password = 'correct horse battery';
const clock = { now: () => new Date() };

let dir: string;
let store: Store;
let app: FastifyInstance;
let projectId: string;
const users: Record<string, string> = {};
const cases: Record<string, string> = {};
let admin: SignedIn;
let supervisor: SignedIn;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-members-'));
  store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
  await migrate(store);
  app = await buildApp({ store, settings: { ...defaultSettings, loginRateLimitPerMinute: 1000 } });
  projectId = (await createProject({ slug: 'bayanzurkh', name: 'Bayanzürkh' }, store)).id;
  const areas = await upsertAreas(
    projectId,
    '2024',
    [
      { code: 'MN1110', parentCode: null, level: 'district', names: { en: 'Bayanzürkh', mn: 'Баянзүрх' } },
      { code: 'MN111051', parentCode: 'MN1110', level: 'khoroo', names: { en: 'Khoroo 1', mn: '1-р хороо' } },
      { code: 'MN111053', parentCode: 'MN1110', level: 'khoroo', names: { en: 'Khoroo 2', mn: '2-р хороо' } },
    ],
    store,
  );
  const areaId = (code: string) => areas.find((a) => a.code === code)?.id ?? null;
  for (const [username, role] of [
    ['boss', 'admin'],
    ['sarnai', 'supervisor'],
    ['nara', 'fieldworker'],
  ] as const) {
    const r = await addUser({ username, displayName: username, role, password }, null, clock, store);
    if (!r.ok) throw new Error(r.detail);
    users[username] = r.user.id;
  }
  await addMembership({ userId: users['sarnai'] ?? '', projectId, roleId: 'supervisor' }, store);
  const list = await ensureEntityList(projectId, 'cases', store);
  for (const [key, code, assignee] of [
    ['k1', 'MN111051', null],
    ['k2', 'MN111053', null],
    ['mine', 'MN111053', 'nara'],
  ] as const) {
    const entity = await insertEntity(
      {
        listId: list.id,
        label: `Household ${key}`,
        properties: {},
        areaId: areaId(code),
        assigneeId: assignee === null ? null : (users[assignee] ?? null),
      },
      store,
    );
    cases[key] = entity.id;
  }
  admin = await signIn(app, 'boss', password);
  supervisor = await signIn(app, 'sarnai', password);
}, 60_000);

afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const membersUrl = (userId = users['nara'] ?? '') => `/api/v1/projects/${projectId}/members/${userId}`;

function put(body: unknown, as: SignedIn = admin, userId?: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'PUT', url: membersUrl(userId), headers: as.headers, payload: body as object });
}

function problem(res: LightMyRequestResponse, status: number, code: string, field?: string): void {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json<{ code: string; field?: string }>();
  expect(body.code).toBe(code);
  if (field !== undefined) expect(body.field).toBe(field);
}

async function auditOf(action: string) {
  return (await listAuditEvents(0, 10_000, store)).filter((e) => e.action === action);
}

/** The case ids nara sees in the case list (404 once she is not in the project). */
async function caseList(): Promise<string[] | number> {
  const nara = await signIn(app, 'nara', password);
  const res = await app.inject({ method: 'GET', url: `/api/v1/projects/${projectId}/cases`, headers: nara.headers });
  if (res.statusCode !== 200) return res.statusCode;
  return res
    .json<{ items: Array<{ id: string }> }>()
    .items.map((c) => c.id)
    .sort();
}

/** A device of nara's that keeps what it pulls, and forgets what is filed under scopes no longer listed. */
async function naraDevice() {
  const { deviceId, token } = await registerDevice({ userId: users['nara'] ?? '', name: 'tablet' }, clock, store);
  let cursors: Record<string, number> = {};
  const replica = new Map<string, string>();
  return {
    replica,
    async pullAll(): Promise<void> {
      for (let i = 0; i < 100; i++) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/sync/pull',
          headers: { authorization: `Bearer ${token}` },
          payload: { protocol: PROTOCOL_VERSION, deviceId, cursors, maxBytes: 256 * 1024 },
        });
        expect(res.statusCode, res.body).toBe(200);
        const page = res.json<PullPage>();
        for (const [id, , scope] of pulledRecords(page)) replica.set(id, scope);
        for (const e of page.evictions) replica.delete(e.id);
        for (const [id, scope] of replica) if (!page.scopes.includes(scope)) replica.delete(id);
        cursors = { ...page.cursors };
        if (!page.hasMore) return;
      }
      throw new Error('pull never finished');
    },
  };
}

const sorted = (...keys: string[]) => keys.map((k) => cases[k] ?? k).sort();

describe('project membership', () => {
  it('adds, changes and removes a member, audits each change, and the member sees exactly their scope', async () => {
    expect(await caseList()).toBe(404);
    const device = await naraDevice();
    await device.pullAll();
    expect(device.replica.size).toBe(0);

    const added = await put({ role: 'fieldworker', areas: ['MN111051'] });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({
      userId: users['nara'],
      username: 'nara',
      role: 'fieldworker',
      wholeProject: false,
      areas: [{ code: 'MN111051', level: 'khoroo', names: { en: 'Khoroo 1', mn: '1-р хороо' } }],
      team: null,
    });
    expect(await caseList()).toEqual(sorted('k1', 'mine'));
    await device.pullAll();
    expect([...device.replica.keys()].sort()).toEqual(sorted('k1', 'mine'));
    const [addEvent] = await auditOf('membership.added');
    expect(addEvent).toMatchObject({
      actor_id: users['boss'],
      subject: `user:${users['nara']}`,
      details: { projectId, role: 'fieldworker', scope: 'limited', areas: ['MN111051'], team: null },
    });

    const listed = await app.inject({
      method: 'GET',
      url: `/api/v1/projects/${projectId}/members`,
      headers: admin.headers,
    });
    expect(listed.statusCode).toBe(200);
    expect(listed.json<{ items: Array<{ username: string; wholeProject: boolean }> }>().items).toMatchObject([
      { username: 'nara', wholeProject: false },
      { username: 'sarnai', wholeProject: true },
    ]);

    // Moved to khoroo 2: khoroo 1's case leaves the list and the device.
    const changed = await put({ role: 'fieldworker', areas: ['MN111053'] });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(await caseList()).toEqual(sorted('k2', 'mine'));
    await device.pullAll();
    expect([...device.replica.keys()].sort()).toEqual(sorted('k2', 'mine'));
    const [changeEvent] = await auditOf('membership.changed');
    expect(changeEvent?.details).toMatchObject({
      areas: ['MN111053'],
      previous: { role: 'fieldworker', areas: ['MN111051'] },
    });

    // Own assignments only: the case assigned to her, nothing else of khoroo 2.
    expect((await put({ role: 'fieldworker', own: true })).statusCode).toBe(200);
    expect(await caseList()).toEqual(sorted('mine'));
    await device.pullAll();
    expect([...device.replica.keys()]).toEqual(sorted('mine'));

    const removed = await app.inject({ method: 'DELETE', url: membersUrl(), headers: admin.headers });
    expect(removed.statusCode, removed.body).toBe(204);
    expect(await caseList()).toBe(404);
    await device.pullAll();
    expect(device.replica.size).toBe(0);
    const [removeEvent] = await auditOf('membership.removed');
    expect(removeEvent).toMatchObject({
      subject: `user:${users['nara']}`,
      details: { projectId, previous: { role: 'fieldworker', scope: 'own', areas: [] } },
    });
    problem(
      await app.inject({ method: 'DELETE', url: membersUrl(), headers: admin.headers }),
      404,
      'request.not-found',
    );
  }, 60_000);

  it('gives a whole district with several areas, and the whole project without any', async () => {
    const several = await put({ role: 'supervisor', areas: ['MN111051', 'MN111053'], team: 'north' });
    expect(several.statusCode, several.body).toBe(201);
    expect(several.json<{ areas: Array<{ code: string }> }>().areas.map((a) => a.code)).toEqual([
      'MN111051',
      'MN111053',
    ]);
    expect(await caseList()).toEqual(sorted('k1', 'k2', 'mine'));
    const whole = await put({ role: 'analyst' });
    expect(whole.json()).toMatchObject({ role: 'analyst', wholeProject: true, areas: [], team: null });
    await app.inject({ method: 'DELETE', url: membersUrl(), headers: admin.headers });
  }, 60_000);

  it('refuses unknown roles and areas, bad teams and mixed scopes with a stable code, and changes nothing', async () => {
    expect((await put({ role: 'fieldworker', areas: ['MN111051'] })).statusCode).toBe(201);
    const before = await findMembership(users['nara'] ?? '', projectId, store);
    const auditBefore = (await listAuditEvents(0, 10_000, store)).length;

    problem(await put({ role: 'chief' }), 400, 'membership.invalid', 'role');
    problem(await put({ role: 'fieldworker', areas: ['MN111051', 'MN999'] }), 422, 'membership.unknown-area', 'areas');
    problem(await put({ role: 'fieldworker', team: '  ' }), 400, 'membership.invalid', 'team');
    problem(await put({ role: 'fieldworker', areas: ['MN111051'], own: true }), 400, 'membership.invalid', 'own');
    problem(await put({ role: 'fieldworker', areas: 'MN111051' }), 400, 'request.invalid');
    problem(await put({ role: 'fieldworker', owner: 'me' }), 400, 'request.invalid');
    problem(await put({ role: 'fieldworker' }, admin, randomUUID()), 404, 'request.not-found');
    problem(
      await app.inject({
        method: 'PUT',
        url: `/api/v1/projects/${randomUUID()}/members/${users['nara']}`,
        headers: admin.headers,
        payload: { role: 'fieldworker' },
      }),
      404,
      'project.not-found',
    );

    expect(await findMembership(users['nara'] ?? '', projectId, store)).toEqual(before);
    expect((await listAuditEvents(0, 10_000, store)).length).toBe(auditBefore);
    await app.inject({ method: 'DELETE', url: membersUrl(), headers: admin.headers });
  }, 60_000);

  it('refuses a member who is not an administrator, whatever their role in the project', async () => {
    problem(await put({ role: 'supervisor', areas: ['MN1110'] }, supervisor), 403, 'auth.forbidden');
    problem(
      await app.inject({ method: 'GET', url: `/api/v1/projects/${projectId}/members`, headers: supervisor.headers }),
      403,
      'auth.forbidden',
    );
    problem(
      await app.inject({ method: 'DELETE', url: membersUrl(users['sarnai']), headers: supervisor.headers }),
      403,
      'auth.forbidden',
    );
    expect(await findMembership(users['nara'] ?? '', projectId, store)).toBeUndefined();
    expect((await findMembership(users['sarnai'] ?? '', projectId, store))?.whole_project).toBe(true);
  });

  it("lists the project's areas to its members, parents first then by code, with every name", async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/projects/${projectId}/areas`,
      headers: supervisor.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      items: [
        { code: 'MN1110', parentCode: null, level: 'district', names: { en: 'Bayanzürkh', mn: 'Баянзүрх' } },
        { code: 'MN111051', parentCode: 'MN1110', level: 'khoroo', names: { en: 'Khoroo 1', mn: '1-р хороо' } },
        { code: 'MN111053', parentCode: 'MN1110', level: 'khoroo', names: { en: 'Khoroo 2', mn: '2-р хороо' } },
      ],
    });
    const nara = await signIn(app, 'nara', password);
    problem(
      await app.inject({ method: 'GET', url: `/api/v1/projects/${projectId}/areas`, headers: nara.headers }),
      404,
      'project.not-found',
    );
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signIn, type SignedIn } from '@outpost/test-kit';
import type { Clock } from '../../auth/clock.js';
import { addUser } from '../../auth/users.js';
import { listAuditEvents } from '../../storage/queries/audit.js';
import { ensureEntityList, insertEntity } from '../../storage/queries/entities.js';
import { addMembership } from '../../storage/queries/memberships.js';
import { createProject } from '../../storage/queries/projects.js';
import type { Store } from '../../storage/store.js';
import { migrate, openStore } from '../../storage/store.js';
import { buildApp, defaultSettings } from '../app.js';

const password = 'correct horse battery staple';
let now = Date.parse('2026-11-27T08:00:00.000Z');
const clock: Clock = { now: () => new Date(now) };

let dir: string;
let store: Store;
let app: FastifyInstance;
let projectId: string;
let supervisor: SignedIn;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-case-audit-'));
  store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
  await migrate(store);
  const user = await addUser(
    { username: 'saraa', displayName: 'Saraa', role: 'supervisor', password },
    null,
    clock,
    store,
  );
  if (!user.ok) throw new Error(user.detail);
  const project = await createProject({ slug: 'p', name: 'P' }, store);
  projectId = project.id;
  await addMembership({ userId: user.user.id, projectId, roleId: 'supervisor' }, store);
  const list = await ensureEntityList(projectId, 'cases', store);
  for (const label of ['Bat-Erdene', 'Batbold', 'Bolormaa', 'Dorj'])
    await insertEntity({ listId: list.id, label }, store);
  app = await buildApp({ store, clock, settings: { ...defaultSettings, loginRateLimitPerMinute: 1000 } });
  supervisor = await signIn(app, 'saraa', password, clock.now);
});

afterEach(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function list(query: string): Promise<number> {
  const res = await app.inject({
    method: 'GET',
    url: `/api/v1/projects/${projectId}/cases?${query}`,
    headers: supervisor.headers,
  });
  expect(res.statusCode).toBe(200);
  return res.json<{ total: number }>().total;
}

const caseLists = async () => (await listAuditEvents(0, 500, store)).filter((e) => e.action === 'case.list');

describe('auditing the case list', () => {
  it('records a search typed letter by letter once, with its filters and never its text', async () => {
    expect(await list('limit=50')).toBe(4);
    for (const q of ['B', 'Ba', 'Bat', 'Batb']) {
      now += 300;
      await list(`q=${q}&limit=50`);
    }
    const events = await caseLists();
    // The first view showed every case; typing only narrowed it.
    expect(events).toHaveLength(1);
    expect(events[0]?.details).toMatchObject({ projectId, list: null, searched: false, offset: 0 });
    expect(JSON.stringify(events)).not.toContain('Batb');
  });

  it('records a new event when a request shows a case not recorded yet, or after a pause', async () => {
    await list('q=Dorj&limit=50');
    now += 1000;
    await list('q=Bol&limit=50');
    expect((await caseLists()).map((e) => e.details['searched'])).toEqual([true, true]);
    now += 60_000;
    await list('q=Bol&limit=50');
    expect(await caseLists()).toHaveLength(3);
  });

  it('records the next page of a list, which shows other cases', async () => {
    await list('limit=2');
    now += 1000;
    await list('limit=2&offset=2');
    const events = await caseLists();
    expect(events.map((e) => e.details['offset'])).toEqual([0, 2]);
    expect(events.map((e) => (e.details['caseIds'] as unknown[]).length)).toEqual([2, 2]);
  });
});

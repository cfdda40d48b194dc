import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { loadPolicyActor } from '../../policy/loadPolicyActor.js';
import { migrateWith } from '../migrate.js';
import { upsertAreas } from '../queries/areas.js';
import { createProject } from '../queries/projects.js';
import type { Store } from '../store.js';
import { openStore } from '../store.js';
import { migrations } from './migrations.js';

// Migration 0010 keeps what every membership written before it reached: a single area (now a row
// of membership_areas), a team, or the whole project.

let dir: string;
let store: Store;
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it('carries the area, team and whole-project memberships of 0001 over unchanged', async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-0010-'));
  store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
  const all = migrations(store.dialect);
  const before = Object.fromEntries(Object.entries(all).filter(([name]) => name < '0010'));
  await migrateWith(before, store);

  const project = await createProject({ slug: 'p', name: 'P' }, store);
  const [district, khoroo] = await upsertAreas(
    project.id,
    '1',
    [
      { code: 'D', parentCode: null, level: 'district', names: {} },
      { code: 'K', parentCode: 'D', level: 'khoroo', names: {} },
    ],
    store,
  );
  const users = { area: randomUUID(), team: randomUUID(), whole: randomUUID() };
  const at = new Date().toISOString();
  for (const [name, id] of Object.entries(users)) {
    await sql`insert into users (id, username, display_name, password_hash, role, created_at)
      values (${id}, ${name}, ${name}, 'x', 'fieldworker', ${at})`.execute(store.db);
  }
  const insert = (userId: string, areaId: string | null, team: string | null) =>
    sql`insert into memberships (user_id, project_id, role_id, area_id, team, created_at)
      values (${userId}, ${project.id}, 'fieldworker', ${areaId}, ${team}, ${at})`.execute(store.db);
  await insert(users.area, khoroo?.id ?? null, null);
  await insert(users.team, null, 'north');
  await insert(users.whole, null, null);

  await migrateWith(all, store);

  const scopes = async (userId: string) =>
    (await loadPolicyActor({ userId, role: 'fieldworker' }, store)).memberships.map((m) => m.scopes);
  expect(await scopes(users.area)).toEqual([[{ kind: 'area', path: khoroo?.path }, { kind: 'own' }]]);
  expect(await scopes(users.team)).toEqual([[{ kind: 'team', team: 'north' }, { kind: 'own' }]]);
  expect(await scopes(users.whole)).toEqual([[{ kind: 'project' }]]);
  expect(district?.path).toBeDefined();
});

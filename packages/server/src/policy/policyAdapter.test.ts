import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can } from '@outpost/core';
import { addUser } from '../auth/users.js';
import { publishForm } from '../forms/publishForm.js';
import { upsertAreas } from '../storage/queries/areas.js';
import { ensureEntityList, insertEntity } from '../storage/queries/entities.js';
import { addMembership } from '../storage/queries/memberships.js';
import { createProject } from '../storage/queries/projects.js';
import type { Store } from '../storage/store.js';
import { migrate, openStore } from '../storage/store.js';
import type { EntityDeclaration } from '@outpost/core';
import { authorizeEntityChange } from '../entities/index.js';
import { catalogueFor } from './catalogueFor.js';
import { loadPolicyActor } from './loadPolicyActor.js';
import { saveProjectPolicy } from './projectPolicy.js';

const registration = readFileSync(
  new URL('../../../../templates/mongolia-social-protection/forms/household_registration.xlsx', import.meta.url),
);

let store: Store;
let projectId: string;
const area: Record<string, string> = {};
const user: Record<string, string> = {};
let caseInKhoroo1: string;

beforeAll(async () => {
  store = await openStore({ databaseUrl: null, sqlitePath: ':memory:' });
  await migrate(store);
  projectId = (await createProject({ slug: 'policy-adapter', name: 'Policy adapter' }, store)).id;
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
  for (const a of areas) area[a.code] = a.id;
  const members: Array<[string, string, { area?: string; team?: string } | null]> = [
    ['worker', 'fieldworker', { area: 'MN111051' }],
    ['teamworker', 'fieldworker', { team: 'mobile' }],
    ['boss', 'supervisor', { area: 'MN1110' }],
    ['everywhere', 'analyst', {}],
    ['custom', 'fieldworker', null],
  ];
  for (const [name, role, scope] of members) {
    const added = await addUser(
      { username: name, displayName: name, role, password: 'a long password 1234' },
      null,
      { now: () => new Date() },
      store,
    );
    if (!added.ok) throw new Error(added.detail);
    user[name] = added.user.id;
    if (scope !== null) {
      await addMembership(
        {
          userId: added.user.id,
          projectId,
          roleId: role,
          areaId: scope.area === undefined ? null : (area[scope.area] ?? null),
          team: scope.team ?? null,
        },
        store,
      );
    }
  }
  // A project role the policy does not know: it must reach nothing.
  await store.db
    .insertInto('roles')
    .values({ id: 'custom-role', project_id: projectId, name: 'Custom', capabilities: '["cases.read"]' })
    .execute();
  await addMembership({ userId: user['custom'] ?? '', projectId, roleId: 'custom-role' }, store);
  const published = await publishForm(
    { projectId, fileName: 'household_registration.xlsx', bytes: new Uint8Array(registration), actorId: null },
    store,
  );
  if (!published.ok) throw new Error(published.code);
  const list = await ensureEntityList(projectId, 'cases', store);
  caseInKhoroo1 = (
    await insertEntity(
      {
        listId: list.id,
        label: 'Б. Болд',
        areaId: area['MN111051'] ?? null,
        properties: { bag: 'MN111051', head_given_name: 'Болд' },
      },
      store,
    )
  ).id;
}, 60_000);

afterAll(async () => store.close());

async function actorOf(name: string, role: 'fieldworker' | 'supervisor' | 'analyst' = 'fieldworker') {
  // A fresh identity object per call: the cache is per request (per authenticated actor object).
  return loadPolicyActor({ userId: user[name] ?? '', role }, store);
}

describe('loadPolicyActor', () => {
  it('turns a membership area into its subtree path with the member’s own assignments', async () => {
    const actor = await actorOf('worker');
    const paths = await store.db.selectFrom('areas').select(['id', 'path']).execute();
    const khoroo1 = paths.find((p) => p.id === area['MN111051'])?.path;
    expect(actor.memberships).toEqual([
      { projectId, role: 'fieldworker', scopes: [{ kind: 'area', path: khoroo1 }, { kind: 'own' }] },
    ]);
  });

  it('gives a team membership its team, and a membership without area or team the whole project', async () => {
    expect((await actorOf('teamworker')).memberships[0]?.scopes).toEqual([
      { kind: 'team', team: 'mobile' },
      { kind: 'own' },
    ]);
    expect((await actorOf('everywhere', 'analyst')).memberships[0]?.scopes).toEqual([{ kind: 'project' }]);
  });

  it('leaves out a membership whose role the policy does not know', async () => {
    expect((await actorOf('custom')).memberships).toEqual([]);
  });

  it('reads the project’s policy, and a policy it cannot read takes every capability away', async () => {
    await saveProjectPolicy(projectId, { overrides: [{ role: 'analyst', locationPrecision: 'hidden' }] }, store);
    expect((await actorOf('everywhere', 'analyst')).projects?.[projectId]).toEqual({
      overrides: [{ role: 'analyst', locationPrecision: 'hidden' }],
    });
    await sql`update projects set policy = ${'{not json'} where id = ${projectId}`.execute(store.db);
    const broken = await actorOf('everywhere', 'analyst');
    expect(can(broken, 'cases.read', { kind: 'project', projectId }).allowed).toBe(false);
    await saveProjectPolicy(projectId, null, store);
    const restored = await actorOf('everywhere', 'analyst');
    expect(can(restored, 'cases.read', { kind: 'project', projectId }).allowed).toBe(true);
  });
});

describe('catalogueFor', () => {
  it('classes the entity label by the strictest field its expression reads', async () => {
    const catalogue = await catalogueFor(projectId, store);
    // Declared by the registration form, from identifying names (not the default for unknowns).
    expect(catalogue.labelClasses.get('cases')).toBe('identifying');
    expect(catalogue.properties.get('head_register_number')?.class).toBe('identifying');
    expect(catalogue.properties.get('geometry')?.geo).toBe(true);
    expect(catalogue.areas.get(area['MN111051'] ?? '')).toMatchObject({ code: 'MN111051', level: 'khoroo', depth: 2 });
    expect(await catalogueFor(projectId, store)).toBe(catalogue);
  });
});

describe('authorizeEntityChange (S1, S3)', () => {
  const declaration = (d: Partial<EntityDeclaration>): EntityDeclaration => ({
    dataset: 'cases',
    entityId: randomUUID(),
    create: false,
    update: false,
    baseVersion: null,
    trunkVersion: null,
    branchId: null,
    label: null,
    properties: {},
    ...d,
  });

  it('lets a field worker register a household in her khoroo, not in the next one', async () => {
    const actor = await actorOf('worker');
    const mine = declaration({ create: true, label: 'Б. Болд', properties: { bag: 'MN111051' } });
    const next = declaration({ create: true, label: 'Б. Болд', properties: { bag: 'MN111052' } });
    expect(await authorizeEntityChange({ actor, projectId, declaration: mine }, store)).toEqual({ ok: true });
    expect(await authorizeEntityChange({ actor, projectId, declaration: next }, store)).toMatchObject({
      ok: false,
      reason: 'scope',
    });
  });

  it('refuses a field worker moving a case to another khoroo by its address, and lets the supervisor', async () => {
    const move = declaration({
      entityId: caseInKhoroo1,
      update: true,
      baseVersion: 1,
      properties: { bag: 'MN111052' },
    });
    expect(
      await authorizeEntityChange({ actor: await actorOf('worker'), projectId, declaration: move }, store),
    ).toEqual({
      ok: false,
      reason: 'fields',
      fields: ['/areaPath'],
    });
    expect(
      await authorizeEntityChange({ actor: await actorOf('boss', 'supervisor'), projectId, declaration: move }, store),
    ).toEqual({ ok: true });
  });

  it('refuses an update to a case outside the writer’s reach and a write by a reader', async () => {
    const edit = declaration({
      entityId: caseInKhoroo1,
      update: true,
      baseVersion: 1,
      properties: { head_given_name: 'X' },
    });
    expect(
      await authorizeEntityChange({ actor: await actorOf('teamworker'), projectId, declaration: edit }, store),
    ).toMatchObject({
      ok: false,
      reason: 'scope',
    });
    expect(
      await authorizeEntityChange(
        { actor: await actorOf('everywhere', 'analyst'), projectId, declaration: edit },
        store,
      ),
    ).toMatchObject({ ok: false, reason: 'capability' });
  });
});

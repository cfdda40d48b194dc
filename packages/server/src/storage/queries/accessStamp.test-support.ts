import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store.js';
import { accessStamp } from './accessStamp.js';

/**
 * The access stamp moves with every write of the rows access is built from, whatever makes it (a
 * query of this folder, the CLI, an operator's SQL), inside the writing transaction, and with
 * nothing else: each table's trigger is needed, none may be missed.
 */
export function describeAccessStamp(
  name: string,
  open: () => Promise<Store>,
  close: (store: Store) => Promise<void>,
): void {
  describe(`access stamp (${name})`, () => {
    let store: Store;
    const projectId = randomUUID();
    const userId = randomUUID();
    const areaId = randomUUID();
    const formId = randomUUID();
    const roleId = `custom-${randomUUID().slice(0, 8)}`;
    const at = new Date().toISOString();

    beforeAll(async () => {
      store = await open();
      await store.db
        .insertInto('projects')
        .values({ id: projectId, slug: 's', name: 'S', template: null, created_at: at })
        .execute();
      await store.db
        .insertInto('users')
        .values({
          id: userId,
          username: 'u',
          display_name: 'U',
          password_hash: 'x',
          role: 'fieldworker',
          disabled_at: null,
          locked_until: null,
          totp_secret: null,
          created_at: at,
        })
        .execute();
    });

    afterAll(async () => {
      await close(store);
    });

    async function moves(write: (db: Store['db']) => Promise<unknown>): Promise<boolean> {
      const before = await accessStamp(store);
      await write(store.db);
      const after = await accessStamp(store);
      expect(before).not.toBeNull();
      return after !== before;
    }

    const writes: Array<[string, (db: Store['db']) => Promise<unknown>]> = [
      [
        'an area added',
        (db) =>
          db
            .insertInto('areas')
            .values({
              id: areaId,
              project_id: projectId,
              parent_id: null,
              code: 'A',
              level: 'aimag',
              names: '{}',
              path: `/${areaId}/`,
              list_version: '1',
            })
            .execute(),
      ],
      [
        'an area renamed',
        (db) => db.updateTable('areas').set({ names: '{"en":"A"}' }).where('id', '=', areaId).execute(),
      ],
      [
        'a role added',
        (db) =>
          db.insertInto('roles').values({ id: roleId, project_id: null, name: roleId, capabilities: '[]' }).execute(),
      ],
      [
        'a role changed',
        (db) => db.updateTable('roles').set({ capabilities: '["cases.read"]' }).where('id', '=', roleId).execute(),
      ],
      [
        'a membership added',
        (db) =>
          db
            .insertInto('memberships')
            .values({
              user_id: userId,
              project_id: projectId,
              role_id: 'fieldworker',
              whole_project: 0,
              team: null,
              created_at: at,
            })
            .execute(),
      ],
      [
        'a membership area added',
        (db) =>
          db
            .insertInto('membership_areas')
            .values({ user_id: userId, project_id: projectId, area_id: areaId })
            .execute(),
      ],
      ['a membership area removed', (db) => db.deleteFrom('membership_areas').where('user_id', '=', userId).execute()],
      [
        'a membership changed',
        (db) => db.updateTable('memberships').set({ team: 'north' }).where('user_id', '=', userId).execute(),
      ],
      ['a membership removed', (db) => db.deleteFrom('memberships').where('user_id', '=', userId).execute()],
      ['a role removed', (db) => db.deleteFrom('roles').where('id', '=', roleId).execute()],
      [
        'a project policy set',
        (db) => db.updateTable('projects').set({ policy: '{}' }).where('id', '=', projectId).execute(),
      ],
      [
        'a form added',
        (db) =>
          db
            .insertInto('forms')
            .values({ id: formId, project_id: projectId, xml_form_id: 'f', title: 'F', created_at: at })
            .execute(),
      ],
      [
        'a form version published',
        (db) =>
          db
            .insertInto('form_versions')
            .values({
              id: randomUUID(),
              form_id: formId,
              version: '1',
              xlsform: null,
              xform: '<x/>',
              summary: '{}',
              published_by: null,
              published_at: at,
            })
            .execute(),
      ],
      ['a form version removed', (db) => db.deleteFrom('form_versions').where('form_id', '=', formId).execute()],
      ['a form removed', (db) => db.deleteFrom('forms').where('id', '=', formId).execute()],
      ['an area removed', (db) => db.deleteFrom('areas').where('id', '=', areaId).execute()],
    ];
    for (const [what, write] of writes) {
      it(`moves with ${what}`, async () => {
        expect(await moves(write)).toBe(true);
      });
    }

    it('stays with writes access is not built from', async () => {
      expect(
        await moves((db) => db.updateTable('projects').set({ name: 'Renamed' }).where('id', '=', projectId).execute()),
      ).toBe(false);
      expect(
        await moves((db) => db.updateTable('users').set({ display_name: 'V' }).where('id', '=', userId).execute()),
      ).toBe(false);
      expect(
        await moves((db) =>
          db
            .insertInto('entity_lists')
            .values({ id: randomUUID(), project_id: projectId, name: 'households', created_at: at })
            .execute(),
        ),
      ).toBe(false);
    });

    it('moves inside the writing transaction, and back when it rolls back', async () => {
      const before = await accessStamp(store);
      const failed = new Error('rolled back');
      await expect(
        store.transaction(async (tx) => {
          await tx.db.updateTable('projects').set({ policy: null }).where('id', '=', projectId).execute();
          expect(await accessStamp(tx)).not.toBe(before);
          throw failed;
        }),
      ).rejects.toBe(failed);
      expect(await accessStamp(store)).toBe(before);
    });

    it('is null, and keeps nothing, when the counter row is gone', async () => {
      await sql`delete from counters where name = 'access'`.execute(store.db);
      expect(await accessStamp(store)).toBeNull();
      await sql`insert into counters (name, value) values ('access', 1)`.execute(store.db);
    });
  });
}

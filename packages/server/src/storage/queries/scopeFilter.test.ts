import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScopeFilter } from '@outpost/core';
import { matchesScopeFilter } from '@outpost/core';
import { ensureEntityList, listEntities } from './entities.js';
import { createProject } from './projects.js';
import type { Store } from '../store.js';
import { migrate, openStore } from '../store.js';
import { recordOf } from '../../policy/recordOf.js';

// Area ids and team names with LIKE wildcards, escapes, quotes and Cyrillic, so a translation that
// used LIKE or string concatenation would disagree with the in-memory evaluation.
const segments = ['a', 'ab', 'a%', '%', '_', 'b_c', 'x\\y', "q'", 'хороо', '1'];
const teams = ['t1', 't2', 't%', "o'k", '_'];
const users = ['u1', 'u2', 'u%'];
const lists = ['cases', 'incidents', 'house_holds'];

const pathArb = fc.array(fc.constantFrom(...segments), { minLength: 1, maxLength: 3 }).map((s) => `/${s.join('/')}/`);

const entityArb = fc.record({
  area: fc.option(pathArb, { nil: null }),
  team: fc.option(fc.constantFrom(...teams), { nil: null }),
  assignee: fc.option(fc.constantFrom(...users), { nil: null }),
  list: fc.constantFrom(...lists),
  deleted: fc.boolean(),
});

const prefixArb = fc.oneof(
  pathArb,
  pathArb.map((p) => p.slice(0, -1)),
  fc.constantFrom('', '/', '%', '/a', '/_/', '/%/', "/q'/"),
);

const filterArb: fc.Arbitrary<ScopeFilter> = fc.letrec<{ filter: ScopeFilter }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant<ScopeFilter>({ kind: 'all' }),
    fc.constant<ScopeFilter>({ kind: 'none' }),
    fc.array(prefixArb, { maxLength: 3 }).map((pathPrefixes): ScopeFilter => ({ kind: 'areas', pathPrefixes })),
    fc.constantFrom(...users).map((userId): ScopeFilter => ({ kind: 'assignee', userId })),
    fc.constantFrom(...users).map((userId): ScopeFilter => ({ kind: 'creator', userId })),
    fc.array(fc.constantFrom(...teams), { maxLength: 3 }).map((t): ScopeFilter => ({ kind: 'team', teams: t })),
    fc
      .array(fc.constantFrom(...lists, 'nope'), { maxLength: 3 })
      .map((names): ScopeFilter => ({ kind: 'lists', names })),
    fc.array(tie('filter'), { maxLength: 3 }).map((filters): ScopeFilter => ({ kind: 'anyOf', filters })),
    fc.array(tie('filter'), { maxLength: 3 }).map((filters): ScopeFilter => ({ kind: 'allOf', filters })),
  ),
})).filter;

/**
 * The SQL translation of a scope filter (`applyScopeFilter`, as `listEntities` uses it) selects
 * exactly the entities `matchesScopeFilter` accepts, on random data and random filters.
 */
export function describeScopeFilterAgreement(
  name: string,
  open: () => Promise<{ store: Store; close(): Promise<void> }>,
) {
  describe(`scope filters in SQL agree with matchesScopeFilter (${name})`, () => {
    let store: Store;
    let close: () => Promise<void>;
    let projectId: string;
    const listIds = new Map<string, string>();

    beforeAll(async () => {
      const opened = await open();
      store = opened.store;
      close = () => opened.close();
      projectId = (await createProject({ slug: `p-${randomUUID()}`, name: 'scope property' }, store)).id;
      for (const list of lists) listIds.set(list, (await ensureEntityList(projectId, list, store)).id);
      // Assignees are users (a foreign key); ids chosen to hold a LIKE wildcard too.
      for (const id of users) {
        const exists = await store.db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst();
        if (exists) continue;
        await store.db
          .insertInto('users')
          .values({
            id,
            username: `user-${randomUUID()}`,
            display_name: id,
            password_hash: 'x',
            role: 'fieldworker',
            disabled_at: null,
            locked_until: null,
            totp_secret: null,
            created_at: '2026-01-01T00:00:00.000Z',
          })
          .execute();
      }
    });
    afterAll(async () => close());

    it('selects the same entities, and counts them the same', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(entityArb, { maxLength: 25 }), filterArb, async (rows, filter) => {
          await store.db.deleteFrom('entities').execute();
          await store.db.deleteFrom('areas').where('project_id', '=', projectId).execute();
          const areaIds = new Map<string, string>();
          for (const path of new Set(rows.flatMap((r) => (r.area === null ? [] : [r.area])))) {
            const id = randomUUID();
            areaIds.set(path, id);
            await store.db
              .insertInto('areas')
              .values({
                id,
                project_id: projectId,
                parent_id: null,
                code: id,
                level: 'x',
                names: '{}',
                path,
                list_version: 'v',
              })
              .execute();
          }
          const at = '2026-01-01T00:00:00.000Z';
          const stored = rows.map((r, i) => ({
            id: randomUUID(),
            list_id: listIds.get(r.list) ?? '',
            label: `e${i}`,
            label_search: `e${i}`,
            properties: '{}',
            version: 1,
            base_version: null,
            trunk_version: null,
            branch_id: null,
            conflict: null,
            assignee_id: r.assignee,
            team: r.team,
            area_id: r.area === null ? null : (areaIds.get(r.area) ?? null),
            status: 'open',
            categories: '[]',
            created_at: at,
            updated_at: at,
            deleted_at: r.deleted ? at : null,
            seq: i + 1,
          }));
          if (stored.length > 0) await store.db.insertInto('entities').values(stored).execute();

          const expected = rows
            .map((r, i) => ({ r, id: stored[i]?.id ?? '' }))
            .filter(({ r, id }) => {
              if (r.deleted) return false;
              const record = recordOf(
                {
                  id,
                  project_id: projectId,
                  list_name: r.list,
                  label: '',
                  properties: {},
                  team: r.team,
                  assignee_id: r.assignee,
                },
                r.area,
              );
              return matchesScopeFilter(filter, record);
            })
            .map(({ id }) => id)
            .sort();
          const page = await listEntities(projectId, { scope: filter, limit: 500, offset: 0 }, store);
          expect(page.items.map((e) => e.id).sort()).toEqual(expected);
          expect(page.total).toBe(expected.length);
        }),
        { numRuns: name === 'SQLite' ? 150 : 60, seed: Number(process.env['OUTPOST_TEST_SEED'] ?? 20261127) },
      );
    });
  });
}

if (!(expect.getState().testPath ?? '').endsWith('.pg.test.ts')) {
  describeScopeFilterAgreement('SQLite', async () => {
    const store = await openStore({ databaseUrl: null, sqlitePath: ':memory:' });
    await migrate(store);
    return { store, close: () => store.close() };
  });
}

import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMembership,
  appendAuditEvent,
  areaSubtreeIds,
  countEntities,
  createProject,
  ensureEntityList,
  findEntity,
  findProjectBySlug,
  insertEntity,
  isForeignKeyViolation,
  isUniqueViolation,
  listAreas,
  listAuditEventsNewestFirst,
  listEntities,
  listMemberships,
  listProjectsForUser,
  migrate,
  migrateWith,
  migrations,
  migrationStatus,
  nextSeq,
  updateEntity,
  upsertAreas,
  verifyAuditChain,
} from '@outpost/server';
import type { Project, Store } from '@outpost/server';

/**
 * The behaviour every storage backend must show. Run it once per backend:
 * `describeStorageContract('sqlite', open, cleanup)`. `open` returns an unmigrated store on an
 * empty database; `cleanup` closes it and removes the database.
 */
export function describeStorageContract(
  name: string,
  open: () => Promise<Store>,
  cleanup: (store: Store) => Promise<void>,
): void {
  describe(`storage contract: ${name}`, () => {
    let store: Store;

    beforeAll(async () => {
      store = await open();
      await migrate(store);
    });
    afterAll(async () => {
      await cleanup(store);
    });

    // Each test builds its own project so tests never see each other's rows.
    const project = (slug = `p-${randomUUID()}`): Promise<Project> =>
      createProject({ slug, name: `Project ${slug}` }, store);

    const user = async (username: string): Promise<string> => {
      const id = randomUUID();
      await store.db
        .insertInto('users')
        .values({
          id,
          username: `${username}-${id}`,
          display_name: username,
          password_hash: 'x',
          role: 'fieldworker',
          disabled_at: null,
          locked_until: null,
          totp_secret: null,
          created_at: '2026-01-01T00:00:00.000Z',
        })
        .execute();
      return id;
    };

    const role = async (projectId: string, roleName: string): Promise<string> => {
      const id = randomUUID();
      await store.db
        .insertInto('roles')
        .values({ id, project_id: projectId, name: roleName, capabilities: '[]' })
        .execute();
      return id;
    };

    describe('migrations', () => {
      it('applies nothing the second time and reports nothing pending', async () => {
        expect(await migrate(store)).toEqual({ applied: [] });
        const status = await migrationStatus(store);
        expect(status.pending).toEqual([]);
        expect(status.applied.map((m) => m.name)).toContain('0001_initial');
      });

      it('rolls back a migration that fails half way and records it as not applied', async () => {
        const broken = {
          ...migrations(store.dialect),
          '9999_broken': {
            async up(db: Kysely<unknown>): Promise<void> {
              await db.schema.createTable('half_done').addColumn('id', 'text').execute();
              throw new Error('interrupted');
            },
          },
        };
        await expect(migrateWith(broken, store)).rejects.toThrow('interrupted');
        const { rows } = await sql<{ n: number }>`select count(*) as n from half_done`
          .execute(store.db)
          .catch(() => ({ rows: [] }));
        expect(rows).toEqual([]);
        expect(await migrate(store)).toEqual({ applied: [] });
      });
    });

    describe('connection settings', () => {
      it('runs SQLite in WAL mode with full sync, foreign keys and a busy timeout', async (ctx) => {
        if (store.dialect !== 'sqlite') ctx.skip();
        const pragma = async (p: string): Promise<unknown> => {
          const { rows } = await sql.raw<Record<string, unknown>>(`pragma ${p}`).execute(store.db);
          return Object.values(rows[0] ?? {})[0];
        };
        expect(await pragma('journal_mode')).toBe('wal');
        expect(await pragma('synchronous')).toBe(2);
        expect(await pragma('foreign_keys')).toBe(1);
        expect(await pragma('busy_timeout')).toBe(5000);
      });
    });

    describe('constraints', () => {
      it('rejects a second project with the same slug as a unique violation', async () => {
        const first = await project();
        const err: unknown = await project(first.slug).catch((e: unknown) => e);
        expect(isUniqueViolation(err)).toBe(true);
        expect(isUniqueViolation(new Error('something else'))).toBe(false);
      });

      it('enforces foreign keys', async () => {
        const userId = await user('orphan');
        const err: unknown = await addMembership(
          { userId, projectId: randomUUID(), roleId: randomUUID() },
          store,
        ).catch((e: unknown) => e);
        expect(isForeignKeyViolation(err)).toBe(true);
        expect(isUniqueViolation(err)).toBe(false);
      });
    });

    describe('transactions', () => {
      it('leaves nothing written when the callback throws', async () => {
        const slug = `rollback-${randomUUID()}`;
        await expect(
          store.transaction(async (tx) => {
            await createProject({ slug, name: 'never' }, tx);
            await nextSeq('rollback-counter', tx);
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        expect(await findProjectBySlug(slug, store)).toBeUndefined();
        // The counter increment rolled back too: the next value is still the first.
        expect(await nextSeq('rollback-counter', store)).toBe(1);
      });

      it('runs a nested transaction inside the outer one, so the outer rollback undoes it', async () => {
        const slug = `nested-${randomUUID()}`;
        await expect(
          store.transaction(async (tx) => {
            await tx.transaction((inner) => createProject({ slug, name: 'nested' }, inner));
            expect(await findProjectBySlug(slug, tx)).toBeDefined();
            throw new Error('outer fails');
          }),
        ).rejects.toThrow('outer fails');
        expect(await findProjectBySlug(slug, store)).toBeUndefined();
      });

      it('refuses the root store inside a transaction instead of hanging or escaping it', async () => {
        const slug = `escape-${randomUUID()}`;
        await expect(store.transaction(() => createProject({ slug, name: 'escape' }, store))).rejects.toThrow(
          /root store/,
        );
        await expect(store.transaction(() => store.transaction(() => Promise.resolve(1)))).rejects.toThrow(
          /root store/,
        );
        expect(await findProjectBySlug(slug, store)).toBeUndefined();
      });

      it('gives 50 concurrent transactions 50 distinct, gapless sequence numbers and keeps every write', async () => {
        const counter = `concurrent-${randomUUID()}`;
        const p = await project();
        const seqs = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            store.transaction(async (tx) => {
              const seq = await nextSeq(counter, tx);
              await ensureEntityList(p.id, `list-${i}`, tx);
              return seq;
            }),
          ),
        );
        expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
        const { count } = await store.db
          .selectFrom('entity_lists')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('project_id', '=', p.id)
          .executeTakeFirstOrThrow();
        expect(Number(count)).toBe(50);
      });

      it('does not interleave concurrent read-modify-write transactions on SQLite', async (ctx) => {
        // PostgreSQL runs transactions side by side by design (MVCC); only SQLite queues them.
        if (store.dialect !== 'sqlite') ctx.skip();
        const counter = `rmw-${randomUUID()}`;
        await store.db.insertInto('counters').values({ name: counter, value: 0 }).execute();
        await Promise.all(
          Array.from({ length: 20 }, () =>
            store.transaction(async (tx) => {
              const row = await tx.db
                .selectFrom('counters')
                .select('value')
                .where('name', '=', counter)
                .executeTakeFirstOrThrow();
              await new Promise((resolve) => setImmediate(resolve));
              await tx.db
                .updateTable('counters')
                .set({ value: Number(row.value) + 1 })
                .where('name', '=', counter)
                .execute();
            }),
          ),
        );
        const final = await store.db
          .selectFrom('counters')
          .select('value')
          .where('name', '=', counter)
          .executeTakeFirstOrThrow();
        expect(Number(final.value)).toBe(20);
      });
    });

    describe('projects and memberships', () => {
      it('lists a member only their projects, with their role, and an admin every project', async () => {
        const mine = await project();
        const other = await project();
        const worker = await user('worker');
        const roleId = await role(mine.id, 'enumerator');
        await addMembership({ userId: worker, projectId: mine.id, roleId }, store);

        const forWorker = await listProjectsForUser(worker, false, store);
        expect(forWorker.map((p) => [p.id, p.role])).toEqual([[mine.id, roleId]]);

        const forAdmin = await listProjectsForUser(await user('admin'), true, store);
        const ids = forAdmin.map((p) => p.id);
        expect(ids).toContain(mine.id);
        expect(ids).toContain(other.id);
        expect(forAdmin.find((p) => p.id === other.id)?.role).toBeNull();
      });

      it('replaces the role when a membership is added again', async () => {
        const p = await project();
        const member = await user('batbold');
        const first = await role(p.id, 'enumerator');
        const second = await role(p.id, 'supervisor');
        await addMembership({ userId: member, projectId: p.id, roleId: first }, store);
        await addMembership({ userId: member, projectId: p.id, roleId: second, team: 'north' }, store);
        const members = await listMemberships(p.id, store);
        expect(members).toHaveLength(1);
        expect(members[0]).toMatchObject({
          user_id: member,
          role_name: 'supervisor',
          team: 'north',
          display_name: 'batbold',
        });
      });
    });

    describe('areas', () => {
      const hierarchy = [
        // Children before parents on purpose: the order of an uploaded sheet is not guaranteed.
        { code: 'KH1', parentCode: 'BZD', level: 'khoroo', names: { mn: '1-р хороо', en: 'Khoroo 1' } },
        { code: 'KH2', parentCode: 'BZD', level: 'khoroo', names: { mn: '2-р хороо', en: 'Khoroo 2' } },
        { code: 'BZD', parentCode: 'UB', level: 'district', names: { mn: 'Баянзүрх', en: 'Bayanzürkh' } },
        { code: 'SBD', parentCode: 'UB', level: 'district', names: { mn: 'Сүхбаатар', en: 'Sükhbaatar' } },
        { code: 'UB', parentCode: null, level: 'city', names: { mn: 'Улаанбаатар', en: 'Ulaanbaatar' } },
      ];

      it('stores a hierarchy given in any order and finds a subtree', async () => {
        const p = await project();
        const areas = await upsertAreas(p.id, '2026', hierarchy, store);
        const id = (code: string): string => areas.find((a) => a.code === code)?.id ?? 'missing';
        expect(areas).toHaveLength(5);
        expect(areas.find((a) => a.code === 'BZD')?.names).toEqual({ mn: 'Баянзүрх', en: 'Bayanzürkh' });
        expect((await areaSubtreeIds(id('BZD'), store)).sort()).toEqual([id('BZD'), id('KH1'), id('KH2')].sort());
        expect(await areaSubtreeIds(id('KH1'), store)).toEqual([id('KH1')]);
        expect(await areaSubtreeIds(id('UB'), store)).toHaveLength(5);
        expect(await areaSubtreeIds(randomUUID(), store)).toEqual([]);
      });

      it('keeps ids on a re-upload and moves a subtree with its root', async () => {
        const p = await project();
        const before = await upsertAreas(p.id, '2026', hierarchy, store);
        const after = await upsertAreas(
          p.id,
          '2026',
          [{ code: 'BZD', parentCode: 'SBD', level: 'district', names: { mn: 'Баянзүрх дүүрэг' } }],
          store,
        );
        const idIn = (list: typeof before, code: string): string | undefined => list.find((a) => a.code === code)?.id;
        expect(idIn(after, 'BZD')).toBe(idIn(before, 'BZD'));
        const sbd = idIn(after, 'SBD') ?? 'missing';
        const subtree = await areaSubtreeIds(sbd, store);
        expect(subtree).toHaveLength(4);
        expect(subtree).toContain(idIn(after, 'KH1'));
        expect(after.find((a) => a.code === 'BZD')?.names).toEqual({ mn: 'Баянзүрх дүүрэг' });
      });

      it('rejects an unknown parent code and writes nothing', async () => {
        const p = await project();
        await expect(
          upsertAreas(
            p.id,
            '2026',
            [
              { code: 'UB', parentCode: null, level: 'city', names: {} },
              { code: 'X', parentCode: 'NOPE', level: 'district', names: {} },
            ],
            store,
          ),
        ).rejects.toThrow(/NOPE/);
        expect(await listAreas(p.id, null, store)).toEqual([]);
      });
    });

    describe('entities', () => {
      it('inserts, updates (bumping version and sequence) and finds an entity', async () => {
        const p = await project();
        const list = await ensureEntityList(p.id, 'households', store);
        expect((await ensureEntityList(p.id, 'households', store)).id).toBe(list.id);
        const created = await insertEntity(
          { listId: list.id, label: 'Household 1', properties: { members: '4' }, categories: ['poor'] },
          store,
        );
        expect(created).toMatchObject({
          version: 1,
          status: 'open',
          properties: { members: '4' },
          categories: ['poor'],
        });

        const updated = await updateEntity(created.id, { properties: { members: '5' }, status: 'visited' }, store);
        expect(updated).toMatchObject({
          version: 2,
          status: 'visited',
          label: 'Household 1',
          properties: { members: '5' },
        });
        expect(updated?.seq).toBeGreaterThan(created.seq);
        expect(await findEntity(created.id, store)).toEqual(updated);
        expect(await updateEntity(randomUUID(), { status: 'x' }, store)).toBeUndefined();
      });

      it('finds Cyrillic labels case-insensitively, pages them and counts them all', async () => {
        const p = await project();
        const list = await ensureEntityList(p.id, 'households', store);
        const labels = ['Батболд Дорж', 'БАТБАЯР Сүх', 'Өлзий Бат', 'Dorj 100%', 'Dorj_1'];
        for (const [i, label] of labels.entries()) {
          await insertEntity({ listId: list.id, label, at: `2026-01-0${i + 1}T00:00:00.000Z` }, store);
        }
        const found = await listEntities(p.id, { q: 'батб', limit: 10, offset: 0 }, store);
        expect(found.items.map((e) => e.label)).toEqual(['БАТБАЯР Сүх', 'Батболд Дорж']);
        expect(found.total).toBe(2);
        expect((await listEntities(p.id, { q: 'өлз', limit: 10, offset: 0 }, store)).items.map((e) => e.label)).toEqual(
          ['Өлзий Бат'],
        );
        // LIKE wildcards in the query match literally.
        expect((await listEntities(p.id, { q: '0%', limit: 10, offset: 0 }, store)).items.map((e) => e.label)).toEqual([
          'Dorj 100%',
        ]);
        expect((await listEntities(p.id, { q: 'j_', limit: 10, offset: 0 }, store)).items.map((e) => e.label)).toEqual([
          'Dorj_1',
        ]);

        const page1 = await listEntities(p.id, { limit: 2, offset: 0 }, store);
        const page2 = await listEntities(p.id, { limit: 2, offset: 2 }, store);
        const page3 = await listEntities(p.id, { limit: 2, offset: 4 }, store);
        expect([...page1.items, ...page2.items, ...page3.items].map((e) => e.label)).toEqual([...labels].reverse());
        expect(page1.total).toBe(5);
        expect(page3.items).toHaveLength(1);
        expect(page1.items[0]?.list_name).toBe('households');
        expect(await countEntities(p.id, {}, store)).toBe(5);
      });

      it('clamps the page size to 1..500', async () => {
        const p = await project();
        const list = await ensureEntityList(p.id, 'cases', store);
        await insertEntity({ listId: list.id, label: 'a' }, store);
        await insertEntity({ listId: list.id, label: 'b' }, store);
        expect((await listEntities(p.id, { limit: 0, offset: -5 }, store)).items).toHaveLength(1);
        expect((await listEntities(p.id, { limit: 10_000, offset: 0 }, store)).items).toHaveLength(2);
      });

      it('filters by list, by area and leaves deleted entities out', async () => {
        const p = await project();
        const households = await ensureEntityList(p.id, 'households', store);
        const cases = await ensureEntityList(p.id, 'cases', store);
        const areas = await upsertAreas(
          p.id,
          'v1',
          [
            { code: 'A', parentCode: null, level: 'district', names: {} },
            { code: 'B', parentCode: null, level: 'district', names: {} },
          ],
          store,
        );
        const areaA = areas.find((a) => a.code === 'A')?.id ?? null;
        const areaB = areas.find((a) => a.code === 'B')?.id ?? null;
        await insertEntity({ listId: households.id, label: 'in A', areaId: areaA }, store);
        await insertEntity({ listId: households.id, label: 'in B', areaId: areaB }, store);
        const gone = await insertEntity({ listId: cases.id, label: 'deleted case', areaId: areaA }, store);
        await updateEntity(gone.id, { deletedAt: '2026-02-01T00:00:00.000Z' }, store);
        await insertEntity({ listId: cases.id, label: 'case' }, store);

        const labels = async (filter: Parameters<typeof countEntities>[1]): Promise<string[]> =>
          (await listEntities(p.id, { ...filter, limit: 50, offset: 0 }, store)).items.map((e) => e.label).sort();
        expect(await labels({ listName: 'households' })).toEqual(['in A', 'in B']);
        expect(await labels({ areaIds: areaA === null ? [] : [areaA] })).toEqual(['in A']);
        expect(await labels({ areaIds: [] })).toEqual([]);
        expect(await labels({ areaIds: null })).toEqual(['case', 'in A', 'in B']);
        expect(await countEntities(p.id, { listName: 'cases' }, store)).toBe(1);
      });

      it('round-trips Mongolian text in JSON exactly', async () => {
        const p = await project();
        const list = await ensureEntityList(p.id, 'өрх', store);
        const properties = {
          овог_нэр: 'Өлзийбаярын Батболд',
          address: 'Баянзүрх дүүрэг, 26-р хороо, Үйлдвэрийн гудамж "5"',
          note: 'Ө ө Ү ү Ё ё — \\ / \u0000 \n 😀',
        };
        const created = await insertEntity(
          { listId: list.id, label: 'Өлзийбаярын Батболд', properties, categories: ['ядуу', 'өндөр настан'] },
          store,
        );
        const found = await findEntity(created.id, store);
        expect(found?.properties).toEqual(properties);
        expect(found?.categories).toEqual(['ядуу', 'өндөр настан']);
        expect(found?.label).toBe('Өлзийбаярын Батболд');
      });
    });

    describe('audit chain', () => {
      const append = (action: string): Promise<unknown> =>
        appendAuditEvent(
          {
            actorId: null,
            action,
            subject: `test:${action}`,
            details: { note: 'Батболд', n: 1, nested: { b: 2, a: [1, 'ө'] } },
          },
          store,
        );

      const setDetails = (seq: number, details: string): Promise<unknown> =>
        store.db.updateTable('audit_events').set({ details }).where('seq', '=', seq).execute();

      it('lists the newest events first, below a sequence number, of one action or family of actions', async () => {
        for (const action of ['view.a', 'view.b', 'other.c', 'view.a']) await append(action);
        const newest = await listAuditEventsNewestFirst({ limit: 3 }, store);
        expect(newest.map((e) => e.action)).toEqual(['view.a', 'other.c', 'view.b']);
        const seqs = newest.map((e) => Number(e.seq));
        expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
        const older = await listAuditEventsNewestFirst({ limit: 1, before: seqs[0] ?? 0 }, store);
        expect(older.map((e) => Number(e.seq))).toEqual([seqs[1]]);
        const family = await listAuditEventsNewestFirst({ limit: 10, action: 'view.' }, store);
        expect(family.slice(0, 3).map((e) => e.action)).toEqual(['view.a', 'view.b', 'view.a']);
        const one = await listAuditEventsNewestFirst({ limit: 10, action: 'view.a' }, store);
        expect(one.every((e) => e.action === 'view.a')).toBe(true);
        expect(one.length).toBeGreaterThanOrEqual(2);
      });

      it('verifies a chain of appended events, also when appended concurrently', async () => {
        for (const action of ['one', 'two', 'three']) await append(action);
        await Promise.all(Array.from({ length: 20 }, (_, i) => append(`concurrent-${i}`)));
        const verdict = await verifyAuditChain(store);
        expect(verdict.ok).toBe(true);
        expect(verdict.ok && verdict.count).toBeGreaterThanOrEqual(23);
      });

      it('keeps an event appended in a rolled-back transaction out of the chain', async () => {
        await expect(
          store.transaction(async (tx) => {
            await appendAuditEvent({ actorId: null, action: 'never', subject: null, details: {} }, tx);
            throw new Error('rolled back');
          }),
        ).rejects.toThrow('rolled back');
        await append('after-rollback');
        expect((await verifyAuditChain(store)).ok).toBe(true);
      });

      it('detects an altered event', async () => {
        await append('to-alter');
        const row = await store.db
          .selectFrom('audit_events')
          .selectAll()
          .orderBy('seq', 'desc')
          .executeTakeFirstOrThrow();
        await setDetails(row.seq, JSON.stringify({ note: 'someone else' }));
        expect(await verifyAuditChain(store)).toMatchObject({ ok: false, seq: row.seq });
        await setDetails(row.seq, row.details);
        expect((await verifyAuditChain(store)).ok).toBe(true);
      });

      it('detects a deleted event, in the middle or at the end', async () => {
        await append('a');
        await append('b');
        const rows = await store.db.selectFrom('audit_events').selectAll().orderBy('seq', 'desc').limit(2).execute();
        for (const row of rows) {
          await store.db.deleteFrom('audit_events').where('seq', '=', row.seq).execute();
          expect(await verifyAuditChain(store)).toMatchObject({ ok: false, seq: row.seq });
          await store.db.insertInto('audit_events').values(row).execute();
          expect((await verifyAuditChain(store)).ok).toBe(true);
        }
      });

      it('detects swapped events', async () => {
        await append('first');
        await append('second');
        const [later, earlier] = await store.db
          .selectFrom('audit_events')
          .selectAll()
          .orderBy('seq', 'desc')
          .limit(2)
          .execute();
        if (later === undefined || earlier === undefined) throw new Error('expected two events');
        const contents = (row: typeof later) => ({
          at: row.at,
          actor_id: row.actor_id,
          action: row.action,
          subject: row.subject,
          details: row.details,
          prev_hash: row.prev_hash,
          hash: row.hash,
        });
        await store.db.updateTable('audit_events').set(contents(earlier)).where('seq', '=', later.seq).execute();
        await store.db.updateTable('audit_events').set(contents(later)).where('seq', '=', earlier.seq).execute();
        expect(await verifyAuditChain(store)).toMatchObject({ ok: false, seq: earlier.seq });
        await store.db.updateTable('audit_events').set(contents(earlier)).where('seq', '=', earlier.seq).execute();
        await store.db.updateTable('audit_events').set(contents(later)).where('seq', '=', later.seq).execute();
        expect((await verifyAuditChain(store)).ok).toBe(true);
      });
    });
  });
}

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullPage } from '@outpost/core';
import { PROTOCOL_VERSION, pulledRecords } from '@outpost/core';
import { signIn } from '@outpost/test-kit';
import type { SignedIn } from '@outpost/test-kit';
import { registerDevice } from '../auth/sessions.js';
import { addUser } from '../auth/users.js';
import { publishForm } from '../forms/publishForm.js';
import { buildApp, defaultSettings } from '../http/app.js';
import { saveProjectPolicy } from '../policy/index.js';
import { upsertAreas } from '../storage/queries/areas.js';
import { listAuditEvents } from '../storage/queries/audit.js';
import { allEntities, findEntity } from '../storage/queries/entities.js';
import { addMembership } from '../storage/queries/memberships.js';
import { createProject } from '../storage/queries/projects.js';
import type { Store } from '../storage/store.js';
import { householdInstance } from '../submissions/householdInstance.test-support.js';

// Entity edits and case actions over HTTP (issue 10 point 5, issue 11 point 4), as ODK Central's
// entity API has them: an edit names its base version (409 on a stale one, `force` overrides), a
// soft delete takes the case out of lists, pulls and the entity-list CSV and tells devices to drop
// it, a restore brings it back; assign, transfer, close, reopen and tag are edits of the same
// kind; every version says what made it; the policy decides who may do what.

const formsDir = new URL('../../../../templates/mongolia-social-protection/forms/', import.meta.url);
const password = 'correct horse battery';
const clock = { now: () => new Date() };

interface CaseBody {
  id: string;
  version: number;
  label: string | null;
  status: string;
  categories?: string[];
  assigneeId: string | null;
  team: string | null;
  area: { code: string } | null;
  properties: Record<string, unknown>;
}
interface HistoryItem {
  version: number;
  source: string;
  action: string | null;
  baseVersion: number | null;
  changes: Record<string, string>;
}

export function describeCaseEdits(name: string, open: () => Promise<{ store: Store; close(): Promise<void> }>): void {
  describe(`case edits and actions (${name})`, () => {
    let app: FastifyInstance;
    let opened: { store: Store; close(): Promise<void> };
    let store: Store;
    let projectId: string;
    let khoroo2: string;
    let device: { token: string; deviceId: string; cursors: Record<string, number> };
    const as: Record<string, SignedIn> = {};
    const users: Record<string, string> = {};

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
      app = await buildApp({ store, settings: { ...defaultSettings, loginRateLimitPerMinute: 1000 } });
      projectId = (await createProject({ slug: `edits-${randomUUID().slice(0, 8)}`, name: 'Edits' }, store)).id;
      const areas = await upsertAreas(
        projectId,
        '2024',
        [
          { code: 'MN11', parentCode: null, level: 'aimag', names: { en: 'Ulaanbaatar' } },
          { code: 'MN1110', parentCode: 'MN11', level: 'district', names: { en: 'Bayanzürkh' } },
          { code: 'MN111051', parentCode: 'MN1110', level: 'khoroo', names: { en: 'Khoroo 1' } },
          { code: 'MN111053', parentCode: 'MN1110', level: 'khoroo', names: { en: 'Khoroo 2' } },
        ],
        store,
      );
      const areaId = (code: string) => areas.find((a) => a.code === code)?.id ?? '';
      khoroo2 = areaId('MN111053');
      for (const file of ['household_registration', 'visit']) {
        const bytes = readFileSync(new URL(`${file}.xlsx`, formsDir));
        const published = await publishForm({ projectId, fileName: `${file}.xlsx`, bytes, actorId: null }, store);
        if (!published.ok) throw new Error(`publishing ${file} failed: ${JSON.stringify(published)}`);
      }
      for (const [username, role] of [
        ['boss', 'admin'],
        ['sarnai', 'supervisor'],
        ['nara', 'fieldworker'],
        ['tuya', 'fieldworker'],
        ['ana', 'analyst'],
        ['pat', 'partner'],
      ] as const) {
        const r = await addUser({ username, displayName: username, role, password }, null, clock, store);
        if (!r.ok) throw new Error(r.detail);
        users[username] = r.user.id;
      }
      await addMembership({ userId: users['sarnai'] ?? '', projectId, roleId: 'supervisor' }, store);
      await addMembership(
        { userId: users['nara'] ?? '', projectId, roleId: 'fieldworker', areaIds: [areaId('MN111051')] },
        store,
      );
      await addMembership({ userId: users['tuya'] ?? '', projectId, roleId: 'fieldworker', areaIds: [khoroo2] }, store);
      await addMembership({ userId: users['ana'] ?? '', projectId, roleId: 'analyst' }, store);
      await addMembership({ userId: users['pat'] ?? '', projectId, roleId: 'partner' }, store);
      // An analyst who may write, but is not shown identifying fields: she may not overwrite them.
      await saveProjectPolicy(projectId, { overrides: [{ role: 'analyst', add: ['cases.write'] }] }, store);
      for (const user of ['boss', 'sarnai', 'nara', 'tuya', 'ana']) as[user] = await signIn(app, user, password);
      const registered = await registerDevice({ userId: users['nara'] ?? '', name: 'tablet' }, clock, store);
      device = { token: registered.token, deviceId: registered.deviceId, cursors: {} };
    }, 120_000);

    afterAll(async () => {
      await app.close();
      await opened.close();
    });

    const call = (user: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
      app.inject({ method, url, headers: as[user]?.headers ?? {}, ...(payload ? { payload } : {}) });
    const caseUrl = (id: string, rest = '') => `/api/v1/projects/${projectId}/cases/${id}${rest}`;
    const ok = (res: LightMyRequestResponse): CaseBody => {
      expect(res.statusCode, res.body).toBe(200);
      return res.json<CaseBody>();
    };
    const problem = (res: LightMyRequestResponse, status: number, code: string) => {
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json<{ code: string }>().code).toBe(code);
    };
    const history = async (id: string): Promise<HistoryItem[]> => {
      const res = await call('sarnai', 'GET', caseUrl(id, '/history'));
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ items: HistoryItem[] }>().items;
    };
    const audit = async (action: string, subject: string) =>
      (await listAuditEvents(0, 100_000, store)).filter((e) => e.action === action && e.subject === subject);
    /** A household registered by Nara in khoroo 1, through the REST submission route. */
    const register = async (given = 'Болд'): Promise<string> => {
      const entityId = randomUUID();
      const res = await app.inject({
        method: 'POST',
        url: `/api/v1/projects/${projectId}/submissions`,
        headers: { authorization: `Bearer ${device.token}`, 'content-type': 'application/xml' },
        payload: householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId, given }),
      });
      expect(res.statusCode, res.body).toBe(201);
      return entityId;
    };
    const pull = async (): Promise<{ ids: Set<string>; evicted: Map<string, string> }> => {
      const ids = new Set<string>();
      const evicted = new Map<string, string>();
      for (let i = 0; i < 100; i++) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/sync/pull',
          headers: { authorization: `Bearer ${device.token}` },
          payload: {
            protocol: PROTOCOL_VERSION,
            deviceId: device.deviceId,
            cursors: device.cursors,
            maxBytes: 262_144,
          },
        });
        expect(res.statusCode, res.body).toBe(200);
        const page = res.json<PullPage>();
        for (const [id] of pulledRecords(page)) ids.add(id);
        for (const e of page.evictions) evicted.set(e.id, e.reason);
        device.cursors = { ...page.cursors };
        if (!page.hasMore) break;
      }
      return { ids, evicted };
    };

    it('edits properties and label on a base version, refuses a stale one, and applies a forced one', async () => {
      const id = await register();
      const edited = ok(
        await call('sarnai', 'PATCH', caseUrl(id, '?baseVersion=1'), {
          label: 'Боржигин Болд',
          data: { needs: 'heating' },
        }),
      );
      expect(edited).toMatchObject({ version: 2, label: 'Боржигин Болд', properties: { needs: 'heating' } });
      // The same base again: someone changed the case since (ODK Central answers 409).
      problem(
        await call('sarnai', 'PATCH', caseUrl(id, '?baseVersion=1'), { data: { needs: 'food' } }),
        409,
        'entity.version-conflict',
      );
      problem(
        await call('sarnai', 'PATCH', caseUrl(id), { data: { needs: 'food' } }),
        400,
        'entity.base-version-missing',
      );
      expect((await findEntity(id, store))?.properties['needs']).toBe('heating');
      const forced = ok(await call('sarnai', 'PATCH', caseUrl(id, '?force=true'), { data: { needs: 'food' } }));
      expect(forced).toMatchObject({ version: 3, properties: { needs: 'food' } });
      const items = await history(id);
      expect(items.map((v) => [v.version, v.source, v.action, v.baseVersion])).toEqual([
        [3, 'edit', 'edit', 2],
        [2, 'edit', 'edit', 1],
        [1, 'submission', null, null],
      ]);
      expect(items[1]?.changes).toEqual({ label: 'Боржигин Болд', needs: 'heating' });
      expect((await audit('case.edit', id)).map((e) => e.details)).toEqual([
        expect.objectContaining({ fromVersion: 1, version: 2, properties: ['needs'], label: true }),
        expect.objectContaining({ fromVersion: 2, version: 3, force: true }),
      ]);
    });

    it('lets only roles that may write edit, and never a field the role is not shown', async () => {
      const id = await register('Дорж');
      // Tuya works in khoroo 2: Nara's household is not hers to see, let alone edit.
      problem(
        await call('tuya', 'PATCH', caseUrl(id, '?baseVersion=1'), { data: { needs: 'food' } }),
        404,
        'request.not-found',
      );
      // The analyst may write here but is not shown identifying fields.
      problem(
        await call('ana', 'PATCH', caseUrl(id, '?baseVersion=1'), { data: { head_register_number: 'УК00000000' } }),
        422,
        'sync.field-not-allowed',
      );
      expect((await findEntity(id, store))?.version).toBe(1);
      // The field worker may edit her own area's case, but not move it or assign it.
      ok(await call('nara', 'PATCH', caseUrl(id, '?baseVersion=1'), { data: { needs: 'water' } }));
      problem(
        await call('nara', 'POST', caseUrl(id, '/actions'), { action: 'assign', assignee: 'nara', baseVersion: 2 }),
        422,
        'sync.field-not-allowed',
      );
      problem(
        await call('nara', 'POST', caseUrl(id, '/actions'), { action: 'transfer', area: 'MN111053', baseVersion: 2 }),
        422,
        'sync.field-not-allowed',
      );
      problem(await call('nara', 'DELETE', caseUrl(id)), 403, 'auth.forbidden');
    });

    it('soft-deletes a case out of lists, pulls and the entity-list CSV, and restores it', async () => {
      const id = await register('Сүх');
      expect((await pull()).ids.has(id)).toBe(true);
      expect((await call('sarnai', 'DELETE', caseUrl(id))).json()).toEqual({ success: true });
      problem(await call('sarnai', 'GET', caseUrl(id)), 404, 'request.not-found');
      const listed = await call('sarnai', 'GET', `/api/v1/projects/${projectId}/cases?limit=500`);
      expect(listed.json<{ items: Array<{ id: string }> }>().items.map((c) => c.id)).not.toContain(id);
      expect((await allEntities(projectId, { listName: 'cases' }, store)).map((e) => e.id)).not.toContain(id);
      // The device is told to drop it.
      const after = await pull();
      expect(after.evicted.get(id)).toBe('deleted');
      // An edit of the deleted case is refused, saying why.
      problem(
        await call('sarnai', 'PATCH', caseUrl(id, '?force=true'), { data: { needs: 'food' } }),
        409,
        'entity.deleted',
      );
      problem(await call('sarnai', 'DELETE', caseUrl(id)), 404, 'request.not-found');
      // The supervisor finds it among the deleted cases (what the web app's restore view lists);
      // a field worker, who may not restore, may not list them.
      const deletedUrl = `/api/v1/projects/${projectId}/cases?deleted=true&limit=500`;
      const listedDeleted = await call('sarnai', 'GET', deletedUrl);
      expect(listedDeleted.statusCode, listedDeleted.body).toBe(200);
      const deleted = listedDeleted.json<{
        items: Array<{ id: string; label: string | null; deletedAt: string | null }>;
        total: number;
      }>();
      const found = deleted.items.find((c) => c.id === id);
      expect(found?.label).toContain('Сүх');
      expect(Number.isNaN(Date.parse(found?.deletedAt ?? ''))).toBe(false);
      expect(deleted.total).toBe(deleted.items.length);
      problem(await call('nara', 'GET', deletedUrl), 403, 'auth.forbidden');

      const restored = ok(await call('sarnai', 'POST', caseUrl(id, '/restore')));
      expect(restored).toMatchObject({ id, version: 1 });
      expect((await pull()).ids.has(id)).toBe(true);
      expect((await allEntities(projectId, { listName: 'cases' }, store)).map((e) => e.id)).toContain(id);
      problem(await call('sarnai', 'POST', caseUrl(id, '/restore')), 404, 'request.not-found');
      const stillDeleted = await call('sarnai', 'GET', deletedUrl);
      expect(stillDeleted.json<{ items: Array<{ id: string }> }>().items.map((c) => c.id)).not.toContain(id);
      const back = await call('sarnai', 'GET', `/api/v1/projects/${projectId}/cases?limit=500`);
      expect(back.json<{ items: Array<{ id: string }> }>().items.map((c) => c.id)).toContain(id);
      expect(await audit('case.delete', id)).toHaveLength(1);
      expect(await audit('case.restore', id)).toHaveLength(1);
    });

    it('assigns, transfers, closes and reopens a case, each a version with its action', async () => {
      const id = await register('Мөнх');
      // Neither someone outside the project nor a member whose role may not work on cases.
      for (const assignee of ['nobody', 'pat']) {
        problem(
          await call('sarnai', 'POST', caseUrl(id, '/actions'), { action: 'assign', assignee, baseVersion: 1 }),
          400,
          'case.assignee-invalid',
        );
      }
      const assigned = ok(
        await call('sarnai', 'POST', caseUrl(id, '/actions'), { action: 'assign', assignee: 'nara', baseVersion: 1 }),
      );
      expect(assigned).toMatchObject({ version: 2, assigneeId: users['nara'] });
      const closed = ok(await call('sarnai', 'POST', caseUrl(id, '/actions'), { action: 'close', baseVersion: 2 }));
      expect(closed).toMatchObject({ version: 3, status: 'closed', properties: { case_status: 'closed' } });
      problem(
        await call('sarnai', 'POST', caseUrl(id, '/actions'), { action: 'reopen', baseVersion: 2 }),
        409,
        'entity.version-conflict',
      );
      const reopened = ok(await call('sarnai', 'POST', caseUrl(id, '/actions'), { action: 'reopen', baseVersion: 3 }));
      expect(reopened).toMatchObject({ version: 4, status: 'open' });
      problem(
        await call('sarnai', 'POST', caseUrl(id, '/actions'), { action: 'transfer', area: 'MN111053', baseVersion: 3 }),
        409,
        'entity.version-conflict',
      );
      // To khoroo 2: the address is rewritten, so the case is placed (and seen) there.
      const moved = ok(
        await call('sarnai', 'POST', caseUrl(id, '/actions'), { action: 'transfer', area: 'MN111053', baseVersion: 4 }),
      );
      expect(moved).toMatchObject({ version: 5, area: { code: 'MN111053' }, properties: { bag: 'MN111053' } });
      ok(await call('tuya', 'GET', caseUrl(id)));
      const unassigned = ok(
        await call('sarnai', 'POST', caseUrl(id, '/actions'), { action: 'assign', assignee: null, baseVersion: 5 }),
      );
      expect(unassigned.assigneeId).toBeNull();
      // Nara neither works in khoroo 2 nor holds the case any more.
      problem(await call('nara', 'GET', caseUrl(id)), 404, 'request.not-found');
      expect((await history(id)).map((v) => [v.version, v.source, v.action])).toEqual([
        [6, 'edit', 'assign'],
        [5, 'edit', 'transfer'],
        [4, 'edit', 'reopen'],
        [3, 'edit', 'close'],
        [2, 'edit', 'assign'],
        [1, 'submission', null],
      ]);
      for (const action of ['assign', 'transfer', 'close', 'reopen']) {
        expect((await audit(`case.${action}`, id)).length).toBeGreaterThan(0);
      }
    });

    it("tags a case with the project's categories, filterable in the list and synced to devices", async () => {
      const id = await register('Оюун');
      const names = { en: 'Disability', mn: 'Хөгжлийн бэрхшээл' };
      for (const code of ['disability', 'elderly']) {
        expect(
          (await call('boss', 'PUT', `/api/v1/projects/${projectId}/categories/${code}`, { names })).statusCode,
        ).toBe(201);
      }
      problem(
        await call('sarnai', 'POST', caseUrl(id, '/actions'), {
          action: 'tag',
          categories: ['homeless'],
          baseVersion: 1,
        }),
        400,
        'case.category-unknown',
      );
      const tagged = ok(
        await call('nara', 'POST', caseUrl(id, '/actions'), {
          action: 'tag',
          categories: ['elderly', 'disability'],
          baseVersion: 1,
        }),
      );
      expect(tagged).toMatchObject({ version: 2, categories: ['disability', 'elderly'] });
      const filtered = await call('sarnai', 'GET', `/api/v1/projects/${projectId}/cases?category=elderly`);
      expect(filtered.json<{ items: Array<{ id: string; categories: string[] }> }>().items).toEqual([
        expect.objectContaining({ id, categories: ['disability', 'elderly'] }),
      ]);
      const none = await call('sarnai', 'GET', `/api/v1/projects/${projectId}/cases?category=disabled`);
      expect(none.json<{ total: number }>().total).toBe(0);
      // The device gets the tags with the case.
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/sync/pull',
        headers: { authorization: `Bearer ${device.token}` },
        payload: { protocol: PROTOCOL_VERSION, deviceId: device.deviceId, cursors: device.cursors, maxBytes: 262_144 },
      });
      const record = pulledRecords(res.json<PullPage>()).find(([recordId]) => recordId === id);
      expect(record?.[5]['__categories']).toBe('disability elderly');
      // Untagging is a tag with fewer categories.
      ok(await call('nara', 'POST', caseUrl(id, '/actions'), { action: 'tag', categories: [], baseVersion: 2 }));
      expect((await findEntity(id, store))?.categories).toEqual([]);
      expect((await history(id))[0]).toMatchObject({ version: 3, source: 'edit', action: 'tag' });
    });
  });
}

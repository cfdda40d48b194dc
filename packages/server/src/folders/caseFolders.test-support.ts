import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '@outpost/test-kit';
import type { SignedIn } from '@outpost/test-kit';
import { addUser } from '../auth/users.js';
import { buildApp, defaultSettings } from '../http/app.js';
import { upsertAreas } from '../storage/queries/areas.js';
import { listAuditEvents } from '../storage/queries/audit.js';
import { ensureEntityList, insertEntity } from '../storage/queries/entities.js';
import { addMembership } from '../storage/queries/memberships.js';
import { createProject } from '../storage/queries/projects.js';
import type { Store } from '../storage/store.js';

// Folders of cases over HTTP, on whichever database `open` gives: a field worker's personal and
// team folders, the supervisor seeing the team folder, a team folder never showing a case its
// reader may not see, idempotent retries from an offline device, refusals that change nothing,
// and each change audited.

const password = 'correct horse battery';
const clock = { now: () => new Date() };

interface FolderBody {
  id: string;
  name: string;
  kind: string;
  query: string | null;
  caseIds: string[];
  mine: boolean;
}

export function describeCaseFolders(name: string, open: () => Promise<{ store: Store; close(): Promise<void> }>): void {
  describe(`case folders (${name})`, () => {
    let app: FastifyInstance;
    let opened: { store: Store; close(): Promise<void> };
    let projectId: string;
    const cases: Record<string, string> = {};
    const as: Record<string, SignedIn> = {};

    beforeAll(async () => {
      opened = await open();
      const { store } = opened;
      app = await buildApp({ store, settings: { ...defaultSettings, loginRateLimitPerMinute: 1000 } });
      projectId = (await createProject({ slug: 'bz', name: 'Bayanzürkh' }, store)).id;
      const areas = await upsertAreas(
        projectId,
        '2024',
        [
          { code: 'MN1110', parentCode: null, level: 'district', names: { en: 'Bayanzürkh' } },
          { code: 'MN111051', parentCode: 'MN1110', level: 'khoroo', names: { en: 'Khoroo 1' } },
          { code: 'MN111053', parentCode: 'MN1110', level: 'khoroo', names: { en: 'Khoroo 2' } },
        ],
        store,
      );
      const areaId = (code: string) => areas.find((a) => a.code === code)?.id ?? '';
      const users: Record<string, string> = {};
      for (const [username, role] of [
        ['boss', 'admin'],
        ['sarnai', 'supervisor'],
        ['nara', 'fieldworker'],
        ['tuya', 'fieldworker'],
        ['ana', 'analyst'],
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
      await addMembership(
        { userId: users['tuya'] ?? '', projectId, roleId: 'fieldworker', areaIds: [areaId('MN111053')] },
        store,
      );
      await addMembership({ userId: users['ana'] ?? '', projectId, roleId: 'analyst' }, store);
      const list = await ensureEntityList(projectId, 'cases', store);
      for (const [key, code] of [
        ['k1a', 'MN111051'],
        ['k1b', 'MN111051'],
        ['k2', 'MN111053'],
      ] as const) {
        const entity = await insertEntity(
          { listId: list.id, label: `Household ${key}`, properties: {}, areaId: areaId(code) },
          store,
        );
        cases[key] = entity.id;
      }
      for (const user of ['boss', 'sarnai', 'nara', 'tuya', 'ana']) as[user] = await signIn(app, user, password);
    }, 60_000);

    afterAll(async () => {
      await app.close();
      await opened.close();
    });

    const url = (rest = '') => `/api/v1/projects/${projectId}/folders${rest}`;
    const call = (user: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, payload?: object) =>
      app.inject({ method, url: path, headers: as[user]?.headers ?? {}, ...(payload ? { payload } : {}) });
    const foldersOf = async (user: string): Promise<FolderBody[]> => {
      const res = await call(user, 'GET', url());
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ items: FolderBody[] }>().items;
    };
    const problem = (res: LightMyRequestResponse, status: number, code: string) => {
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json<{ code: string }>().code).toBe(code);
    };
    const audit = async (action: string) =>
      (await listAuditEvents(0, 10_000, opened.store)).filter((e) => e.action === action);

    it('keeps a personal folder to its owner and shows a team folder to the supervisor, each case within her reach', async () => {
      const personal = randomUUID();
      const team = randomUUID();
      expect((await call('nara', 'POST', url(), { id: personal, name: 'Winter', kind: 'personal' })).statusCode).toBe(
        201,
      );
      expect((await call('nara', 'POST', url(), { id: team, name: 'Heating', kind: 'team' })).statusCode).toBe(201);
      expect((await call('nara', 'PUT', url(`/${team}/cases/${cases['k1a']}`))).statusCode).toBe(204);
      expect((await call('nara', 'PUT', url(`/${personal}/cases/${cases['k1b']}`))).statusCode).toBe(204);
      // An offline device sends the same change again: nothing more happens, nothing more is audited.
      expect((await call('nara', 'PUT', url(`/${team}/cases/${cases['k1a']}`))).statusCode).toBe(204);
      expect((await call('nara', 'POST', url(), { id: team, name: 'Heating', kind: 'team' })).statusCode).toBe(200);
      expect(await audit('folder.case.add')).toHaveLength(2);

      const supervisorSees = await foldersOf('sarnai');
      expect(supervisorSees.map((f) => [f.name, f.kind, f.caseIds])).toEqual([['Heating', 'team', [cases['k1a']]]]);
      // Her colleague in khoroo 2 puts her own case in the team folder; the first never sees it.
      expect((await call('tuya', 'PUT', url(`/${team}/cases/${cases['k2']}`))).statusCode).toBe(204);
      expect((await foldersOf('nara')).find((f) => f.id === team)?.caseIds).toEqual([cases['k1a']]);
      expect((await foldersOf('sarnai'))[0]?.caseIds.sort()).toEqual([cases['k1a'], cases['k2']].sort());
      expect((await foldersOf('tuya')).map((f) => f.name)).toEqual(['Heating']);
      // Nor may she put a case out of her reach in a folder: it answers as if there were none.
      problem(await call('tuya', 'PUT', url(`/${team}/cases/${cases['k1b']}`)), 404, 'request.not-found');
      problem(await call('tuya', 'PUT', url(`/${personal}/cases/${cases['k2']}`)), 404, 'request.not-found');
    });

    it('saves a search as a smart folder that holds no chosen cases', async () => {
      const smart = randomUUID();
      const res = await call('nara', 'POST', url(), {
        id: smart,
        name: 'Elderly needing heating',
        kind: 'personal',
        query: 'age:60+ needs:heating',
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json<FolderBody>().query).toBe('age:60+ needs:heating');
      problem(await call('nara', 'PUT', url(`/${smart}/cases/${cases['k1a']}`)), 409, 'folder.smart');
    });

    it('refuses bad input with a stable code and changes nothing', async () => {
      const before = (await foldersOf('nara')).length;
      problem(
        await call('nara', 'POST', url(), { id: randomUUID(), name: 'Winter', kind: 'personal' }),
        409,
        'folder.name-taken',
      );
      problem(await call('nara', 'POST', url(), { id: 'nope', name: 'X', kind: 'personal' }), 400, 'request.invalid');
      problem(
        await call('nara', 'POST', url(), { id: randomUUID(), name: '   ', kind: 'team' }),
        400,
        'request.invalid',
      );
      problem(
        await call('nara', 'POST', url(), { id: randomUUID(), name: 'X', kind: 'shared' }),
        400,
        'request.invalid',
      );
      problem(
        await call('ana', 'POST', url(), { id: randomUUID(), name: 'Mine', kind: 'personal' }),
        403,
        'auth.forbidden',
      );
      const unauthenticated = await app.inject({ method: 'GET', url: url() });
      expect(unauthenticated.statusCode).toBe(401);
      expect((await foldersOf('nara')).length).toBe(before);
    });

    it('lets only the maker delete a folder, audited', async () => {
      const team = (await foldersOf('sarnai')).find((f) => f.name === 'Heating');
      problem(await call('sarnai', 'DELETE', url(`/${team?.id}`)), 403, 'auth.forbidden');
      expect((await call('nara', 'DELETE', url(`/${team?.id}`))).statusCode).toBe(204);
      expect((await foldersOf('sarnai')).map((f) => f.name)).toEqual([]);
      expect((await audit('folder.delete')).map((e) => e.subject)).toEqual([`folder:${team?.id}`]);
    });

    it('has categories an administrator defines, which members read', async () => {
      const category = `/api/v1/projects/${projectId}/categories/disability`;
      const names = { mn: 'Хөгжлийн бэрхшээл', en: 'Disability' };
      problem(await call('sarnai', 'PUT', category, { names }), 403, 'auth.forbidden');
      expect((await call('boss', 'PUT', category, { names })).statusCode).toBe(201);
      problem(await call('boss', 'PUT', category, { names: { fr: 'Handicap' } }), 400, 'request.invalid');
      const res = await call('nara', 'GET', url());
      expect(res.json<{ categories: unknown[] }>().categories).toEqual([{ code: 'disability', names }]);
      expect((await audit('category.create')).length).toBe(1);
      expect((await call('boss', 'DELETE', category)).statusCode).toBe(204);
      problem(await call('boss', 'DELETE', category), 404, 'request.not-found');
    });
  });
}

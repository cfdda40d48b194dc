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
import { upsertAreas } from '../storage/queries/areas.js';
import { listAuditEvents } from '../storage/queries/audit.js';
import { findEntity } from '../storage/queries/entities.js';
import { addMembership } from '../storage/queries/memberships.js';
import { createProject } from '../storage/queries/projects.js';
import type { Store } from '../storage/store.js';
import { householdInstance } from '../submissions/householdInstance.test-support.js';
import { applyEntity } from './applyEntity.js';

// Duplicate cases and their reversible merge (issue 12 point 2, docs/entities.md "Merging
// duplicates"): the report pairs cases a reader may see, names only for roles shown names; a merge
// keeps both histories and every submission, takes the survivor's blanks from the duplicate, takes
// the duplicate off lists and devices, refuses later updates of it; an undo puts both back.

const formsDir = new URL('../../../../templates/mongolia-social-protection/forms/', import.meta.url);
const password = 'correct horse battery';
const clock = { now: () => new Date() };

interface CaseBody {
  id: string;
  version: number;
  label: string | null;
  properties: Record<string, unknown>;
  merged: Array<{ id: string; label: string | null; taken: string[] }>;
}
interface PairCase {
  id: string;
  version: number;
  label: string | null;
  values: Record<string, string>;
}
interface Report {
  items: Array<{ score: number; reasons: Array<{ field: string; verdict: string }>; cases: PairCase[] }>;
  total: number;
  scanned: number;
  truncated: boolean;
  mayMerge: boolean;
}

export function describeCaseMerges(name: string, open: () => Promise<{ store: Store; close(): Promise<void> }>): void {
  describe(`duplicate cases and merge (${name})`, () => {
    let app: FastifyInstance;
    let opened: { store: Store; close(): Promise<void> };
    let store: Store;
    let projectId: string;
    let device: { token: string; deviceId: string; cursors: Record<string, number> };
    const as: Record<string, SignedIn> = {};

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
      app = await buildApp({ store, settings: { ...defaultSettings, loginRateLimitPerMinute: 1000 } });
      projectId = (await createProject({ slug: `merge-${randomUUID().slice(0, 8)}`, name: 'Merge' }, store)).id;
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
      for (const file of ['household_registration', 'visit']) {
        const bytes = readFileSync(new URL(`${file}.xlsx`, formsDir));
        const published = await publishForm({ projectId, fileName: `${file}.xlsx`, bytes, actorId: null }, store);
        if (!published.ok) throw new Error(`publishing ${file} failed: ${JSON.stringify(published)}`);
      }
      const users: Record<string, string> = {};
      for (const [username, role] of [
        ['sarnai', 'supervisor'],
        ['sukh', 'supervisor'],
        ['nara', 'fieldworker'],
        ['ana', 'analyst'],
      ] as const) {
        const r = await addUser({ username, displayName: username, role, password }, null, clock, store);
        if (!r.ok) throw new Error(r.detail);
        users[username] = r.user.id;
      }
      await addMembership({ userId: users['sarnai'] ?? '', projectId, roleId: 'supervisor' }, store);
      // Sukh supervises khoroo 2 only.
      await addMembership(
        { userId: users['sukh'] ?? '', projectId, roleId: 'supervisor', areaIds: [areaId('MN111053')] },
        store,
      );
      await addMembership(
        { userId: users['nara'] ?? '', projectId, roleId: 'fieldworker', areaIds: [areaId('MN111051')] },
        store,
      );
      await addMembership({ userId: users['ana'] ?? '', projectId, roleId: 'analyst' }, store);
      for (const user of ['sarnai', 'sukh', 'nara', 'ana']) as[user] = await signIn(app, user, password);
      const registered = await registerDevice({ userId: users['nara'] ?? '', name: 'tablet' }, clock, store);
      device = { token: registered.token, deviceId: registered.deviceId, cursors: {} };
    }, 120_000);

    afterAll(async () => {
      await app.close();
      await opened.close();
    });

    const call = (user: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
      app.inject({ method, url, headers: as[user]?.headers ?? {}, ...(payload ? { payload } : {}) });
    const caseUrl = (id: string, rest = '') => `/api/v1/projects/${projectId}/cases/${id}${rest}`;
    const duplicatesUrl = () => `/api/v1/projects/${projectId}/cases/duplicates?list=cases&limit=100`;
    const ok = <T>(res: LightMyRequestResponse): T => {
      expect(res.statusCode, res.body).toBe(200);
      return res.json<T>();
    };
    const problem = (res: LightMyRequestResponse, status: number, code: string) => {
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json<{ code: string }>().code).toBe(code);
    };
    const pairOf = (report: Report, a: string, b: string) =>
      report.items.find((p) => p.cases.some((c) => c.id === a) && p.cases.some((c) => c.id === b));
    const register = async (given: string, register: string): Promise<string> => {
      const entityId = randomUUID();
      const res = await app.inject({
        method: 'POST',
        url: `/api/v1/projects/${projectId}/submissions`,
        headers: { authorization: `Bearer ${device.token}`, 'content-type': 'application/xml' },
        payload: householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId, given, register }),
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

    it('pairs likely duplicates with their reasons, names only for roles shown names, within scope', async () => {
      const first = await register('Төмөрбаатар', 'УК85032711');
      const second = await register('Тумурбаатар', 'УК85032711');

      const report = ok<Report>(await call('sarnai', 'GET', duplicatesUrl()));
      const pair = pairOf(report, first, second);
      expect(pair?.score).toBeGreaterThanOrEqual(45);
      expect(pair?.reasons).toEqual(
        expect.arrayContaining([
          // Төмөрбаатар and Тумурбаатар fold to the same key, as search folds them.
          expect.objectContaining({ field: 'name', verdict: 'same' }),
          expect.objectContaining({ field: 'register', verdict: 'same' }),
        ]),
      );
      expect(pair?.cases.map((c) => c.id)).toEqual([first, second]);
      expect(pair?.cases[1]?.values['head_given_name']).toBe('Тумурбаатар');
      expect(pair?.cases[0]?.label).toBe('Б. Төмөрбаатар');
      expect(report.mayMerge).toBe(true);

      // The analyst sees the pair and why, but no name, register number or phone.
      const analyst = await call('ana', 'GET', duplicatesUrl());
      const seen = ok<Report>(analyst);
      const hidden = pairOf(seen, first, second);
      expect(hidden?.score).toBe(pair?.score);
      expect(hidden?.cases.map((c) => c.label)).toEqual([null, null]);
      for (const word of ['Төмөрбаатар', 'Тумурбаатар', 'УК85032711', '99112233', 'Боржигин']) {
        expect(analyst.body).not.toContain(word);
      }
      expect(seen.mayMerge).toBe(false);

      // A supervisor of khoroo 2 is never shown khoroo 1's cases.
      const scoped = await call('sukh', 'GET', duplicatesUrl());
      expect(scoped.statusCode, scoped.body).toBe(200);
      for (const id of [first, second]) expect(scoped.body).not.toContain(id);
      expect(scoped.json<Report>().scanned).toBe(0);
      problem(await call('sarnai', 'GET', `/api/v1/projects/${projectId}/cases/duplicates`), 400, 'request.invalid');
    });

    it('merges a duplicate keeping both histories, and undoes the merge exactly', async () => {
      const survivor = await register('Батболд', 'УЮ85032718');
      const duplicate = await register('Батболд', 'УЮ85032718');
      // The duplicate knows something the survivor does not.
      const noted = ok<CaseBody>(
        await call('sarnai', 'PATCH', caseUrl(duplicate, '?baseVersion=1'), {
          data: { next_visit_date: '2026-04-01' },
        }),
      );
      expect(noted.version).toBe(2);
      const before = ok<CaseBody>(await call('sarnai', 'GET', caseUrl(survivor)));
      expect(before.properties['next_visit_date'] ?? '').toBe('');
      expect((await pull()).ids.has(duplicate)).toBe(true);
      const mergeBody = { into: survivor, baseVersion: 2, intoBaseVersion: before.version };

      // Field workers and analysts may not merge; stale versions are refused.
      problem(await call('nara', 'POST', caseUrl(duplicate, '/merge'), mergeBody), 403, 'auth.forbidden');
      problem(await call('ana', 'POST', caseUrl(duplicate, '/merge'), mergeBody), 403, 'auth.forbidden');
      problem(await call('sukh', 'POST', caseUrl(duplicate, '/merge'), mergeBody), 404, 'request.not-found');
      problem(
        await call('sarnai', 'POST', caseUrl(duplicate, '/merge'), { ...mergeBody, baseVersion: 1 }),
        409,
        'entity.version-conflict',
      );
      problem(
        await call('sarnai', 'POST', caseUrl(survivor, '/merge'), { ...mergeBody, into: survivor, baseVersion: 1 }),
        409,
        'case.merge-invalid',
      );

      const merged = ok<{ survivor: CaseBody; taken: string[] }>(
        await call('sarnai', 'POST', caseUrl(duplicate, '/merge'), mergeBody),
      );
      expect(merged.taken).toEqual(['next_visit_date']);
      expect(merged.survivor).toMatchObject({
        version: before.version + 1,
        properties: { next_visit_date: '2026-04-01' },
      });
      expect(merged.survivor.merged).toEqual([expect.objectContaining({ id: duplicate, taken: ['next_visit_date'] })]);

      // The duplicate leaves the lists, the deleted list and the device; it is kept, not deleted.
      // Its page (a link, a bookmark, a device that still had it) says where it went, named as the
      // reader may see names; out of reach it is not found, as any case.
      const opened = await call('sarnai', 'GET', caseUrl(duplicate));
      problem(opened, 409, 'entity.merged');
      expect(opened.json<{ mergedInto?: object }>().mergedInto).toEqual({ id: survivor, label: before.label });
      expect(before.label).toBe('Б. Батболд');
      const unnamed = await call('ana', 'GET', caseUrl(duplicate));
      problem(unnamed, 409, 'entity.merged');
      expect(unnamed.json<{ mergedInto?: object }>().mergedInto).toEqual({ id: survivor, label: null });
      expect(unnamed.body).not.toContain('Батболд');
      problem(await call('sarnai', 'GET', caseUrl(duplicate, '/history')), 409, 'entity.merged');
      problem(await call('sukh', 'GET', caseUrl(duplicate)), 404, 'request.not-found');
      const listed = await call('sarnai', 'GET', `/api/v1/projects/${projectId}/cases?limit=500`);
      expect(listed.body).not.toContain(duplicate);
      const deletedList = await call('sarnai', 'GET', `/api/v1/projects/${projectId}/cases?deleted=true&limit=500`);
      expect(deletedList.body).not.toContain(duplicate);
      expect((await pull()).evicted.get(duplicate)).toBe('deleted');
      expect((await findEntity(duplicate, store))?.version).toBe(2);
      expect(pairOf(ok<Report>(await call('sarnai', 'GET', duplicatesUrl())), survivor, duplicate)).toBeUndefined();

      // Its history, submission included, shows on the survivor's timeline.
      const history = ok<{
        items: Array<{
          version: number;
          mergedFrom: string | null;
          form: { id: string } | null;
          action: string | null;
        }>;
      }>(await call('sarnai', 'GET', caseUrl(survivor, '/history'))).items;
      expect(history.filter((v) => v.mergedFrom === duplicate).map((v) => [v.version, v.form?.id ?? null])).toEqual([
        [2, null],
        [1, 'mn_household_registration'],
      ]);
      expect(history.find((v) => v.mergedFrom === null && v.version === before.version + 1)?.action).toBe('merge');

      // Later changes aimed at the duplicate are refused, naming the survivor.
      problem(
        await call('sarnai', 'PATCH', caseUrl(duplicate, '?force=true'), { data: { needs: 'water' } }),
        409,
        'entity.merged',
      );
      problem(await call('sarnai', 'POST', caseUrl(duplicate, '/restore')), 409, 'entity.merged');
      problem(await call('sarnai', 'POST', caseUrl(duplicate, '/merge'), mergeBody), 409, 'entity.merged');
      const late = await store.transaction((tx) =>
        applyEntity(
          {
            dataset: 'cases',
            entityId: duplicate,
            create: false,
            update: true,
            baseVersion: 2,
            trunkVersion: null,
            branchId: null,
            label: null,
            properties: { needs: 'water' },
          },
          { projectId, submissionId: null, userId: null, at: new Date().toISOString() },
          tx,
        ),
      );
      expect(late).toMatchObject({ action: 'refused', refusal: { code: 'entity.merged' } });
      expect(late.action === 'refused' ? late.refusal.detail : '').toContain(survivor);

      // Undo: both cases as they were.
      problem(await call('nara', 'POST', caseUrl(duplicate, '/unmerge')), 403, 'auth.forbidden');
      problem(await call('sarnai', 'POST', caseUrl(survivor, '/unmerge')), 409, 'case.not-merged');
      const undone = ok<{ case: CaseBody; restored: string[]; kept: string[] }>(
        await call('sarnai', 'POST', caseUrl(duplicate, '/unmerge')),
      );
      expect(undone).toMatchObject({ restored: ['next_visit_date'], kept: [] });
      expect(undone.case).toMatchObject({ id: duplicate, version: 2, properties: noted.properties, merged: [] });
      const after = ok<CaseBody>(await call('sarnai', 'GET', caseUrl(survivor)));
      expect(after.properties).toEqual(before.properties);
      expect(after.label).toBe(before.label);
      expect(after.merged).toEqual([]);
      expect((await pull()).ids.has(duplicate)).toBe(true);
      const afterHistory = ok<{ items: Array<{ mergedFrom: string | null; action: string | null }> }>(
        await call('sarnai', 'GET', caseUrl(survivor, '/history')),
      ).items;
      expect(afterHistory.some((v) => v.mergedFrom !== null)).toBe(false);
      expect(afterHistory[0]?.action).toBe('unmerge');
      problem(await call('sarnai', 'POST', caseUrl(duplicate, '/unmerge')), 409, 'case.not-merged');

      const audit = (await listAuditEvents(0, 100_000, store)).filter((e) => e.subject === duplicate);
      expect(audit.filter((e) => e.action === 'case.merge').map((e) => e.details)).toEqual([
        expect.objectContaining({ into: survivor, taken: ['next_visit_date'] }),
      ]);
      expect(audit.filter((e) => e.action === 'case.unmerge').map((e) => e.details)).toEqual([
        expect.objectContaining({ from: survivor, restored: ['next_visit_date'], kept: [] }),
      ]);
    });
  });
}

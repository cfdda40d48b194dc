import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyActor } from '@outpost/core';
import { accessStamp } from '../storage/queries/accessStamp.js';
import { upsertAreas } from '../storage/queries/areas.js';
import { ensureForm, insertFormVersion } from '../storage/queries/forms.js';
import { addMembership, removeMembership } from '../storage/queries/memberships.js';
import { createProject } from '../storage/queries/projects.js';
import { insertUser } from '../storage/queries/users.js';
import type { Store } from '../storage/store.js';
import { catalogueFor } from './catalogueFor.js';
import { loadPolicyActor } from './loadPolicyActor.js';
import { saveProjectPolicy } from './projectPolicy.js';

/** Two server processes over one database: each a store of its own (caches are per store). */
export interface TwoProcesses {
  first: Store;
  second: Store;
  close(): Promise<void>;
}

/**
 * Access kept by one process (the policy actor, the catalogue) follows every kind of write made
 * by another process over the same database at the very next request: membership removed, role
 * changed, areas reassigned, area renamed or moved, team changed, project policy changed, form
 * version published. And what a transaction built from its own writes is never served after it
 * rolled back.
 */
export function describeAccessChanges(name: string, open: () => Promise<TwoProcesses>): void {
  describe(`access kept per process (${name})`, () => {
    let processes: TwoProcesses;
    let first: Store;
    let second: Store;
    let projectId: string;
    let otherProjectId: string;
    let areaIds: Record<string, string>;

    // A new identity object each time, as authentication builds one per request.
    const request = (userId: string): Promise<PolicyActor> => loadPolicyActor({ userId, role: 'fieldworker' }, first);
    const writeAreas = (khorooName: string, khorooParent: string) =>
      upsertAreas(
        projectId,
        '2024',
        [
          { code: 'MN11', parentCode: null, level: 'aimag', names: { en: 'Ulaanbaatar' } },
          { code: 'MN1110', parentCode: 'MN11', level: 'district', names: { en: 'Bayanzürkh' } },
          { code: 'MN1120', parentCode: 'MN11', level: 'district', names: { en: 'Sükhbaatar' } },
          { code: 'MN111051', parentCode: khorooParent, level: 'khoroo', names: { en: khorooName } },
        ],
        second,
      );

    async function newUser(): Promise<string> {
      const id = randomUUID();
      await insertUser(
        {
          id,
          username: `u${id.slice(0, 8)}`,
          display_name: 'Member',
          password_hash: 'x',
          role: 'fieldworker',
          disabled_at: null,
          locked_until: null,
          totp_secret: null,
          created_at: new Date().toISOString(),
        },
        second,
      );
      return id;
    }

    /** Reads twice on the first process (the second from what it keeps), then lets `change` write on the second. */
    async function afterChange(userId: string, change: () => Promise<unknown>): Promise<PolicyActor> {
      await request(userId);
      await request(userId);
      await change();
      return request(userId);
    }

    beforeAll(async () => {
      processes = await open();
      ({ first, second } = processes);
      projectId = (await createProject({ slug: `kept-${randomUUID().slice(0, 8)}`, name: 'Kept' }, second)).id;
      otherProjectId = (await createProject({ slug: `other-${randomUUID().slice(0, 8)}`, name: 'Other' }, second)).id;
      const areas = await writeAreas('Khoroo 1', 'MN1110');
      areaIds = Object.fromEntries(areas.map((a) => [a.code, a.id]));
    });

    afterAll(async () => {
      await processes.close();
    });

    it('drops a removed membership at the next request', async () => {
      const userId = await newUser();
      await addMembership({ userId, projectId, roleId: 'fieldworker' }, second);
      const actor = await afterChange(userId, () => removeMembership(userId, projectId, second));
      expect(actor.memberships).toEqual([]);
    });

    it('follows a changed role at the next request', async () => {
      const userId = await newUser();
      await addMembership({ userId, projectId, roleId: 'supervisor' }, second);
      expect((await request(userId)).memberships.map((m) => m.role)).toEqual(['supervisor']);
      const actor = await afterChange(userId, () =>
        addMembership({ userId, projectId, roleId: 'fieldworker' }, second),
      );
      expect(actor.memberships.map((m) => m.role)).toEqual(['fieldworker']);
    });

    it('follows reassigned areas and a changed team at the next request', async () => {
      const userId = await newUser();
      const areaScopes = (actor: PolicyActor) =>
        actor.memberships.flatMap((m) => m.scopes.flatMap((s) => (s.kind === 'area' ? [s.path] : [])));
      await addMembership({ userId, projectId, roleId: 'fieldworker', areaIds: [areaIds['MN1110'] ?? ''] }, second);
      expect(areaScopes(await request(userId))).toEqual([expect.stringContaining(areaIds['MN1110'] ?? '?')]);
      const moved = await afterChange(userId, () =>
        addMembership({ userId, projectId, roleId: 'fieldworker', areaIds: [areaIds['MN1120'] ?? ''] }, second),
      );
      expect(areaScopes(moved)).toEqual([expect.stringContaining(areaIds['MN1120'] ?? '?')]);
      const teamed = await afterChange(userId, () =>
        addMembership({ userId, projectId, roleId: 'fieldworker', team: 'north' }, second),
      );
      expect(teamed.memberships[0]?.scopes).toContainEqual({ kind: 'team', team: 'north' });
    });

    it('follows an area moved to another parent at the next request (its path, and the catalogue)', async () => {
      const userId = await newUser();
      const khoroo = areaIds['MN111051'] ?? '';
      await addMembership({ userId, projectId, roleId: 'fieldworker', areaIds: [khoroo] }, second);
      await writeAreas('Khoroo 1', 'MN1110');
      await catalogueFor(projectId, first);
      const before = await request(userId);
      expect(before.memberships[0]?.scopes[0]).toEqual({
        kind: 'area',
        path: `/${areaIds['MN11']}/${areaIds['MN1110']}/${khoroo}/`,
      });
      const after = await afterChange(userId, () => writeAreas('Khoroo 1', 'MN1120'));
      expect(after.memberships[0]?.scopes[0]).toEqual({
        kind: 'area',
        path: `/${areaIds['MN11']}/${areaIds['MN1120']}/${khoroo}/`,
      });
    });

    it('names an area as renamed on another process at the next request', async () => {
      const khoroo = areaIds['MN111051'] ?? '';
      await writeAreas('Khoroo 1', 'MN1110');
      expect((await catalogueFor(projectId, first)).areas.get(khoroo)?.name).toBe('Khoroo 1');
      expect((await catalogueFor(projectId, first)).areas.get(khoroo)?.name).toBe('Khoroo 1');
      await writeAreas('1-р хороо', 'MN1110');
      expect((await catalogueFor(projectId, first)).areas.get(khoroo)?.name).toBe('1-р хороо');
    });

    it('follows a changed project policy at the next request', async () => {
      const userId = await newUser();
      await addMembership({ userId, projectId, roleId: 'fieldworker' }, second);
      await saveProjectPolicy(projectId, null, second);
      expect((await request(userId)).projects?.[projectId]).toBeUndefined();
      const policy = { overrides: [{ role: 'fieldworker' as const, remove: ['cases.write' as const] }] };
      const actor = await afterChange(userId, () => saveProjectPolicy(projectId, policy, second));
      expect(actor.projects?.[projectId]).toEqual(policy);
    });

    it('classes the fields of a form version published on another process at the next request', async () => {
      const at = new Date().toISOString();
      const form = await ensureForm({ projectId, xmlFormId: 'visit', title: 'Visit', at }, second);
      const publish = (version: string, field: string) =>
        insertFormVersion(
          {
            formId: form.id,
            version,
            xlsform: null,
            xform: '<h:html xmlns:h="http://www.w3.org/1999/xhtml"/>',
            summary: {
              formId: 'visit',
              version,
              title: 'Visit',
              defaultLanguage: null,
              languages: [],
              instanceName: null,
              fields: [
                {
                  path: `/data/${field}`,
                  name: field,
                  type: 'text',
                  labels: {},
                  sensitivity: 'identifying',
                  saveTo: null,
                  repeat: false,
                },
              ],
              entities: null,
            },
            publishedBy: null,
            at,
          },
          second,
        );
      await publish('1', 'head_name');
      expect((await catalogueFor(projectId, first)).fields.has('head_name')).toBe(true);
      expect((await catalogueFor(projectId, first)).fields.has('phone')).toBe(false);
      await publish('2', 'phone');
      expect((await catalogueFor(projectId, first)).fields.has('phone')).toBe(true);
    });

    it('never serves what a rolled-back transaction built from its own writes', async () => {
      const userId = await newUser();
      await addMembership({ userId, projectId, roleId: 'fieldworker' }, second);
      await request(userId);
      const before = (await accessStamp(first)) ?? 0;
      let inside = before;
      const rolledBack = new Error('rolled back');
      await expect(
        first.transaction(async (tx) => {
          await addMembership({ userId, projectId: otherProjectId, roleId: 'supervisor' }, tx);
          const actor = await loadPolicyActor({ userId, role: 'fieldworker' }, tx);
          expect(actor.memberships.map((m) => m.projectId).sort()).toEqual([projectId, otherProjectId].sort());
          inside = (await accessStamp(tx)) ?? 0;
          throw rolledBack;
        }),
      ).rejects.toBe(rolledBack);
      // Other writes take the stamp exactly where the rolled-back transaction had it.
      for (let stamp = before; stamp < inside; stamp++) await saveProjectPolicy(projectId, null, second);
      expect(await accessStamp(first)).toBe(inside);
      expect((await request(userId)).memberships.map((m) => m.projectId)).toEqual([projectId]);
    });
  });
}

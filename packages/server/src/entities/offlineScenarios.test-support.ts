import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushResult } from '@outpost/core';
import { AUTO_GENERATED_LABEL, PROTOCOL_VERSION } from '@outpost/core';
import { registerDevice } from '../auth/sessions.js';
import { addUser } from '../auth/users.js';
import { publishForm } from '../forms/publishForm.js';
import { buildApp, defaultSettings } from '../http/app.js';
import { upsertAreas } from '../storage/queries/areas.js';
import { findEntity } from '../storage/queries/entities.js';
import { addMembership } from '../storage/queries/memberships.js';
import { createProject } from '../storage/queries/projects.js';
import { findSubmission } from '../storage/queries/submissions.js';
import type { Store } from '../storage/store.js';
import { householdInstance } from '../submissions/householdInstance.test-support.js';
import { startBacklogSchedule } from './backlogSchedule.js';
import { forceProcessBacklog } from './entityBacklog.js';
import { templateFormVersion } from '../templateFormVersion.test-support.js';

// ODK Central's offline-entity behaviour (docs/entities.md, "What arrives"), scenario by scenario,
// on both ways a submission reaches the server: the REST route (ODK Collect, scripts) and the
// sync push (the PWA). The same scenarios run on SQLite and PostgreSQL.

const formsDir = new URL('../../../../templates/mongolia-social-protection/forms/', import.meta.url);
const clock = { now: () => new Date() };
const DAY = 24 * 60 * 60 * 1000;

export interface EntityAttributes {
  create?: boolean;
  update?: boolean;
  baseVersion?: number | '';
  trunkVersion?: number | '';
  branchId?: string;
}

/** A visit (the update-only follow-up form) with the entity attributes a test gives it. */
export function visitInstance(instanceId: string, entityId: string, needs: string, a: EntityAttributes): string {
  const attrs = [
    a.create === true ? ' create="1"' : '',
    a.update === false ? '' : ' update="1"',
    a.baseVersion === undefined ? '' : ` baseVersion="${a.baseVersion}"`,
    a.trunkVersion === undefined ? '' : ` trunkVersion="${a.trunkVersion}"`,
    a.branchId === undefined ? '' : ` branchId="${a.branchId}"`,
  ].join('');
  return `<data xmlns:jr="http://openrosa.org/javarosa" id="mn_visit" version="${templateFormVersion('mn_visit')}">
  <start>2026-03-05T10:00:00.000+08:00</start><end>2026-03-05T10:15:00.000+08:00</end><today>2026-03-05</today><username>bolor</username>
  <case_id>${entityId}</case_id><visit_date>2026-03-05</visit_date><visit_type>phone</visit_type><contact_made>yes</contact_made>
  <visit_location/><observations/><needs>${needs}</needs><next_visit_date>2026-04-05</next_visit_date><case_status>in_progress</case_status>
  <meta><instanceID>${instanceId}</instanceID>
    <entity dataset="cases" id="${entityId}"${attrs}/></meta>
</data>`;
}

type Answer =
  | { outcome: 'stored'; entity: { action: string; reason?: string } | null }
  | { outcome: 'refused'; status: number; code: string };

interface Harness {
  store: Store;
  send(xml: string): Promise<Answer>;
}

/** The scenarios, against a store from `open` (closed by `close`). */
export function describeOfflineScenarios(
  dialect: string,
  open: () => Promise<{ store: Store; close: () => Promise<void> }>,
): void {
  let opened: { store: Store; close: () => Promise<void> };
  let store: Store;
  let app: FastifyInstance;
  let projectId: string;
  let token: string;
  let deviceId: string;
  let seq = 0;

  beforeAll(async () => {
    opened = await open();
    store = opened.store;
    projectId = (await createProject({ slug: `offline-${randomUUID().slice(0, 8)}`, name: 'Offline' }, store)).id;
    await upsertAreas(
      projectId,
      '2024',
      [
        { code: 'MN11', parentCode: null, level: 'aimag', names: { en: 'Ulaanbaatar' } },
        { code: 'MN1110', parentCode: 'MN11', level: 'district', names: { en: 'Bayanzürkh' } },
        { code: 'MN111051', parentCode: 'MN1110', level: 'khoroo', names: { en: 'Khoroo 1' } },
      ],
      store,
    );
    for (const file of ['household_registration', 'visit']) {
      const bytes = readFileSync(new URL(`${file}.xlsx`, formsDir));
      const published = await publishForm({ projectId, fileName: `${file}.xlsx`, bytes, actorId: null }, store);
      if (!published.ok) throw new Error(`publishing ${file} failed`);
    }
    const username = `bolor-${randomUUID().slice(0, 8)}`;
    const user = await addUser(
      { username, displayName: 'Bolor', role: 'fieldworker', password: 'correct horse battery' },
      null,
      clock,
      store,
    );
    if (!user.ok) throw new Error(user.detail);
    await addMembership({ userId: user.user.id, projectId, roleId: 'fieldworker' }, store);
    const device = await registerDevice({ userId: user.user.id, name: 'tablet' }, clock, store);
    token = device.token;
    deviceId = device.deviceId;
    app = await buildApp({ store, settings: defaultSettings });
  }, 120_000);

  afterAll(async () => {
    await app.close();
    await opened.close();
  });

  const rest: Harness['send'] = async (xml) => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/projects/${projectId}/submissions`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
      payload: xml,
    });
    if (res.statusCode >= 400)
      return { outcome: 'refused', status: res.statusCode, code: res.json<{ code: string }>().code };
    expect(res.statusCode, res.body).toBeLessThan(300);
    return { outcome: 'stored', entity: res.json<{ entity: { action: string; reason?: string } | null }>().entity };
  };

  const push: Harness['send'] = async (xml) => {
    seq += 1;
    const instanceId = /<instanceID>([^<]+)</.exec(xml)?.[1] ?? '';
    const formId = /id="(mn_[a-z_]+)"/.exec(xml)?.[1] ?? '';
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/sync/push',
      headers: { authorization: `Bearer ${token}` },
      payload: {
        protocol: PROTOCOL_VERSION,
        deviceId,
        fromSeq: seq,
        throughSeq: seq,
        items: [
          {
            seq,
            instanceId,
            projectId,
            formId,
            formVersion: templateFormVersion('mn_visit'),
            xml,
            createdAt: '2026-03-05T10:00:00Z',
            attachments: [],
          },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const [result] = res.json<PushResult>().results;
    if (result === undefined) throw new Error(`no result: ${res.body}`);
    if (result.outcome === 'rejected') return { outcome: 'refused', status: 0, code: result.code };
    if (result.outcome === 'parked') return { outcome: 'stored', entity: { action: 'held' } };
    return { outcome: 'stored', entity: null };
  };

  const paths: Array<[string, () => Harness['send']]> = [
    ['REST submission', () => rest],
    ['sync push', () => push],
  ];

  describe.each(paths)(`offline entities as ODK Central has them (${dialect}, %s)`, (_, sendOn) => {
    const uuid = () => `uuid:${randomUUID()}`;
    const registered = async (label?: string): Promise<string> => {
      const caseId = randomUUID();
      const answer = await sendOn()(
        householdInstance({ instanceId: uuid(), entityId: caseId, ...(label ? { label } : {}) }),
      );
      expect(answer.outcome).toBe('stored');
      return caseId;
    };
    /** Refused with `code` (and the REST status), storing nothing. */
    const expectRefused = async (xml: string, code: string, status: number) => {
      const answer = await sendOn()(xml);
      expect(answer).toMatchObject({ outcome: 'refused', code });
      if (answer.outcome === 'refused' && answer.status !== 0) expect(answer.status).toBe(status);
      const instanceId = /<instanceID>([^<]+)</.exec(xml)?.[1] ?? '';
      expect(await findSubmission(instanceId, store)).toBeUndefined();
    };

    it('refuses an update of a case the server never had, outside an offline branch', async () => {
      const unknown = randomUUID();
      await expectRefused(visitInstance(uuid(), unknown, 'cash', { baseVersion: 1 }), 'entity.not-found', 404);
      expect(await findEntity(unknown, store)).toBeUndefined();
    }, 60_000);

    it('refuses a base version the case never had, and a trunk version ahead of the case', async () => {
      const caseId = await registered();
      await expectRefused(visitInstance(uuid(), caseId, 'cash', { baseVersion: 7 }), 'entity.version-not-found', 409);
      const trunkAhead = { baseVersion: 1, trunkVersion: 4, branchId: randomUUID() };
      await expectRefused(visitInstance(uuid(), caseId, 'cash', trunkAhead), 'entity.version-not-found', 409);
      expect(await findEntity(caseId, store)).toMatchObject({ version: 1 });
    }, 60_000);

    it('refuses an update that names no base version', async () => {
      const caseId = await registered();
      await expectRefused(visitInstance(uuid(), caseId, 'cash', {}), 'entity.base-version-missing', 400);
    }, 60_000);

    it('refuses a registration without a label, and the same registration again under a new instanceID', async () => {
      const caseId = await registered('Б. Болд');
      const again = householdInstance({ instanceId: uuid(), entityId: caseId, given: 'Дорж' });
      await expectRefused(again, 'entity.exists', 409);
      expect(await findEntity(caseId, store)).toMatchObject({ label: 'Б. Болд', version: 1 });
      const nameless = householdInstance({ instanceId: uuid(), entityId: randomUUID() }).replace(
        /<label>[^<]*<\/label>/,
        '<label/>',
      );
      await expectRefused(nameless, 'entity.label-missing', 400);
    }, 60_000);

    it("enforces the form's actions: the visit form cannot create, the registration cannot update", async () => {
      const caseId = await registered();
      const creatingVisit = visitInstance(uuid(), randomUUID(), 'cash', { create: true, update: false });
      await expectRefused(creatingVisit, 'entity.action-not-permitted', 400);
      const updatingRegistration = householdInstance({ instanceId: uuid(), entityId: caseId }).replace(
        'create="1"',
        'update="1" baseVersion="1"',
      );
      await expectRefused(updatingRegistration, 'entity.action-not-permitted', 400);
    }, 60_000);

    it('holds an offline-branch update whose case has not arrived, and applies it when the create does', async () => {
      const caseId = randomUUID();
      const branchId = randomUUID();
      const early = await sendOn()(
        visitInstance(uuid(), caseId, 'cash', { baseVersion: 1, trunkVersion: '', branchId }),
      );
      expect(early).toMatchObject({ outcome: 'stored', entity: { action: 'held' } });
      await sendOn()(householdInstance({ instanceId: uuid(), entityId: caseId }));
      expect(await findEntity(caseId, store)).toMatchObject({ version: 2, conflict: null });
    }, 60_000);

    it('forces a held update after the timeout into an "auto generated" case that keeps its branch; the late registration then applies at once', async () => {
      const caseId = randomUUID();
      const branchId = randomUUID();
      const orphan = await sendOn()(
        visitInstance(uuid(), caseId, 'cash', { baseVersion: 1, trunkVersion: '', branchId }),
      );
      expect(orphan).toMatchObject({ outcome: 'stored', entity: { action: 'held' } });
      // Not yet due: four days later nothing is forced.
      await forceProcessBacklog({ now: new Date(Date.now() + 4 * DAY), delayMs: 5 * DAY }, store);
      expect(await findEntity(caseId, store)).toBeUndefined();
      await forceProcessBacklog({ now: new Date(Date.now() + 6 * DAY), delayMs: 5 * DAY }, store);
      expect(await findEntity(caseId, store)).toMatchObject({
        version: 1,
        label: AUTO_GENERATED_LABEL,
        branch_id: branchId,
      });
      expect((await findEntity(caseId, store))?.properties['needs']).toBe('cash');
      const root = await store.db
        .selectFrom('entity_versions')
        .select(['forced', 'branch_id', 'branch_base_version', 'trunk_version'])
        .where('entity_id', '=', caseId)
        .executeTakeFirstOrThrow();
      expect({ ...root, forced: Number(root.forced) }).toEqual({
        forced: 1,
        branch_id: branchId,
        branch_base_version: 1,
        trunk_version: null,
      });
      // The registration arrives late: applied at once, named as the worker named it, as a conflict
      // (its needs disagree with the forced visit's).
      const late = await sendOn()(householdInstance({ instanceId: uuid(), entityId: caseId }));
      expect(late.outcome).toBe('stored');
      expect(await findEntity(caseId, store)).toMatchObject({
        version: 2,
        label: 'Б. Болд',
        conflict: 'hard',
      });
    }, 60_000);

    it('forces a branch step whose predecessor never came onto the latest version, keeping its branch', async () => {
      const caseId = await registered();
      const branchId = randomUUID();
      const second = await sendOn()(
        visitInstance(uuid(), caseId, 'shelter', { baseVersion: 2, trunkVersion: 1, branchId }),
      );
      expect(second).toMatchObject({ outcome: 'stored', entity: { action: 'held' } });
      // The server's own schedule forces it (here with a zero timeout), no device push needed.
      const schedule = startBacklogSchedule(store, { delayMs: 0, now: () => new Date(Date.now() + DAY) });
      try {
        await expect.poll(async () => (await findEntity(caseId, store))?.version, { timeout: 20_000 }).toBe(2);
      } finally {
        schedule.stop();
      }
      expect(await findEntity(caseId, store)).toMatchObject({
        branch_id: branchId,
        trunk_version: 1,
      });
      expect((await findEntity(caseId, store))?.properties['needs']).toBe('shelter');
    }, 60_000);
  });
}

import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushResult } from '@outpost/core';
import { PROTOCOL_VERSION } from '@outpost/core';
import { createPostgresTestDatabase } from '@outpost/test-kit';
import type { PostgresTestDatabase } from '@outpost/test-kit';
import { registerDevice } from '../auth/sessions.js';
import { publishForm } from '../forms/publishForm.js';
import { buildApp, defaultSettings } from '../http/app.js';
import { verifyAuditChain } from '../storage/queries/audit.js';
import { attributedVersions } from '../storage/queries/conflicts.js';
import { findEntity } from '../storage/queries/entities.js';
import { findSubmission } from '../storage/queries/submissions.js';
import { migrate, openStore } from '../storage/store.js';
import type { Store } from '../storage/store.js';
import { householdInstance } from '../submissions/householdInstance.test-support.js';
import { templateFormVersion } from '../templateFormVersion.test-support.js';
import { seedBayanzurkh, visitInstance } from './bayanzurkh.test-support.js';

// Two server instances (each with its own connection pool, as two `outpost start` processes have)
// on one PostgreSQL database, taking batches that change the same cases in different orders.

const clock = { now: () => new Date() };

let database: PostgresTestDatabase;
let stores: Store[] = [];
let apps: FastifyInstance[] = [];
let projectId: string;
let userId: string;

beforeAll(async () => {
  database = await createPostgresTestDatabase();
  stores = [
    await openStore({ databaseUrl: database.url, sqlitePath: ':memory:' }),
    await openStore({ databaseUrl: database.url, sqlitePath: ':memory:' }),
  ];
  const [store] = stores;
  if (store === undefined) throw new Error('no store');
  await migrate(store);
  const seeded = await seedBayanzurkh(store, [['bolor', 'fieldworker', 'MN111051']]);
  projectId = seeded.projectId;
  userId = seeded.users['bolor'] ?? '';
  const notes = await publishForm(
    { projectId, fileName: 'notes.xlsx', bytes: await notesForm(), actorId: null },
    store,
  );
  if (!notes.ok) throw new Error('publishing notes failed');
  apps = await Promise.all(stores.map((s) => buildApp({ store: s, settings: defaultSettings })));
}, 60_000);

afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await Promise.all(stores.map((s) => s.close()));
  await database.drop();
});

/** A form that changes no case: nothing but the instanceId orders two copies of its submissions. */
async function notesForm(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('survey').addRows([
    ['type', 'name', 'label'],
    ['text', 'note', 'Note'],
  ]);
  book.addWorksheet('settings').addRows([
    ['form_title', 'form_id', 'version'],
    ['Notes', 'notes', '1'],
  ]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

function visit(instanceId: string, entityId: string, needs: string): string {
  return visitInstance({ instanceId, entityId, baseVersion: 1, needs });
}

interface Item {
  formId: string;
  xml: string;
}

async function pushBatch(app: FastifyInstance, device: { token: string; deviceId: string }, items: Item[]) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/sync/push',
    headers: { authorization: `Bearer ${device.token}` },
    payload: {
      protocol: PROTOCOL_VERSION,
      deviceId: device.deviceId,
      fromSeq: 1,
      throughSeq: items.length,
      items: items.map((item, i) => ({
        seq: i + 1,
        instanceId: /<instanceID>([^<]+)<\/instanceID>/.exec(item.xml)?.[1] ?? '',
        projectId,
        formId: item.formId,
        formVersion: item.formId === 'notes' ? '1' : templateFormVersion(item.formId),
        xml: item.xml,
        createdAt: '2026-03-05T10:00:00Z',
        attachments: [],
      })),
    },
  });
  return { status: res.statusCode, body: res.body };
}

function appOf(i: number): FastifyInstance {
  const app = apps[i % apps.length];
  if (app === undefined) throw new Error('no app');
  return app;
}

describe('push batches on PostgreSQL with two server instances', () => {
  it('stores overlapping batches pushed at once, each item once, without deadlocking', async () => {
    const cases = Array.from({ length: 5 }, () => randomUUID());
    const registrar = await registerDevice({ userId, name: 'registrar' }, clock, stores[0] as Store);
    const registered = await pushBatch(
      appOf(0),
      registrar,
      cases.map((entityId) => ({
        formId: 'mn_household_registration',
        xml: householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId }),
      })),
    );
    expect(registered.status, registered.body).toBe(200);
    expect(JSON.parse(registered.body)).toMatchObject({ ackedThrough: cases.length });

    // Every device visits every case, each in its own order (rotated, every other one reversed),
    // and sends its batch twice at once, through both instances (a retry while the first is in flight).
    const devices = await Promise.all(
      Array.from({ length: 6 }, (_, i) => registerDevice({ userId, name: `tablet-${i}` }, clock, stores[0] as Store)),
    );
    const batches = devices.map((device, d) => {
      const order = [...cases.slice(d % cases.length), ...cases.slice(0, d % cases.length)];
      if (d % 2 === 1) order.reverse();
      const visits = order.map((entityId) => ({ entityId, instanceId: `uuid:${randomUUID()}` }));
      return {
        device,
        d,
        visits,
        items: visits.map((v) => ({ formId: 'mn_visit', xml: visit(v.instanceId, v.entityId, 'food') })),
      };
    });
    const answers = await Promise.all(
      batches.flatMap((b) =>
        [0, 1].map(async (copy) => ({ b, answer: await pushBatch(appOf(b.d + copy), b.device, b.items) })),
      ),
    );

    const acceptedBy = new Map<string, number>();
    for (const { b, answer } of answers) {
      // A deadlock or any other fault would be a 5xx, or an acknowledgement short of the batch.
      expect(answer.status, answer.body).toBe(200);
      const result = JSON.parse(answer.body) as PushResult;
      expect(result.ackedThrough).toBe(b.items.length);
      for (const [i, item] of result.results.entries()) {
        expect(item).toMatchObject({ instanceId: b.visits[i]?.instanceId });
        expect(['accepted', 'duplicate']).toContain(item.outcome);
        if (item.outcome === 'accepted') acceptedBy.set(item.instanceId, (acceptedBy.get(item.instanceId) ?? 0) + 1);
      }
    }
    const store = stores[1] as Store;
    const visitIds = batches.flatMap((b) => b.visits.map((v) => v.instanceId));
    // Each visit accepted by exactly one of the two copies, stored, and one version of its case.
    for (const instanceId of visitIds) {
      expect(acceptedBy.get(instanceId), instanceId).toBe(1);
      expect(await findSubmission(instanceId, store)).toBeDefined();
    }
    for (const caseId of cases) {
      const versions = await attributedVersions(caseId, 1, store);
      const fromVisits = versions.filter((v) => v.submission_id !== null && visitIds.includes(v.submission_id));
      expect(fromVisits.map((v) => v.submission_id).sort()).toEqual(
        batches.map((b) => b.visits.find((v) => v.entityId === caseId)?.instanceId).sort(),
      );
      expect(new Set(versions.map((v) => v.version)).size).toBe(versions.length);
      expect(await findEntity(caseId, store)).toMatchObject({ version: devices.length + 1 });
    }
    expect(await verifyAuditChain(store)).toMatchObject({ ok: true });
  }, 120_000);
});

describe('the same batch pushed several times at once through both instances', () => {
  it('stores each item once and answers the other copies as duplicates', async () => {
    const device = await registerDevice({ userId, name: 'retrying tablet' }, clock, stores[0] as Store);
    const ids = Array.from({ length: 10 }, () => `uuid:${randomUUID()}`);
    const items = ids.map((id, i) => ({
      formId: 'notes',
      xml: `<data id="notes" version="1"><note>note ${i}</note><meta><instanceID>${id}</instanceID></meta></data>`,
    }));
    const answers = await Promise.all([0, 1, 2, 3].map((copy) => pushBatch(appOf(copy), device, items)));
    const accepted = new Map<string, number>();
    for (const answer of answers) {
      expect(answer.status, answer.body).toBe(200);
      const result = JSON.parse(answer.body) as PushResult;
      // A copy that lost the race for an instanceId answers it as a duplicate, not as a fault.
      expect(result.ackedThrough).toBe(items.length);
      for (const item of result.results) {
        expect(['accepted', 'duplicate']).toContain(item.outcome);
        if (item.outcome === 'accepted') accepted.set(item.instanceId, (accepted.get(item.instanceId) ?? 0) + 1);
      }
    }
    for (const id of ids) {
      expect(accepted.get(id), id).toBe(1);
      expect(await findSubmission(id, stores[1] as Store)).toMatchObject({ instance_id: id });
    }
  }, 60_000);
});

describe('an item that fails in the middle of a batch on PostgreSQL', () => {
  it('is rolled back alone: the items around it are stored and the audit chain stays whole', async () => {
    const store = stores[0] as Store;
    const device = await registerDevice({ userId, name: 'faulting tablet' }, clock, store);
    const doomed = `uuid:${randomUUID()}`;
    const doomedEntity = randomUUID();
    const items = [`uuid:${randomUUID()}`, doomed, `uuid:${randomUUID()}`, `uuid:${randomUUID()}`].map(
      (instanceId) => ({
        formId: 'mn_household_registration',
        xml: householdInstance({ instanceId, entityId: instanceId === doomed ? doomedEntity : randomUUID() }),
      }),
    );
    // The second item has taken its sequence numbers and written its submission when its case
    // fails to be written (a batch's audit events go in together at its commit, so a fault there
    // fails the whole batch: sync.test.ts).
    await sql`create function fail_entity() returns trigger language plpgsql as $$
      begin raise exception 'injected fault'; end $$`.execute(store.db);
    await sql`create trigger fail_entity before insert on entities for each row
      when (new.id = ${sql.lit(doomedEntity)}) execute function fail_entity()`.execute(store.db);
    try {
      const first = await pushBatch(appOf(0), device, items);
      expect(first.status, first.body).toBe(200);
      expect((JSON.parse(first.body) as PushResult).results.map((r) => r.outcome)).toEqual(['accepted']);
    } finally {
      await sql`drop trigger fail_entity on entities`.execute(store.db);
      await sql`drop function fail_entity()`.execute(store.db);
    }
    expect(await findSubmission(doomed, store)).toBeUndefined();
    expect(await verifyAuditChain(store)).toMatchObject({ ok: true });
    const retry = await pushBatch(appOf(1), device, items);
    expect((JSON.parse(retry.body) as PushResult).results.map((r) => r.outcome)).toEqual([
      'duplicate',
      'accepted',
      'duplicate',
      'duplicate',
    ]);
    expect(await verifyAuditChain(store)).toMatchObject({ ok: true });
  }, 60_000);
});

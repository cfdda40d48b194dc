import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DigestResult, PullPage, PushResult } from '@outpost/core';
import { PROTOCOL_VERSION, pulledRecords, scopeDigest } from '@outpost/core';
import { registerDevice, revokeDevice } from '../auth/sessions.js';
import { setUserDisabled } from '../auth/users.js';
import { buildApp, defaultSettings } from '../http/app.js';
import { listAuditEvents, verifyAuditChain } from '../storage/queries/audit.js';
import { attributedVersions } from '../storage/queries/conflicts.js';
import { findEntity, updateEntity } from '../storage/queries/entities.js';
import { changedEntities, entityContents } from '../storage/queries/sync.js';
import type { Store } from '../storage/store.js';
import { migrate, openStore } from '../storage/store.js';
import { forceProcessBacklog } from '../entities/index.js';
import { householdInstance } from '../submissions/householdInstance.test-support.js';
import { templateFormVersion } from '../templateFormVersion.test-support.js';
import { seedBayanzurkh, visitInstance as visit } from './bayanzurkh.test-support.js';

const clock = { now: () => new Date() };
const password = 'correct horse battery';

// --- the forms a field worker fills, as the device would save them ---

interface Device {
  name: string;
  deviceId: string;
  token: string;
  nextSeq: number;
  cursors: Record<string, number>;
  /** The device's copy: id -> [version, properties]. */
  replica: Map<string, { version: number; scope: string; properties: Record<string, unknown> }>;
}

let dir: string;
let store: Store;
let app: FastifyInstance;
let projectId: string;
const users: Record<string, string> = {};
const areaIds: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-sync-'));
  store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
  await migrate(store);
  // bolor and dulmaa work khoroo 1, chuluun khoroo 2; sarnai supervises the district.
  const seeded = await seedBayanzurkh(
    store,
    [
      ['bolor', 'fieldworker', 'MN111051'],
      ['dulmaa', 'fieldworker', 'MN111051'],
      ['chuluun', 'fieldworker', 'MN111052'],
      ['sarnai', 'supervisor', 'MN1110'],
      ['enkh', 'fieldworker', 'MN111051'],
      ['ganbat', 'analyst', 'MN1110'],
    ],
    { password, projectName: 'Bayanzürkh social protection' },
  );
  projectId = seeded.projectId;
  Object.assign(areaIds, seeded.areaIds);
  Object.assign(users, seeded.users);
  app = await buildApp({ store, settings: { ...defaultSettings, loginRateLimitPerMinute: 1000 } });
}, 60_000);

afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function device(username: string, name = `${username}-tablet`): Promise<Device> {
  const userId = users[username];
  if (userId === undefined) throw new Error(username);
  const { deviceId, token } = await registerDevice({ userId, name }, clock, store);
  return { name, deviceId, token, nextSeq: 1, cursors: {}, replica: new Map() };
}

interface Outgoing {
  seq: number;
  instanceId: string;
  xml: string;
  formId: string;
  extra?: Record<string, unknown>;
}

/** Saves a form into the device's outbox: the next device sequence number. */
function save(d: Device, xml: string): Outgoing {
  const instanceId = /<instanceID>([^<]+)<\/instanceID>/.exec(xml)?.[1] ?? '';
  const formId = /id="(mn_[a-z_]+)"/.exec(xml)?.[1] ?? '';
  return { seq: d.nextSeq++, instanceId, xml, formId };
}

function pushBody(d: Device, items: readonly Outgoing[]) {
  return {
    protocol: PROTOCOL_VERSION,
    deviceId: d.deviceId,
    fromSeq: items[0]?.seq ?? 1,
    throughSeq: items[items.length - 1]?.seq ?? 1,
    items: items.map((i) => ({
      seq: i.seq,
      instanceId: i.instanceId,
      projectId,
      formId: i.formId,
      formVersion: templateFormVersion(i.formId),
      xml: i.xml,
      createdAt: '2026-03-05T10:15:00.000+08:00',
      attachments: [],
      ...i.extra,
    })),
  };
}

async function push(d: Device, items: readonly Outgoing[]): Promise<PushResult> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/sync/push',
    headers: { authorization: `Bearer ${d.token}` },
    payload: pushBody(d, items),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<PushResult>();
}

/** Every commit counter is the highest sequence number its table holds: none was handed out and lost. */
async function expectCountersAtTheirHighestSeq(): Promise<void> {
  const counter = async (name: string) =>
    Number(
      (await store.db.selectFrom('counters').select('value').where('name', '=', name).executeTakeFirst())?.value ?? 0,
    );
  const highest = async (table: 'submissions' | 'entities' | 'audit_events') =>
    Number(
      (
        await store.db
          .selectFrom(table)
          .select((eb) => eb.fn.max('seq').as('max'))
          .executeTakeFirst()
      )?.max ?? 0,
    );
  expect(await counter('submissions')).toBe(await highest('submissions'));
  expect(await counter('entities')).toBe(await highest('entities'));
  expect(await counter('audit_events')).toBe(await highest('audit_events'));
}

function pullRequest(d: Device, maxBytes = 256 * 1024) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/sync/pull',
    headers: { authorization: `Bearer ${d.token}` },
    payload: { protocol: PROTOCOL_VERSION, deviceId: d.deviceId, cursors: d.cursors, maxBytes },
  });
}

/** Applies one page the way the device does: records, evictions and cursors together. */
function apply(d: Device, page: PullPage): void {
  for (const [id, , scope, version, , properties] of pulledRecords(page))
    d.replica.set(id, { version, scope, properties });
  for (const e of page.evictions) d.replica.delete(e.id);
  // Scopes no longer listed are forgotten together with what was filed under them.
  for (const [id, held] of d.replica) if (!page.scopes.includes(held.scope)) d.replica.delete(id);
  d.cursors = { ...page.cursors };
}

/** Pulls until nothing is left; returns the pages. */
async function pullAll(d: Device, maxBytes = 256 * 1024): Promise<PullPage[]> {
  const pages: PullPage[] = [];
  for (let i = 0; i < 1000; i++) {
    const res = await pullRequest(d, maxBytes);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json<PullPage>();
    pages.push(page);
    apply(d, page);
    if (!page.hasMore) return pages;
  }
  throw new Error('pull never finished');
}

async function registered(d: Device, bag = 'MN111051'): Promise<string> {
  const entityId = randomUUID();
  const [result] = (await push(d, [save(d, householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId, bag }))]))
    .results;
  expect(result?.outcome).toBe('accepted');
  return entityId;
}

function problemOf(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json<{ code: string; wipe?: { reason: string; issuedAt: string } }>();
  expect(body.code).toBe(code);
  return body;
}

describe('push', () => {
  it('gives the same state and acknowledgements when the same batch arrives three times (R7)', async () => {
    const d = await device('bolor', 'bolor-r7');
    const e1 = randomUUID();
    const e2 = randomUUID();
    const items = [
      save(d, householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId: e1 })),
      save(d, householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId: e2 })),
      save(d, visit({ instanceId: `uuid:${randomUUID()}`, entityId: e1, baseVersion: 1, needs: 'cash' })),
    ];
    const first = await push(d, items);
    expect(first.ackedThrough).toBe(items[2]?.seq);
    expect(first.results.map((r) => r.outcome)).toEqual(['accepted', 'accepted', 'accepted']);
    const state = async () => [await findEntity(e1, store), await findEntity(e2, store)];
    const after = await state();
    for (let i = 0; i < 2; i++) {
      const again = await push(d, items);
      expect(again.ackedThrough).toBe(first.ackedThrough);
      expect(again.results.map((r) => [r.seq, r.instanceId, r.outcome])).toEqual(
        items.map((item) => [item.seq, item.instanceId, 'duplicate']),
      );
      expect(await state()).toEqual(after);
    }
    expect(after[0]).toMatchObject({ version: 2, properties: expect.objectContaining({ needs: 'cash' }) });
  }, 60_000);

  it('reports one bad item and stores the rest of the batch (R10)', async () => {
    const d = await device('bolor', 'bolor-r10');
    const good = randomUUID();
    const also = randomUUID();
    const items = [
      save(d, householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId: good })),
      save(d, householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId: randomUUID(), register: 'AB12' })),
      save(d, householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId: also })),
    ];
    const result = await push(d, items);
    expect(result.ackedThrough).toBe(items[2]?.seq);
    expect(result.results).toEqual([
      expect.objectContaining({ outcome: 'accepted' }),
      expect.objectContaining({
        outcome: 'rejected',
        code: 'submission.invalid',
        field: '/data/head/head_register_number',
      }),
      expect.objectContaining({ outcome: 'accepted' }),
    ]);
    expect(await findEntity(also, store)).toBeDefined();
  }, 60_000);

  it('acknowledges an item only once it is committed: a failure inside its transaction leaves it unacknowledged', async () => {
    const d = await device('bolor', 'bolor-fault');
    const doomed = `uuid:${randomUUID()}`;
    const items = [
      save(d, householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId: randomUUID() })),
      save(d, householdInstance({ instanceId: doomed, entityId: randomUUID() })),
      save(d, householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId: randomUUID() })),
    ];
    // The disk fails for exactly that row, after the transaction has begun.
    await sql`create trigger fail_one before insert on submissions when new.instance_id = ${sql.lit(doomed)}
      begin select raise(abort, 'injected fault'); end`.execute(store.db);
    try {
      const result = await push(d, items);
      expect(result.ackedThrough).toBe(items[0]?.seq);
      expect(result.results).toEqual([expect.objectContaining({ seq: items[0]?.seq, outcome: 'accepted' })]);
      const stored = await store.db
        .selectFrom('submissions')
        .select('instance_id')
        .where('instance_id', '=', doomed)
        .execute();
      expect(stored).toEqual([]);
    } finally {
      await sql`drop trigger fail_one`.execute(store.db);
    }
    const retry = await push(d, items);
    expect(retry.ackedThrough).toBe(items[2]?.seq);
    expect(retry.results.map((r) => r.outcome)).toEqual(['duplicate', 'accepted', 'duplicate']);
  }, 60_000);

  it('leaves no gap in sequences and keeps the audit chain whole when an item of a batch fails after taking them', async () => {
    const d = await device('bolor', 'bolor-seq-fault');
    const doomedEntity = randomUUID();
    const items = [
      save(d, householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId: randomUUID() })),
      save(d, householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId: doomedEntity })),
      save(d, householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId: randomUUID() })),
    ];
    // The second item has taken its submission sequence number when its case fails to be written:
    // the item is rolled back, and the third (stored, not acknowledged) takes the number it had.
    await sql`create trigger fail_entity before insert on entities when new.id = ${sql.lit(doomedEntity)}
      begin select raise(abort, 'injected fault'); end`.execute(store.db);
    try {
      const result = await push(d, items);
      expect(result.results.map((r) => r.outcome)).toEqual(['accepted']);
    } finally {
      await sql`drop trigger fail_entity`.execute(store.db);
    }
    const seqOf = async (instanceId: string) =>
      (
        await store.db
          .selectFrom('submissions')
          .select('seq')
          .where('instance_id', '=', instanceId)
          .executeTakeFirstOrThrow()
      ).seq;
    const [first, , third] = items;
    expect(Number(await seqOf(third?.instanceId ?? ''))).toBe(Number(await seqOf(first?.instanceId ?? '')) + 1);
    await expectCountersAtTheirHighestSeq();
    expect(await verifyAuditChain(store)).toMatchObject({ ok: true });
    const retry = await push(d, items);
    expect(retry.results.map((r) => r.outcome)).toEqual(['duplicate', 'accepted', 'duplicate']);
    await expectCountersAtTheirHighestSeq();
    expect(await verifyAuditChain(store)).toMatchObject({ ok: true });
  }, 60_000);

  it('stores nothing of a batch whose audit events cannot be written, and all of it when pushed again', async () => {
    const d = await device('bolor', 'bolor-audit-fault');
    const doomed = `uuid:${randomUUID()}`;
    const items = [
      save(d, householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId: randomUUID() })),
      save(d, householdInstance({ instanceId: doomed, entityId: randomUUID() })),
      save(d, householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId: randomUUID() })),
    ];
    // A batch's audit events are written together before its commit: when that fails, the whole
    // batch is rolled back and nothing of it is acknowledged.
    await sql`create trigger fail_audit before insert on audit_events when new.subject = ${sql.lit(doomed)}
      begin select raise(abort, 'injected fault'); end`.execute(store.db);
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/sync/push',
        headers: { authorization: `Bearer ${d.token}` },
        payload: pushBody(d, items),
      });
      expect(res.statusCode).toBe(500);
      const stored = await store.db
        .selectFrom('submissions')
        .select('instance_id')
        .where(
          'instance_id',
          'in',
          items.map((i) => i.instanceId),
        )
        .execute();
      expect(stored).toEqual([]);
    } finally {
      await sql`drop trigger fail_audit`.execute(store.db);
    }
    await expectCountersAtTheirHighestSeq();
    expect(await verifyAuditChain(store)).toMatchObject({ ok: true });
    const retry = await push(d, items);
    expect(retry.results.map((r) => r.outcome)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(await verifyAuditChain(store)).toMatchObject({ ok: true });
  }, 60_000);

  it('accepts a gzip body and refuses one that inflates past the limit before parsing it', async () => {
    const d = await device('bolor', 'bolor-gzip');
    const item = save(d, householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId: randomUUID() }));
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/sync/push',
      headers: { authorization: `Bearer ${d.token}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: gzipSync(JSON.stringify(pushBody(d, [item]))),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<PushResult>().results[0]?.outcome).toBe('accepted');
    const bomb = gzipSync(Buffer.alloc(40 * 1024 * 1024, 0x20));
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/sync/push',
      headers: { authorization: `Bearer ${d.token}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: bomb,
    });
    problemOf(refused, 413, 'request.too-large');
  }, 60_000);

  it('rejects an item that sets an assignee or area, or an unknown member, and stores the others (S3)', async () => {
    const d = await device('bolor', 'bolor-s3');
    const caseId = await registered(d);
    const items = [
      save(
        d,
        visit({
          instanceId: `uuid:${randomUUID()}`,
          entityId: caseId,
          baseVersion: 1,
          needs: 'food',
          extra: ` assignee="${users['bolor'] ?? ''}"`,
        }),
      ),
      {
        ...save(d, visit({ instanceId: `uuid:${randomUUID()}`, entityId: caseId, baseVersion: 1, needs: 'food' })),
        extra: { areaId: areaIds['MN111052'] },
      },
      save(d, visit({ instanceId: `uuid:${randomUUID()}`, entityId: caseId, baseVersion: 1, needs: 'cash' })),
    ];
    const result = await push(d, items);
    expect(result.results).toEqual([
      expect.objectContaining({
        outcome: 'rejected',
        code: 'sync.field-not-allowed',
        field: '/data/meta/entity/@assignee',
      }),
      expect.objectContaining({
        outcome: 'rejected',
        code: 'sync.field-not-allowed',
        field: expect.stringContaining('/items/1'),
      }),
      expect.objectContaining({ outcome: 'accepted' }),
    ]);
    expect(await findEntity(caseId, store)).toMatchObject({
      version: 2,
      assignee_id: null,
      area_id: areaIds['MN111051'],
    });
  }, 60_000);

  it('refuses a device token that names another device, and an unknown protocol version', async () => {
    const d = await device('bolor', 'bolor-mismatch');
    const item = save(d, householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId: randomUUID() }));
    const wrongDevice = await app.inject({
      method: 'POST',
      url: '/api/v1/sync/push',
      headers: { authorization: `Bearer ${d.token}` },
      payload: { ...pushBody(d, [item]), deviceId: 'someone-else' },
    });
    problemOf(wrongDevice, 403, 'sync.device-mismatch');
    const future = await app.inject({
      method: 'POST',
      url: '/api/v1/sync/pull',
      headers: { authorization: `Bearer ${d.token}` },
      payload: { protocol: PROTOCOL_VERSION + 1, deviceId: d.deviceId, cursors: {}, maxBytes: 65536 },
    });
    problemOf(future, 400, 'sync.protocol-unsupported');
  });
});

describe('pull', () => {
  it('pages by bytes and resumes from cursors that cover exactly each page (R5)', async () => {
    const writer = await device('dulmaa', 'dulmaa-bulk');
    // Distinct long labels: a page dictionary-codes what repeats, so like records would all fit in one.
    const batch = Array.from({ length: 40 }, (_, i) =>
      save(
        writer,
        householdInstance({
          instanceId: `uuid:${randomUUID()}`,
          entityId: randomUUID(),
          label: `Өрх ${i} ${randomUUID().repeat(25)}`,
        }),
      ),
    );
    expect((await push(writer, batch)).ackedThrough).toBe(batch[39]?.seq);

    const reader = await device('dulmaa', 'dulmaa-reader');
    const maxBytes = 16 * 1024;
    const pages = await pullAll(reader, maxBytes);
    expect(pages.length).toBeGreaterThan(2);
    const seen = new Set<string>();
    let previous: Record<string, number> = {};
    for (const page of pages) {
      const json = JSON.stringify(page);
      expect(Buffer.byteLength(json)).toBeLessThanOrEqual(maxBytes);
      for (const [id, , scope, , seq] of pulledRecords(page)) {
        expect(seen.has(id)).toBe(false);
        seen.add(id);
        // Each record lies after the cursor the device sent and within the cursor it got back.
        expect(seq).toBeGreaterThan(previous[scope] ?? 0);
        expect(seq).toBeLessThanOrEqual(page.cursors[scope] ?? 0);
      }
      previous = page.cursors;
    }
    // Everything of khoroo 1 arrived, nothing else, and the last page says so.
    const expected = await store.db
      .selectFrom('entities')
      .select('id')
      .where('area_id', '=', areaIds['MN111051'] ?? '')
      .where('deleted_at', 'is', null)
      .execute();
    expect(new Set(seen)).toEqual(new Set(expected.map((e) => e.id)));
    expect(pages[pages.length - 1]).toMatchObject({ hasMore: false, remaining: 0 });

    // Nothing to do is one request: an empty page that says so.
    const idle = await pullRequest(reader, maxBytes);
    expect(idle.json<PullPage>()).toMatchObject({ groups: [], evictions: [], hasMore: false });
  }, 120_000);

  it('never sends another area’s records, whatever cursors or ids the device makes up (S1)', async () => {
    const bolor = await device('bolor', 'bolor-s1');
    const secret = await registered(bolor);
    const chuluun = await device('chuluun', 'chuluun-s1');
    const own = await registered(chuluun, 'MN111052');
    chuluun.cursors = { 'p.made-up.scope': 0, [`p.${projectId}.00000000.0all`]: 0 };
    await pullAll(chuluun);
    expect(chuluun.replica.has(secret)).toBe(false);
    expect(chuluun.replica.has(own)).toBe(true);
    expect(Object.keys(chuluun.cursors).every((s) => s.startsWith(`p.${projectId}.`) && !s.endsWith('0all'))).toBe(
      true,
    );
    // Writing to a case of khoroo 1 by its (guessed) id is refused and changes nothing.
    const [result] = (
      await push(chuluun, [
        save(chuluun, visit({ instanceId: `uuid:${randomUUID()}`, entityId: secret, baseVersion: 1, needs: 'cash' })),
      ])
    ).results;
    expect(result).toMatchObject({ outcome: 'rejected', code: 'sync.out-of-scope' });
    expect(await findEntity(secret, store)).toMatchObject({ version: 1 });
    // A project that is not theirs is refused exactly like one that does not exist.
    const stranger = save(chuluun, householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId: randomUUID() }));
    const body = pushBody(chuluun, [stranger]);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/sync/push',
      headers: { authorization: `Bearer ${chuluun.token}` },
      payload: { ...body, items: body.items.map((i) => ({ ...i, projectId: randomUUID() })) },
    });
    expect(res.json<PushResult>().results[0]).toMatchObject({ outcome: 'rejected', code: 'sync.out-of-scope' });
  }, 60_000);

  it('sends each role only the fields it may see (redacted by the policy)', async () => {
    const bolor = await device('bolor', 'bolor-redact');
    const caseId = await registered(bolor);
    await pullAll(bolor);
    const analyst = await device('ganbat');
    await pullAll(analyst);
    const full = bolor.replica.get(caseId)?.properties;
    const seen = analyst.replica.get(caseId)?.properties;
    expect(full).toMatchObject({ head_register_number: 'УК85032715', __label: 'Б. Болд' });
    expect(seen).toBeDefined();
    expect(seen?.['head_register_number']).toBeUndefined();
    expect(JSON.stringify(seen)).not.toContain('УК85032715');
  }, 60_000);

  it('evicts a case moved out of the worker’s area and gives it to the new area', async () => {
    const bolor = await device('bolor', 'bolor-evict');
    const chuluun = await device('chuluun', 'chuluun-evict');
    const moving = await registered(bolor);
    await pullAll(bolor);
    await pullAll(chuluun);
    expect(bolor.replica.has(moving)).toBe(true);
    expect(chuluun.replica.has(moving)).toBe(false);

    await updateEntity(moving, { areaId: areaIds['MN111052'] ?? null }, store);
    const pages = await pullAll(bolor);
    expect(pages.flatMap((p) => p.evictions)).toContainEqual({ id: moving, list: 'cases', reason: 'out-of-scope' });
    expect(bolor.replica.has(moving)).toBe(false);
    await pullAll(chuluun);
    expect(chuluun.replica.get(moving)?.version).toBe(2);

    await updateEntity(moving, { deletedAt: new Date().toISOString() }, store);
    const after = await pullAll(chuluun);
    expect(after.flatMap((p) => p.evictions)).toContainEqual({ id: moving, list: 'cases', reason: 'deleted' });
    expect(chuluun.replica.has(moving)).toBe(false);
    // bolor no longer had it and is not told about it again.
    expect((await pullAll(bolor)).flatMap((p) => p.evictions)).toEqual([]);
  }, 60_000);

  it('sends a case written again while a pull reads it in its new version, and nothing of the old one', async () => {
    const bolor = await device('bolor', 'bolor-rewritten');
    await pullAll(bolor);
    const [kept, edited, deleted] = [await registered(bolor), await registered(bolor), await registered(bolor)];
    const everything = { afterSeq: 0, throughSeq: Number.MAX_SAFE_INTEGER, limit: 100_000 };
    const heads = (await changedEntities(projectId, { kind: 'all' }, everything, store)).filter((head) =>
      [kept, edited, deleted].includes(head.id),
    );
    expect(heads.map((head) => head.id)).toEqual([kept, edited, deleted]);
    // Written between the pull's two reads: the heads name versions that are no longer there.
    await updateEntity(edited, { label: 'Б. Болд (renamed)' }, store);
    await updateEntity(deleted, { deletedAt: new Date().toISOString() }, store);
    const whole = await entityContents(heads, store);
    expect(whole.map((row) => row.id)).toEqual([kept]);
    expect(whole[0]).toMatchObject({ ...heads[0], status: 'open' });

    await pullAll(bolor);
    expect(bolor.replica.get(edited)).toMatchObject({ version: 2, properties: { __label: 'Б. Болд (renamed)' } });
    expect(bolor.replica.has(deleted)).toBe(false);
    expect(bolor.replica.get(kept)?.version).toBe(1);
  }, 60_000);

  it('tells a revoked device and a disabled account to wipe at their next contact (S6)', async () => {
    const lost = await device('bolor', 'bolor-lost');
    await revokeDevice(lost.deviceId, clock, store);
    for (const res of [
      await pullRequest(lost),
      await app.inject({
        method: 'POST',
        url: '/api/v1/sync/push',
        headers: { authorization: `Bearer ${lost.token}` },
        payload: pushBody(lost, [
          save(lost, householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId: randomUUID() })),
        ]),
      }),
    ]) {
      const body = problemOf(res, 401, 'auth.device-revoked');
      expect(body.wipe).toMatchObject({ reason: 'device-revoked' });
    }
    const leaver = await device('enkh', 'enkh-tablet');
    expect((await pullRequest(leaver)).statusCode).toBe(200);
    await setUserDisabled('enkh', true, null, clock, store);
    expect(problemOf(await pullRequest(leaver), 401, 'auth.account-disabled').wipe).toMatchObject({
      reason: 'user-disabled',
    });
    // Enabling the account again does not revive the old tablet: it still wipes (issue 9).
    await setUserDisabled('enkh', false, null, clock, store);
    expect(problemOf(await pullRequest(leaver), 401, 'auth.device-revoked').wipe).toMatchObject({
      reason: 'device-revoked',
    });
    // A tablet registered after the account came back syncs as usual.
    expect((await pullRequest(await device('enkh', 'enkh-new-tablet'))).statusCode).toBe(200);
    // A made-up token learns nothing: a plain 401 without a wipe.
    const guess = await app.inject({
      method: 'POST',
      url: '/api/v1/sync/pull',
      headers: { authorization: `Bearer ${'x'.repeat(43)}` },
      payload: {},
    });
    expect(problemOf(guess, 401, 'auth.required').wipe).toBeUndefined();
  }, 60_000);

  it('checks digests per scope: match, stale after a change, drift when the device holds something else', async () => {
    const d = await device('bolor', 'bolor-digest');
    await pullAll(d);
    const summaries = () =>
      Object.entries(d.cursors).map(([scope, cursor]) => {
        const held = [...d.replica].filter(([, r]) => r.scope === scope).map(([id, r]) => ({ id, version: r.version }));
        return { scope, cursor, ...scopeDigest(held) };
      });
    const digest = async (scopes: ReturnType<typeof summaries>) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/sync/digest',
        headers: { authorization: `Bearer ${d.token}` },
        payload: { protocol: PROTOCOL_VERSION, deviceId: d.deviceId, scopes },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<DigestResult>().scopes.map((s) => s.verdict);
    };
    expect(await digest(summaries())).toEqual(summaries().map(() => 'match'));
    const [first] = summaries();
    if (first === undefined) throw new Error('no scope');
    expect(await digest([{ ...first, count: first.count + 1 }])).toEqual(['drift']);
    expect(await digest([{ ...first, scope: 'p.nowhere' }])).toEqual(['unknown-scope']);
    await registered(await device('bolor', 'bolor-digest-2'));
    expect(await digest(summaries())).toContain('stale');
  }, 60_000);
});

describe('entities offline', () => {
  it('applies an update that arrived before its create once the create arrives', async () => {
    const d = await device('bolor', 'bolor-order');
    const caseId = randomUUID();
    const create = save(d, householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId: caseId }));
    const update = save(
      d,
      // Visited offline after it was registered offline: the visit is in the registration's branch.
      visit({
        instanceId: `uuid:${randomUUID()}`,
        entityId: caseId,
        baseVersion: 1,
        needs: 'cash',
        branchId: randomUUID(),
      }),
    );
    // The update's device was faster than the create's (two tablets, one household).
    const early = await push(d, [update]);
    expect(early.results[0]).toMatchObject({ outcome: 'parked', code: 'sync.entity-held' });
    expect(early.ackedThrough).toBe(update.seq);
    expect(await findEntity(caseId, store)).toBeUndefined();
    await push(d, [create]);
    expect(await findEntity(caseId, store)).toMatchObject({
      version: 2,
      conflict: null,
      properties: expect.objectContaining({ needs: 'cash' }),
    });
  }, 60_000);

  it('applies an offline branch in the order the device made it, whatever order it arrives in', async () => {
    const d = await device('bolor', 'bolor-branch');
    const caseId = await registered(d);
    const branchId = randomUUID();
    const v2 = save(
      d,
      visit({
        instanceId: `uuid:${randomUUID()}`,
        entityId: caseId,
        baseVersion: 1,
        trunkVersion: 1,
        branchId,
        needs: 'food',
      }),
    );
    const v3 = save(
      d,
      visit({
        instanceId: `uuid:${randomUUID()}`,
        entityId: caseId,
        baseVersion: 2,
        trunkVersion: 1,
        branchId,
        needs: 'cash',
        status: 'closed',
      }),
    );
    expect((await push(d, [v3])).results[0]).toMatchObject({ outcome: 'parked' });
    expect((await push(d, [v2])).results[0]).toMatchObject({ outcome: 'accepted' });
    expect(await findEntity(caseId, store)).toMatchObject({
      version: 3,
      conflict: null,
      properties: expect.objectContaining({ needs: 'cash', case_status: 'closed' }),
    });
  }, 60_000);

  it.each([
    ['in order', false],
    ['in reverse order', true],
  ])(
    'applies two offline visits of a synced case sent %s, without a conflict',
    async (_, reverse) => {
      const d = await device('bolor', `bolor-two-visits-${String(reverse)}`);
      const caseId = await registered(d);
      const synced = visit({ instanceId: `uuid:${randomUUID()}`, entityId: caseId, baseVersion: 1, needs: 'shelter' });
      expect((await push(d, [save(d, synced)])).results[0]).toMatchObject({ outcome: 'accepted' });
      // What the device sends for two visits made offline on version 2 (web store/offlineBranch.ts).
      const branchId = randomUUID();
      const edit = (baseVersion: number, needs: string, status: string) =>
        save(
          d,
          visit({
            instanceId: `uuid:${randomUUID()}`,
            entityId: caseId,
            baseVersion,
            trunkVersion: 2,
            branchId,
            needs,
            status,
          }),
        );
      const first = edit(2, 'food', 'in_progress');
      const second = edit(3, 'cash', 'closed');
      for (const item of reverse ? [second, first] : [first, second]) await push(d, [item]);
      expect(await findEntity(caseId, store)).toMatchObject({
        version: 4,
        conflict: null,
        properties: expect.objectContaining({ needs: 'cash', case_status: 'closed' }),
      });
      const versions = await attributedVersions(caseId, 3, store);
      expect(versions.map((v) => [v.submission_id, v.properties['needs'], v.conflict])).toEqual([
        [first.instanceId, 'food', null],
        [second.instanceId, 'cash', null],
      ]);
    },
    60_000,
  );

  it('forces a change that waited too long, flagged for review', async () => {
    const d = await device('bolor', 'bolor-force');
    const caseId = randomUUID();
    const orphan = save(
      d,
      visit({
        instanceId: `uuid:${randomUUID()}`,
        entityId: caseId,
        baseVersion: 1,
        needs: 'cash',
        branchId: randomUUID(),
      }),
    );
    expect((await push(d, [orphan])).results[0]).toMatchObject({ outcome: 'parked' });
    const applied = await forceProcessBacklog({ now: new Date(Date.now() + 6 * 24 * 3600 * 1000) }, store);
    expect(applied).toBeGreaterThanOrEqual(1);
    expect(await findEntity(caseId, store)).toMatchObject({
      version: 1,
      conflict: 'soft',
      properties: expect.objectContaining({ needs: 'cash' }),
    });
  }, 60_000);

  it('keeps both values of a property two devices changed, and a supervisor resolves it in the inbox', async () => {
    const first = await device('bolor', 'bolor-conflict');
    const second = await device('dulmaa', 'dulmaa-conflict');
    const caseId = await registered(first);
    await push(first, [
      save(first, visit({ instanceId: `uuid:${randomUUID()}`, entityId: caseId, baseVersion: 1, needs: 'cash' })),
    ]);
    await push(second, [
      save(second, visit({ instanceId: `uuid:${randomUUID()}`, entityId: caseId, baseVersion: 1, needs: 'shelter' })),
    ]);
    expect(await findEntity(caseId, store)).toMatchObject({ version: 3, conflict: 'hard' });

    const sarnai = await device('sarnai');
    const auth = { authorization: `Bearer ${sarnai.token}` };
    const inbox = await app.inject({ method: 'GET', url: `/api/v1/projects/${projectId}/conflicts`, headers: auth });
    expect(inbox.statusCode, inbox.body).toBe(200);
    const item = inbox
      .json<{
        items: Array<{
          entityId: string;
          version: number;
          properties: Array<{ name: string; values: Array<{ value: string }>; conflicting: boolean }>;
          versions: Array<{ by: { userId: string } | null; deviceId: string | null; madeAt: string | null }>;
        }>;
      }>()
      .items.find((i) => i.entityId === caseId);
    expect(item?.properties.find((p) => p.name === 'needs')).toMatchObject({
      conflicting: true,
      values: [expect.objectContaining({ value: 'cash' }), expect.objectContaining({ value: 'shelter' })],
    });
    expect(item?.versions.map((v) => [v.by?.userId, v.deviceId, v.madeAt])).toEqual([
      [users['bolor'], first.deviceId, '2026-03-05T10:15:00.000+08:00'],
      [users['dulmaa'], second.deviceId, '2026-03-05T10:15:00.000+08:00'],
    ]);

    // A field worker has no inbox; a stale choice is refused.
    const worker = await app.inject({
      method: 'GET',
      url: `/api/v1/projects/${projectId}/conflicts`,
      headers: { authorization: `Bearer ${first.token}` },
    });
    problemOf(worker, 403, 'auth.forbidden');
    const resolveUrl = `/api/v1/projects/${projectId}/conflicts/${caseId}/resolve`;
    problemOf(
      await app.inject({
        method: 'POST',
        url: resolveUrl,
        headers: auth,
        payload: { version: 2, values: { needs: 'cash' } },
      }),
      409,
      'conflict.stale',
    );

    const resolved = await app.inject({
      method: 'POST',
      url: resolveUrl,
      headers: auth,
      payload: { version: 3, values: { needs: 'cash' } },
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(await findEntity(caseId, store)).toMatchObject({
      version: 4,
      conflict: null,
      properties: expect.objectContaining({ needs: 'cash' }),
    });
    const events = await listAuditEvents(0, 10_000, store);
    expect(events.find((e) => e.action === 'entity.conflict-resolved' && e.subject === caseId)).toMatchObject({
      actor_id: users['sarnai'],
      details: expect.objectContaining({ fromVersion: 3, version: 4, chosen: ['needs'] }),
    });
    const after = await app.inject({ method: 'GET', url: `/api/v1/projects/${projectId}/conflicts`, headers: auth });
    expect(after.json<{ items: Array<{ entityId: string }> }>().items.map((i) => i.entityId)).not.toContain(caseId);
  }, 60_000);
});

describe('concurrency on SQLite (R12)', () => {
  it('loses no acknowledged update when devices push conflicting edits of one case at once', async () => {
    const devices = [
      await device('bolor', 'r12-a'),
      await device('dulmaa', 'r12-b'),
      await device('bolor', 'r12-c'),
      await device('dulmaa', 'r12-d'),
    ];
    const caseId = await registered(devices[0] as Device);
    const edits = devices.map((d, i) =>
      save(
        d,
        visit({
          instanceId: `uuid:${randomUUID()}`,
          entityId: caseId,
          baseVersion: 1,
          needs: ['cash', 'food'][i % 2] ?? 'food',
        }),
      ),
    );
    const results = await Promise.all(devices.map((d, i) => push(d, [edits[i] as Outgoing])));
    results.forEach((r, i) =>
      expect(r).toMatchObject({ ackedThrough: edits[i]?.seq, results: [{ outcome: 'accepted' }] }),
    );
    const versions = await attributedVersions(caseId, 1, store);
    for (const e of edits) expect(versions.map((v) => v.submission_id)).toContain(e.instanceId);
    expect(await findEntity(caseId, store)).toMatchObject({ version: edits.length + 1, conflict: 'hard' });
  }, 60_000);
});

describe('convergence (R8, server side)', () => {
  it('leaves every device with the server’s state after random edits, disconnects, restarts, reorders and duplicates', async () => {
    const devices = [await device('bolor', 'r8-a'), await device('dulmaa', 'r8-b'), await device('bolor', 'r8-c')];
    const cases = [await registered(devices[0] as Device), await registered(devices[1] as Device)];
    for (const d of devices) await pullAll(d);
    const needs = ['food', 'cash', 'shelter', 'health'];
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            device: fc.nat(2),
            entity: fc.nat(1),
            need: fc.nat(3),
            pullFirst: fc.boolean(),
            repeat: fc.boolean(),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.nat(1000),
        // Per device: after how many items a first push is cut (the answer lost: a disconnect), and
        // whether the device restarts having lost its copy, pulling everything again from nothing.
        fc.array(fc.record({ cut: fc.nat(4), restart: fc.boolean() }), { minLength: 3, maxLength: 3 }),
        async (edits, shuffleSeed, faults) => {
          const outboxes = devices.map(() => [] as Outgoing[]);
          for (const edit of edits) {
            const d = devices[edit.device] as Device;
            if (edit.pullFirst) await pullAll(d);
            const entityId = cases[edit.entity] as string;
            const base = d.replica.get(entityId)?.version ?? 1;
            const item = save(
              d,
              visit({
                instanceId: `uuid:${randomUUID()}`,
                entityId,
                baseVersion: base,
                needs: needs[edit.need] ?? 'food',
              }),
            );
            outboxes[edit.device]?.push(item);
            if (edit.repeat) outboxes[edit.device]?.push(item);
          }
          // Devices deliver in their own order (a retry repeats a batch); who goes first is random.
          const order = devices
            .map((_, i) => i)
            .sort((a, b) => ((a * 7919 + shuffleSeed) % 13) - ((b * 7919 + shuffleSeed) % 13));
          for (const i of order) {
            const d = devices[i] as Device;
            const unique = [...new Map((outboxes[i] ?? []).map((o) => [o.instanceId, o])).values()];
            if (unique.length === 0) continue;
            const fault = faults[i] ?? { cut: 0, restart: false };
            // Only a prefix reached the server before the link dropped; the device never saw the
            // answer, so it sends everything again, and once more as a duplicate.
            const prefix = unique.slice(0, Math.min(fault.cut, unique.length));
            if (prefix.length > 0) await push(d, prefix);
            await push(d, unique);
            await push(d, unique);
          }
          for (const [i, d] of devices.entries()) {
            if (faults[i]?.restart) {
              d.replica.clear();
              d.cursors = {};
            }
            await pullAll(d);
          }
          for (const entityId of cases) {
            const server = await findEntity(entityId, store);
            for (const d of devices) {
              expect(d.replica.has(entityId)).toBe(true);
              const held = d.replica.get(entityId);
              expect(held?.version).toBe(server?.version);
              expect(held?.properties['needs']).toBe(server?.properties['needs']);
              expect(held?.properties['__conflict']).toBe(server?.conflict);
            }
          }
        },
      ),
      { numRuns: 6, seed: 20261127 },
    );
  }, 180_000);
});

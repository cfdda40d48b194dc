import type { ProblemCode, PushItemResult, PushResult } from '@outpost/core';
import {
  PROTOCOL_VERSION,
  PushEnvelope,
  PushItem,
  checkPushSequence,
  decodeMessage,
  elementChildren,
  attribute,
  entityBlocks,
  normalEntityId,
  protocolLimits,
} from '@outpost/core';
import { checkInstance, prepareInstance } from '../submissions/prepareInstance.js';
import type { BatchReads, PreparedInstance } from '../submissions/prepareInstance.js';
import { receiveSubmission } from '../submissions/receiveSubmission.js';
import { appendAuditEvent } from '../storage/queries/audit.js';
import { entitiesWithBacklog, findDeviceAck, recordDeviceAck } from '../storage/queries/sync.js';
import { lockEntities } from '../storage/queries/locks.js';
import { storedInstanceIds } from '../storage/queries/submissions.js';
import { isFailedTransaction, isUniqueViolation, keepReads, withSavepoint } from '../storage/store.js';
import type { Store } from '../storage/store.js';
import { processEntityBacklog } from '../entities/index.js';
import type { SyncReach } from './syncReach.js';

export type DecodedPush =
  { ok: true; push: PushEnvelope } | { ok: false; code: ProblemCode; detail: string; field?: string };

/** Checks what must hold for the whole batch; items are checked one by one in pushBatch. */
export function decodePush(body: unknown): DecodedPush {
  const decoded = decodeMessage(PushEnvelope, body);
  if (!decoded.ok) return { ok: false, code: 'request.invalid', detail: decoded.message, field: decoded.path };
  // The schema leaves items open: each keeps what it was sent with, for its own decoding.
  const push = decoded.value as PushEnvelope;
  if (push.protocol !== PROTOCOL_VERSION) {
    return {
      ok: false,
      code: 'sync.protocol-unsupported',
      detail: `This server speaks sync protocol ${PROTOCOL_VERSION}; the app sent ${push.protocol}.`,
    };
  }
  const issue = checkPushSequence(push);
  if (issue !== null) return { ok: false, code: 'request.invalid', detail: `${issue.message}.`, field: issue.path };
  return { ok: true, push };
}

export interface PushContext {
  userId: string;
  deviceId: string | null;
  /** Where this device's acknowledged sequence is kept (see device_sync). */
  deviceKey: string;
  /** What the sender may reach; its `actor` is the sender as core/policy sees it, for every item. */
  reach: SyncReach;
  now: () => Date;
}

type ItemVerdict =
  | { kind: 'outcome'; result: PushItemResult; touched: string[] }
  /** A fault: nothing of the item is committed and nothing after it may be acknowledged. */
  | { kind: 'fault' };

type Verdicts = Array<{ seq: number; verdict: ItemVerdict }>;

/**
 * Stores a batch and answers only for what is committed: `ackedThrough` stops before the first
 * item that faulted, even though later items were still processed (they come back as duplicates
 * when pushed again). Idempotent by instanceId, so the same batch again gives the same state and
 * acknowledgements.
 */
export async function pushBatch(push: PushEnvelope, ctx: PushContext, store: Store): Promise<PushResult> {
  const previousAck = await findDeviceAck(ctx.deviceKey, store);
  const now = ctx.now();
  const ack = (ackedSeq: number, on: Store) =>
    recordDeviceAck({ deviceKey: ctx.deviceKey, userId: ctx.userId, ackedSeq, at: now.toISOString() }, on);
  const verdicts = await inOneTransaction(push, ctx, store, ack);

  // Changes that waited for what this batch brought are applied now, after their commits.
  const touched = new Set(verdicts.flatMap((v) => (v.verdict.kind === 'outcome' ? v.verdict.touched : [])));
  const waiting = await entitiesWithBacklog([...touched], store);
  for (const entityId of [...touched].filter((id) => waiting.has(id))) {
    await processEntityBacklog(entityId, { now: now.toISOString() }, store);
  }

  const { results, ackedThrough } = acknowledged(verdicts);
  if (previousAck > 0 && push.fromSeq > previousAck + 1) {
    // The device skipped sequence numbers: it may have lost outbox entries (reinstall, wipe).
    await appendAuditEvent(
      {
        actorId: ctx.userId,
        action: 'sync.sequence-gap',
        subject: `device:${ctx.deviceKey}`,
        details: { ackedSeq: previousAck, fromSeq: push.fromSeq },
        at: now.toISOString(),
      },
      store,
    );
  }
  return { ackedThrough, results };
}

/** The results up to the first fault, and the last sequence number they reach. */
function acknowledged(verdicts: Verdicts): { results: PushItemResult[]; ackedThrough: number } {
  const results: PushItemResult[] = [];
  let ackedThrough = 0;
  for (const { seq, verdict } of verdicts) {
    if (verdict.kind === 'fault') break;
    results.push(verdict.result);
    ackedThrough = seq;
  }
  return { results, ackedThrough };
}

/**
 * The batch is stored in one transaction, each item inside a savepoint that a rejection or a fault
 * rolls back alone, and the acknowledgement is written in it too: one commit (on SQLite one fsync)
 * per batch. The form checks (the ODK engine, most of the time an item takes) run first, outside
 * the transaction, so locks are held only for the writes. Items are still stored in order, each
 * seeing the ones before.
 *
 * On PostgreSQL, where other processes write at the same time, the transaction first locks every
 * case the batch's items name, in the one global order of lockEntities, before any other lock
 * (the commit counters, the audit chain, the device's row, all taken after by every writer). So
 * two batches that change the same cases in different orders wait for each other instead of
 * deadlocking.
 */
async function inOneTransaction(
  push: PushEnvelope,
  ctx: PushContext,
  store: Store,
  ack: (ackedSeq: number, tx: Store) => Promise<void>,
): Promise<Verdicts> {
  // Each item's XML is parsed here, once, for its form checks and everything after.
  const prepared = push.items.map((raw) => {
    const { projectId, xml } = raw as { projectId?: unknown; xml?: unknown };
    const project = typeof projectId === 'string' ? ctx.reach.projects.get(projectId) : undefined;
    const writable = project !== undefined && project.write.kind !== 'none';
    return writable && typeof xml === 'string' && typeof projectId === 'string'
      ? { projectId, instance: prepareInstance(xml) }
      : undefined;
  });
  // Which items are stored already, in one statement for the batch (a retry is not checked again).
  const instanceIds = prepared.flatMap((p) =>
    p?.instance.read.ok === true ? [p.instance.read.instance.instanceId] : [],
  );
  const batch: BatchReads = { stored: await storedInstanceIds(instanceIds, store), formVersions: new Map() };
  const checks: Array<PreparedInstance | undefined> = [];
  for (const item of prepared) {
    checks.push(
      item === undefined
        ? undefined
        : await checkInstance(item.projectId, item.instance, store, batch).catch(() => item.instance),
    );
  }
  return store.transaction(async (tx) => {
    await lockEntities(checks.flatMap(entityIdsOf), tx);
    // Forms, areas and lists are read once for the batch (items cannot change them).
    keepReads(tx);
    const verdicts: Verdicts = [];
    for (const [index, raw] of push.items.entries()) {
      const key = raw as { seq: number; instanceId: string };
      verdicts.push({ seq: key.seq, verdict: await storeItem(raw, index, ctx, tx, checks[index]) });
    }
    const { ackedThrough } = acknowledged(verdicts);
    if (ackedThrough > 0) await ack(ackedThrough, tx);
    return verdicts;
  });
}

/** Every case an instance's entity blocks name (more than it may change: locking one more is harmless). */
function entityIdsOf(prepared: PreparedInstance | undefined): string[] {
  if (prepared === undefined || !prepared.read.ok) return [];
  return entityBlocks(prepared.read.instance.root)
    .map(({ entity }) => normalEntityId(attribute(entity, 'id')))
    .filter((id) => id !== '');
}

/**
 * One item in its savepoint. A rejected item stores nothing, whatever it wrote before it was
 * refused (an entity change refused after its submission row was written). An item that lost a
 * race on PostgreSQL (the same instance stored by another request meanwhile: the insert fails and
 * the transaction is in error until the savepoint is rolled back) is tried once more, and is then
 * answered as the duplicate it is.
 */
async function storeItem(
  raw: unknown,
  index: number,
  ctx: PushContext,
  tx: Store,
  prepared: PreparedInstance | undefined,
): Promise<ItemVerdict> {
  const kept = (verdict: ItemVerdict) => !(verdict.kind === 'outcome' && verdict.result.outcome === 'rejected');
  for (let attempt = 1; ; attempt++) {
    try {
      return await withSavepoint(tx, () => pushItem(raw, index, ctx, tx, prepared), kept);
    } catch (err) {
      if (attempt > 1 || !(isUniqueViolation(err) || isFailedTransaction(err))) return { kind: 'fault' };
    }
  }
}

function rejected(
  key: { seq: number; instanceId: string },
  code: ProblemCode,
  detail: string,
  field?: string,
): ItemVerdict {
  return {
    kind: 'outcome',
    touched: [],
    result: {
      seq: key.seq,
      instanceId: key.instanceId,
      outcome: 'rejected',
      code,
      detail: detail.slice(0, protocolLimits.maxDetailLength),
      ...(field === undefined ? {} : { field: field.slice(0, 500) }),
    },
  };
}

const ENTITY_ATTRIBUTES = new Set(['dataset', 'id', 'create', 'update', 'baseVersion', 'trunkVersion', 'branchId']);

async function pushItem(
  raw: unknown,
  index: number,
  ctx: PushContext,
  store: Store,
  prepared?: PreparedInstance,
): Promise<ItemVerdict> {
  const key = raw as { seq: number; instanceId: string };
  const decoded = decodeMessage(PushItem, raw);
  if (!decoded.ok) {
    const unknownMember = /additional|unexpected/i.test(decoded.message);
    return rejected(
      key,
      unknownMember ? 'sync.field-not-allowed' : 'request.invalid',
      decoded.message,
      `/items/${index}${decoded.path}`,
    );
  }
  const item = decoded.value;
  // A project the user cannot write to answers the same whether or not it exists.
  const project = ctx.reach.projects.get(item.projectId);
  if (project === undefined || project.write.kind === 'none') {
    return rejected(key, 'sync.out-of-scope', 'You may not write to this project.');
  }
  const read = (prepared?.xml === item.xml ? prepared : (prepared = prepareInstance(item.xml))).read;
  if (!read.ok) return rejected(key, read.code, read.detail, read.field);
  const { instance } = read;
  if (
    instance.instanceId !== item.instanceId ||
    instance.formId !== item.formId ||
    instance.version !== item.formVersion
  ) {
    return rejected(
      key,
      'submission.invalid',
      'The instanceId, formId or formVersion of the item differs from the XML instance.',
      `/items/${index}`,
    );
  }
  // Every entity block (the survey's and one per repeat instance) is held to the same rules.
  for (const { entity, path } of entityBlocks(instance.root)) {
    const extra = entity.attributes.find((a) => a.namespace !== '' || !ENTITY_ATTRIBUTES.has(a.localName));
    const extraChild = elementChildren(entity).find((c) => c.localName !== 'label');
    if (extra !== undefined || extraChild !== undefined) {
      const name = extra !== undefined ? `@${extra.localName}` : (extraChild?.localName ?? '');
      return rejected(
        key,
        'sync.field-not-allowed',
        `The entity block may not set "${name}": owner, assignee, area and team are set by supervisors.`,
        `${path}/${name}`,
      );
    }
  }
  // Whether the case it changes is within the sender's reach is decided once, with the change
  // itself, by receiveSubmission (authorizeEntityChange), on this path as on the REST one.

  const result = await receiveSubmission(
    {
      projectId: item.projectId,
      xml: item.xml,
      userId: ctx.userId,
      deviceId: ctx.deviceId,
      policyActor: ctx.reach.actor,
      at: ctx.now().toISOString(),
    },
    store,
    prepared,
  );
  if (!result.ok) return rejected(key, result.code, result.detail, result.field);
  const outcomes = result.receipt.entities;
  const itemKey = { seq: item.seq, instanceId: item.instanceId };
  const touched = outcomes.flatMap((o) => (o.action === 'held' ? [] : [o.entityId]));
  const outcome = outcomes.find((o) => o.action === 'held');
  if (outcome !== undefined && outcome.action === 'held') {
    return {
      kind: 'outcome',
      touched,
      result: {
        ...itemKey,
        outcome: 'parked',
        code: 'sync.entity-held',
        detail: `The entity change waits (${outcome.reason}); it is applied when what it builds on arrives.`,
      },
    };
  }
  return {
    kind: 'outcome',
    touched,
    result: { ...itemKey, outcome: result.created ? 'accepted' : 'duplicate' },
  };
}

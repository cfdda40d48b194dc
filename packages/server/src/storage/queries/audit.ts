import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Selectable } from 'kysely';
import type { AuditEventsTable } from '../schema.js';
import {
  heldBackRows,
  holdsCounter,
  insertBeforeCommit,
  keepInTransaction,
  keptInTransaction,
  nextSeq,
  writeHeldBack,
} from '../store.js';
import type { Store } from '../store.js';
import { canonicalJson } from './canonicalJson.js';
import type { JsonValue } from './canonicalJson.js';

export type AuditDetails = { [key: string]: JsonValue };

export interface AuditEvent extends Omit<Selectable<AuditEventsTable>, 'details'> {
  details: AuditDetails;
}

export interface NewAuditEvent {
  actorId: string | null;
  action: string;
  subject: string | null;
  /** Never personal data: ids and codes only. */
  details: AuditDetails;
  at?: string;
}

export type AuditChainVerdict = { ok: true; count: number } | { ok: false; seq: number; reason: string };

/** prev_hash of the first event. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

// Arbitrary constant naming the audit chain's advisory lock ('outpost' in ASCII).
const AUDIT_LOCK_KEY = 0x6f7574706f7374;
const COUNTER = 'audit_events';
const TABLE = 'audit_events';
// The last event this transaction appended: under the locks above nobody else appends until it ends.
const TAIL = 'audit_events.tail';
const VERIFY_BATCH = 1000;

function hashOf(event: Omit<AuditEvent, 'hash'>): string {
  const canonical = canonicalJson([
    event.prev_hash,
    event.seq,
    event.at,
    event.actor_id,
    event.action,
    event.subject,
    event.details,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/**
 * Appends an event to the hash chain, inside the caller's transaction when there is one (so the
 * event commits or rolls back with the change it records). Appends are serialised: the counter
 * row lock and, on PostgreSQL, a transaction-scoped advisory lock (both taken by the first append
 * of a transaction) keep two appends from linking to the same predecessor. Within one transaction
 * the predecessor of the second and later events is the one it appended last (read once;
 * forgotten when a savepoint rolls back). Events are written with one insert before the commit
 * (`insertBeforeCommit`); the readers below write them first when they run in the transaction.
 */
export async function appendAuditEvent(input: NewAuditEvent, store: Store): Promise<AuditEvent> {
  return store.transaction(async (tx) => {
    if (tx.dialect === 'postgres' && !holdsCounter(COUNTER, tx)) {
      await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(tx.db);
    }
    const seq = await nextSeq(COUNTER, tx);
    const previous =
      heldBackRows<{ hash: string }>(TABLE, tx).at(-1) ??
      keptInTransaction<{ hash: string }>(tx, TAIL) ??
      (await tx.db.selectFrom('audit_events').select('hash').orderBy('seq', 'desc').limit(1).executeTakeFirst());
    const unhashed = {
      seq,
      at: input.at ?? new Date().toISOString(),
      actor_id: input.actorId,
      action: input.action,
      subject: input.subject,
      details: input.details,
      prev_hash: previous?.hash ?? AUDIT_GENESIS_HASH,
    };
    const event: AuditEvent = { ...unhashed, hash: hashOf(unhashed) };
    await insertBeforeCommit(TABLE, event, insertEvents, tx);
    keepInTransaction(tx, TAIL, { hash: event.hash });
    return event;
  });
}

async function insertEvents(events: AuditEvent[], store: Store): Promise<void> {
  await store.db
    .insertInto('audit_events')
    .values(events.map((event) => ({ ...event, details: canonicalJson(event.details) })))
    .execute();
}

/** Audit events in order, from `afterSeq` (exclusive), at most `limit` (clamped to 1..500). */
export async function listAuditEvents(afterSeq: number, limit: number, store: Store): Promise<AuditEvent[]> {
  await writeHeldBack(store);
  const rows = await store.db
    .selectFrom('audit_events')
    .selectAll()
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(Math.min(500, Math.max(1, Math.trunc(limit) || 1)))
    .execute();
  return rows.map((row) => ({ ...row, details: JSON.parse(row.details) as AuditDetails }));
}

/**
 * The latest event of one actor among the last `window` events of the whole log (most recent
 * activity only: an actor who was quiet for longer has none), or undefined.
 */
export async function latestRecentAuditEventOf(
  actorId: string,
  window: number,
  store: Store,
): Promise<AuditEvent | undefined> {
  await writeHeldBack(store);
  const rows = await store.db.selectFrom('audit_events').selectAll().orderBy('seq', 'desc').limit(window).execute();
  const row = rows.find((r) => r.actor_id === actorId);
  return row === undefined ? undefined : { ...row, details: JSON.parse(row.details) as AuditDetails };
}

/**
 * The administrator's view: newest first, events below `before` (all when absent), optionally only
 * one action (`case.list`) or one family of actions (`auth.` ends with a dot).
 */
export async function listAuditEventsNewestFirst(
  query: { before?: number | undefined; action?: string | undefined; limit: number },
  store: Store,
): Promise<AuditEvent[]> {
  await writeHeldBack(store);
  let select = store.db.selectFrom('audit_events').selectAll();
  if (query.before !== undefined) select = select.where('seq', '<', query.before);
  const action = query.action;
  if (action !== undefined && action.endsWith('.')) select = select.where('action', 'like', `${action}%`);
  else if (action !== undefined) select = select.where('action', '=', action);
  const rows = await select
    .orderBy('seq', 'desc')
    .limit(Math.min(500, Math.max(1, Math.trunc(query.limit) || 1)))
    .execute();
  return rows.map((row) => ({ ...row, details: JSON.parse(row.details) as AuditDetails }));
}

/**
 * Re-computes the chain from the first event. Finds an altered event (its hash no longer matches),
 * a removed one (a gap in the sequence, or fewer events than the counter handed out) and reordered
 * ones (the sequence number is part of each hash, and each event names its predecessor's hash).
 */
export async function verifyAuditChain(store: Store): Promise<AuditChainVerdict> {
  await writeHeldBack(store);
  // Read the counter first: events appended while we verify can then only add to what we read.
  const counter = await store.db.selectFrom('counters').select('value').where('name', '=', COUNTER).executeTakeFirst();
  const handedOut = counter === undefined ? 0 : Number(counter.value);
  let expectedSeq = 1;
  let prevHash = AUDIT_GENESIS_HASH;
  for (;;) {
    const rows = await store.db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(VERIFY_BATCH)
      .execute();
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) return { ok: false, seq: expectedSeq, reason: `event ${expectedSeq} is missing` };
      if (row.prev_hash !== prevHash) {
        return { ok: false, seq, reason: `event ${seq} does not link to the event before it` };
      }
      let details: AuditDetails;
      try {
        details = JSON.parse(row.details) as AuditDetails;
      } catch {
        return { ok: false, seq, reason: `event ${seq} was altered: its details are not JSON` };
      }
      if (hashOf({ ...row, seq, details }) !== row.hash) {
        return { ok: false, seq, reason: `event ${seq} was altered: its hash does not match its contents` };
      }
      prevHash = row.hash;
      expectedSeq += 1;
    }
    if (rows.length < VERIFY_BATCH) break;
  }
  const count = expectedSeq - 1;
  if (handedOut > count) {
    return { ok: false, seq: count + 1, reason: `events ${count + 1} to ${handedOut} are missing` };
  }
  return { ok: true, count };
}

import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { insideSavepoint, isTransaction } from '../store.js';
import type { Store } from '../store.js';

/** The entity locks each open transaction holds outside any savepoint (by its connection). */
const locksHeld = new WeakMap<object, Set<bigint>>();

function heldLocks(tx: Store): Set<bigint> | undefined {
  if (!isTransaction(tx)) return undefined;
  let held = locksHeld.get(tx.db);
  if (held === undefined) locksHeld.set(tx.db, (held = new Set()));
  return held;
}

/**
 * The key of an entity's transaction-scoped advisory lock on PostgreSQL (the first 8 bytes of the
 * SHA-256 of its id): taken before the entity exists, so two creates of one id wait for each other.
 */
export function entityLockKey(entityId: string): bigint {
  return createHash('sha256').update(entityId).digest().readBigInt64BE(0);
}

/**
 * Serialises changes to these entities across server processes until the transaction ends
 * (PostgreSQL; SQLite has one writer and needs none). The locks are taken in one statement in the
 * order of their keys, the one global order every writer follows, so two transactions that lock
 * overlapping sets never wait for each other in a cycle. Take them before any other lock the
 * transaction needs (counters, the audit chain); locking an entity again in the same transaction
 * returns at once.
 */
export async function lockEntities(entityIds: Iterable<string>, tx: Store): Promise<void> {
  if (tx.dialect !== 'postgres') return;
  const held = heldLocks(tx);
  const keys = [...new Set([...entityIds].map((id) => entityLockKey(id)))]
    .filter((key) => held?.has(key) !== true)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (keys.length === 0) return;
  if (keys.length === 1) {
    await sql`select pg_advisory_xact_lock(${String(keys[0])}::bigint)`.execute(tx.db);
  } else {
    // `with ordinality … order by` keeps the locks in the order given, one round trip for all.
    await sql`select pg_advisory_xact_lock(k.key) from unnest(${keys.map(String)}::bigint[]) with ordinality as k(key, n) order by k.n`.execute(
      tx.db,
    );
  }
  // Kept only outside savepoints: a rollback to a savepoint releases the locks taken after it.
  if (held !== undefined && !insideSavepoint(tx)) for (const key of keys) held.add(key);
}

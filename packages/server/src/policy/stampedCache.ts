import { accessStamp } from '../storage/queries/accessStamp.js';
import { cacheScopeOf, isTransaction, keepInTransaction, keptInTransaction } from '../storage/store.js';
import type { Store } from '../storage/store.js';

// Each value kept by a cache below, with the stamp it was built at (a value is built once).
const keptAt = new WeakMap<object, number>();

/**
 * The access stamp `value` (e.g. a policy actor) was kept at, when a cache below keeps it: a
 * request that got it read that stamp, so what else it builds may use the same without reading
 * it again.
 */
export function stampOf(value: object): number | undefined {
  return keptAt.get(value);
}

/**
 * Values built from what access is built from (memberships, roles, areas, policy settings, form
 * versions), kept per process and per store by the access stamp read from the database on every
 * call: a write committed by any process changes the stamp, so the next call anywhere builds
 * afresh. What a transaction builds is kept for the rest of it only (its stamp may count its own
 * writes, which a rollback undoes); the most recently used `entries` per store stay.
 */
export class StampedCache<V> {
  private readonly scopes = new WeakMap<object, Map<string, { stamp: number; value: V }>>();

  /** `name` tells this cache's values apart from others' kept in a transaction. */
  constructor(
    private readonly name: string,
    private readonly entries: number,
  ) {}

  /** `stamp`: one this request read already (see `stampOf`); read afresh when absent. */
  async get(key: string, store: Store, build: () => Promise<V>, known?: number): Promise<V> {
    // Read first: what `build` reads afterwards is at least as new as the stamp it is kept by.
    const stamp = known ?? (await accessStamp(store));
    if (stamp === null) return build();
    let kept = this.scopes.get(cacheScopeOf(store));
    const hit = kept?.get(key);
    if (hit !== undefined && hit.stamp === stamp) {
      kept?.delete(key);
      kept?.set(key, hit);
      return hit.value;
    }
    const inTransaction = `${this.name}|${key}|${stamp}`;
    const built = keptInTransaction<V>(store, inTransaction);
    if (built !== undefined) return built;
    const value = await build();
    if (isTransaction(store)) {
      keepInTransaction(store, inTransaction, value);
      return value;
    }
    if (kept === undefined) {
      kept = new Map();
      this.scopes.set(cacheScopeOf(store), kept);
    }
    kept.delete(key);
    kept.set(key, { stamp, value });
    if (typeof value === 'object' && value !== null) keptAt.set(value, stamp);
    while (kept.size > this.entries) {
      const oldest = kept.keys().next().value;
      if (oldest === undefined) break;
      kept.delete(oldest);
    }
    return value;
  }
}

import type { LocalStore, RowOf, StoreName, StoreTransaction } from './LocalStore.js';

/**
 * Wraps a LocalStore so that the device "runs out of space" after `capacity` more rows are
 * written: the write that crosses the line stores part of its rows, then throws the browser's
 * QuotaExceededError mid-transaction. For testing R4; the wrapped store does the real work.
 */
export function createFullStore(inner: LocalStore, capacity: number): LocalStore {
  let written = 0;
  const wrap = (tx: StoreTransaction): StoreTransaction => ({
    get: (store, key) => tx.get(store, key),
    getMany: (store, keys) => tx.getMany(store, keys),
    delete: (store, keys) => tx.delete(store, keys),
    clear: (store) => tx.clear(store),
    count: (store, query) => tx.count(store, query),
    list: (store, query) => tx.list(store, query),
    iterate: (store, query, visit) => tx.iterate(store, query, visit),
    async put<S extends StoreName>(store: S, rows: readonly RowOf<S>[]): Promise<void> {
      const room = capacity - written;
      if (rows.length <= room) {
        written += rows.length;
        return tx.put(store, rows);
      }
      await tx.put(store, rows.slice(0, Math.max(room, 0)));
      written = capacity;
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    },
  });
  return {
    name: inner.name,
    transaction: (mode, stores, body) => inner.transaction(mode, stores, (tx) => body(wrap(tx))),
    close: () => inner.close(),
    destroy: () => inner.destroy(),
  };
}

import type { RowOf, StoreName, StoreTransaction, TransactionMode } from './LocalStore.js';

/**
 * The device change stamp of records. Every row put into `records` gets a `rev` higher than any
 * given before on this device (the highest is kept in `meta` under this key, so removing the row
 * that held it never lets a stamp be given twice). A reader that has seen every row up to stamp R
 * reads back only `rev > R`, and compares counts to notice rows removed since.
 */
export const recordsRevKey = 'store.records.rev';

/** The stores a transaction must hold: writing records also writes the stamp in meta. */
export function stampScope(mode: TransactionMode, stores: readonly StoreName[]): StoreName[] {
  return mode === 'readwrite' && stores.includes('records') && !stores.includes('meta')
    ? [...stores, 'meta']
    : [...stores];
}

/** The highest stamp given so far, as kept in meta (0 on a new device). */
export function stampOf(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0;
}

/**
 * Wraps an adapter's transaction so that `put('records', …)` stamps each row. The rows' own `rev`
 * (a copy of an older row's) is replaced: the stamp belongs to the store, not to the caller.
 * Both adapters use it, so no writer can forget it.
 */
export function stampingTransaction(tx: StoreTransaction): StoreTransaction {
  let last = 0;
  let loaded: Promise<void> | undefined;
  return {
    get: (store, key) => tx.get(store, key),
    getMany: (store, keys) => tx.getMany(store, keys),
    delete: (store, keys) => tx.delete(store, keys),
    clear: (store) => tx.clear(store),
    count: (store, query) => tx.count(store, query),
    list: (store, query) => tx.list(store, query),
    iterate: (store, query, visit) => tx.iterate(store, query, visit),
    async put<S extends StoreName>(store: S, rows: readonly RowOf<S>[]): Promise<void> {
      if (store !== 'records' || rows.length === 0) return tx.put(store, rows);
      // The highest of meta's stamp and the index's: meta cleared by mistake must not restart the count.
      loaded ??= Promise.all([
        tx.get('meta', recordsRevKey),
        tx.list('records', { index: 'rev', reverse: true, limit: 1 }),
      ]).then(([kept, [newest]]) => {
        last = Math.max(stampOf(kept?.value), stampOf(newest?.rev));
      });
      await loaded;
      // From here to the two calls below nothing awaits: two puts in one transaction never share a stamp.
      const first = last + 1;
      last += rows.length;
      const stamped = rows.map((row, index) => ({ ...row, rev: first + index }));
      await Promise.all([tx.put(store, stamped), tx.put('meta', [{ key: recordsRevKey, value: last }])]);
    },
  };
}

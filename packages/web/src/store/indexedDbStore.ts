import { Dexie } from 'dexie';
import type { Collection, IndexableType, Table, Transaction } from 'dexie';
import type {
  IndexKey,
  KeyOf,
  ListQuery,
  LocalStore,
  RangeQuery,
  RowOf,
  StoreName,
  StoreTransaction,
  TransactionMode,
} from './LocalStore.js';
import { localStoreSchema, storeNames } from './localStoreSchema.js';

type AnyTable = Table<unknown, IndexableType>;
type AnyCollection = Collection<unknown, IndexableType>;

function dexieSchema(): Record<string, string> {
  return Object.fromEntries(
    storeNames.map((store) => {
      const { key, indexes } = localStoreSchema.stores[store];
      return [store, [key, ...indexes].join(', ')];
    }),
  );
}

function collection(table: AnyTable, query: ListQuery<StoreName>): AnyCollection {
  const index = query.index ?? ':id';
  const where = () => table.where(index);
  const key = (value: IndexKey) => value as IndexableType;
  let selected: AnyCollection;
  if (query.equals !== undefined) {
    selected = where().equals(key(query.equals));
  } else if (query.lower !== undefined && query.upper !== undefined) {
    selected = where().between(key(query.lower), key(query.upper), query.lowerOpen !== true, query.upperOpen !== true);
  } else if (query.lower !== undefined) {
    selected = query.lowerOpen === true ? where().above(key(query.lower)) : where().aboveOrEqual(key(query.lower));
  } else if (query.upper !== undefined) {
    selected = query.upperOpen === true ? where().below(key(query.upper)) : where().belowOrEqual(key(query.upper));
  } else {
    selected = query.index === undefined ? table.toCollection() : table.orderBy(query.index);
  }
  if (query.reverse === true) selected = selected.reverse();
  if (query.limit !== undefined) selected = selected.limit(query.limit);
  return selected;
}

class DexieTransaction implements StoreTransaction {
  readonly #transaction: Transaction;

  constructor(transaction: Transaction) {
    this.#transaction = transaction;
  }

  async get<S extends StoreName>(store: S, key: KeyOf<S>): Promise<RowOf<S> | undefined> {
    return (await this.#table(store).get(key as IndexableType)) as RowOf<S> | undefined;
  }

  async getMany<S extends StoreName>(store: S, keys: readonly KeyOf<S>[]): Promise<(RowOf<S> | undefined)[]> {
    return (await this.#table(store).bulkGet(keys as unknown as IndexableType[])) as (RowOf<S> | undefined)[];
  }

  async put<S extends StoreName>(store: S, rows: readonly RowOf<S>[]): Promise<void> {
    if (rows.length > 0) await this.#table(store).bulkPut(rows);
  }

  async delete<S extends StoreName>(store: S, keys: readonly KeyOf<S>[]): Promise<void> {
    if (keys.length > 0) await this.#table(store).bulkDelete(keys as unknown as IndexableType[]);
  }

  async clear(store: StoreName): Promise<void> {
    await this.#table(store).clear();
  }

  async count<S extends StoreName>(store: S, query: RangeQuery<S> = {}): Promise<number> {
    return collection(this.#table(store), query).count();
  }

  async list<S extends StoreName>(store: S, query: ListQuery<S> = {}): Promise<RowOf<S>[]> {
    return (await collection(this.#table(store), query).toArray()) as RowOf<S>[];
  }

  async iterate<S extends StoreName>(
    store: S,
    query: ListQuery<S>,
    visit: (row: RowOf<S>) => boolean | void,
  ): Promise<void> {
    let stopped = false;
    await collection(this.#table(store), query)
      .until(() => stopped)
      .each((row) => {
        if (visit(row as RowOf<S>) === false) stopped = true;
      });
  }

  #table(store: StoreName): AnyTable {
    return this.#transaction.table(store) as AnyTable;
  }
}

/**
 * The LocalStore of the PWA: one IndexedDB database through Dexie. Transactions use strict
 * durability where the browser offers the choice, because a save the user saw complete must
 * survive a dead battery (R3).
 */
export function createIndexedDbStore(name: string): LocalStore {
  const db = new Dexie(name, { chromeTransactionDurability: 'strict' });
  db.version(localStoreSchema.version).stores(dexieSchema());

  return {
    name,
    async transaction<T>(
      mode: TransactionMode,
      stores: readonly StoreName[],
      body: (tx: StoreTransaction) => Promise<T>,
    ): Promise<T> {
      return db.transaction(mode === 'readwrite' ? 'rw' : 'r', [...stores], (transaction) =>
        body(new DexieTransaction(transaction)),
      );
    },
    async close() {
      db.close();
    },
    async destroy() {
      await db.delete();
    },
  };
}

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
import { localStoreSchema, previousLocalStoreSchemas } from './localStoreSchema.js';
import { recordsRevKey, stampingTransaction, stampOf, stampScope } from './changeStamp.js';

type AnyTable = Table<unknown, IndexableType>;
type AnyCollection = Collection<unknown, IndexableType>;
type StoresOf = Readonly<Record<string, { readonly key: string; readonly indexes: readonly string[] }>>;

function dexieSchema(stores: StoresOf): Record<string, string> {
  return Object.fromEntries(
    Object.entries(stores).map(([store, { key, indexes }]) => [store, [key, ...indexes].join(', ')]),
  );
}

/** What each version does to the rows of the one before, by version number. */
const upgrades: Readonly<Record<number, (transaction: Transaction) => Promise<void>>> = {
  // 2: every record held gets its change stamp, in key order, and meta the highest.
  2: async (transaction) => {
    const meta = transaction.table('meta');
    let last = stampOf(((await meta.get(recordsRevKey)) as { value?: unknown } | undefined)?.value);
    await transaction
      .table('records')
      .toCollection()
      .modify((row: { rev?: number }) => {
        last += 1;
        row.rev = last;
      });
    await meta.put({ key: recordsRevKey, value: last });
  },
};

/**
 * Declares every version of the device database, so a device holding an older one upgrades in
 * place and keeps every row (a saved record is never lost to an upgrade).
 */
function declareVersions(db: Dexie): void {
  for (const { version, stores } of [...previousLocalStoreSchemas, localStoreSchema]) {
    const declared = db.version(version).stores(dexieSchema(stores));
    const upgrade = upgrades[version];
    if (upgrade !== undefined) declared.upgrade(upgrade);
  }
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
  declareVersions(db);

  return {
    name,
    async transaction<T>(
      mode: TransactionMode,
      stores: readonly StoreName[],
      body: (tx: StoreTransaction) => Promise<T>,
    ): Promise<T> {
      return db.transaction(mode === 'readwrite' ? 'rw' : 'r', stampScope(mode, stores), (transaction) => {
        const tx = new DexieTransaction(transaction);
        return body(mode === 'readwrite' ? stampingTransaction(tx) : tx);
      });
    },
    async close() {
      db.close();
    },
    async destroy() {
      await db.delete();
    },
  };
}

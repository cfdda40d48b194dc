import { compareKeys, isValidKey } from './compareKeys.js';
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
import { stampingTransaction, stampScope } from './changeStamp.js';

type Row = Record<string, unknown>;
type Table = Map<IndexKey, Row>;
const deleted = Symbol('deleted');
type Overlay = Map<IndexKey, Row | typeof deleted>;

function keyField(store: StoreName): string {
  return localStoreSchema.stores[store].key;
}

function keyOfRow(store: StoreName, row: Row): IndexKey {
  const key = row[keyField(store)];
  if (!isValidKey(key)) throw new DOMException(`Row in ${store} has no valid key`, 'DataError');
  return key;
}

/** Maps keep insertion order, not key order; a lookup key must be the same primitive. */
function mapKey(key: IndexKey): IndexKey {
  return Array.isArray(key) ? JSON.stringify(key) : key;
}

function inRange(key: IndexKey, query: RangeQuery<StoreName>): boolean {
  if (query.equals !== undefined) return compareKeys(key, query.equals) === 0;
  if (query.lower !== undefined) {
    const order = compareKeys(key, query.lower);
    if (order < 0 || (order === 0 && query.lowerOpen === true)) return false;
  }
  if (query.upper !== undefined) {
    const order = compareKeys(key, query.upper);
    if (order > 0 || (order === 0 && query.upperOpen === true)) return false;
  }
  return true;
}

/**
 * Buffers a transaction's writes over the committed tables: reads see them, nobody else does,
 * and commit() applies them all at once. Transactions run one at a time (see createMemoryStore),
 * which gives the isolation IndexedDB gives for overlapping read-write transactions.
 */
class MemoryTransaction implements StoreTransaction {
  readonly #tables: Map<StoreName, Table>;
  readonly #overlays = new Map<StoreName, Overlay>();
  readonly #mode: TransactionMode;
  readonly #scope: ReadonlySet<StoreName>;
  #active = true;

  constructor(tables: Map<StoreName, Table>, mode: TransactionMode, scope: readonly StoreName[]) {
    this.#tables = tables;
    this.#mode = mode;
    this.#scope = new Set(scope);
  }

  async get<S extends StoreName>(store: S, key: KeyOf<S>): Promise<RowOf<S> | undefined> {
    this.#check(store, false);
    const row = this.#read(store, key as IndexKey);
    return row === undefined ? undefined : (structuredClone(row) as unknown as RowOf<S>);
  }

  async getMany<S extends StoreName>(store: S, keys: readonly KeyOf<S>[]): Promise<(RowOf<S> | undefined)[]> {
    this.#check(store, false);
    return keys.map((key) => {
      const row = this.#read(store, key as IndexKey);
      return row === undefined ? undefined : (structuredClone(row) as unknown as RowOf<S>);
    });
  }

  async put<S extends StoreName>(store: S, rows: readonly RowOf<S>[]): Promise<void> {
    this.#check(store, true);
    const overlay = this.#overlay(store);
    for (const row of rows) {
      const copy = structuredClone(row) as unknown as Row;
      overlay.set(mapKey(keyOfRow(store, copy)), copy);
    }
  }

  async delete<S extends StoreName>(store: S, keys: readonly KeyOf<S>[]): Promise<void> {
    this.#check(store, true);
    const overlay = this.#overlay(store);
    for (const key of keys) overlay.set(mapKey(key as IndexKey), deleted);
  }

  async clear(store: StoreName): Promise<void> {
    this.#check(store, true);
    const overlay = this.#overlay(store);
    for (const row of this.#rows(store)) overlay.set(mapKey(keyOfRow(store, row)), deleted);
  }

  async count<S extends StoreName>(store: S, query: RangeQuery<S> = {}): Promise<number> {
    this.#check(store, false);
    return this.#select(store, query).length;
  }

  async list<S extends StoreName>(store: S, query: ListQuery<S> = {}): Promise<RowOf<S>[]> {
    this.#check(store, false);
    return this.#select(store, query).map((row) => structuredClone(row) as unknown as RowOf<S>);
  }

  async iterate<S extends StoreName>(
    store: S,
    query: ListQuery<S>,
    visit: (row: RowOf<S>) => boolean | void,
  ): Promise<void> {
    this.#check(store, false);
    for (const row of this.#select(store, query)) {
      if (visit(structuredClone(row) as unknown as RowOf<S>) === false) return;
    }
  }

  commit(): void {
    this.#active = false;
    for (const [store, overlay] of this.#overlays) {
      const table = this.#tables.get(store)!;
      for (const [key, row] of overlay) {
        if (row === deleted) table.delete(key);
        else table.set(key, row);
      }
    }
  }

  abort(): void {
    this.#active = false;
    this.#overlays.clear();
  }

  #check(store: StoreName, write: boolean): void {
    if (!this.#active) throw new DOMException('The transaction has finished', 'TransactionInactiveError');
    if (!this.#scope.has(store)) throw new DOMException(`${store} is not in this transaction`, 'NotFoundError');
    if (write && this.#mode === 'readonly') throw new DOMException('Read-only transaction', 'ReadOnlyError');
  }

  #overlay(store: StoreName): Overlay {
    let overlay = this.#overlays.get(store);
    if (overlay === undefined) {
      overlay = new Map();
      this.#overlays.set(store, overlay);
    }
    return overlay;
  }

  #read(store: StoreName, key: IndexKey): Row | undefined {
    const staged = this.#overlays.get(store)?.get(mapKey(key));
    if (staged === deleted) return undefined;
    return staged ?? this.#tables.get(store)!.get(mapKey(key));
  }

  #rows(store: StoreName): Row[] {
    const table = this.#tables.get(store)!;
    const overlay = this.#overlays.get(store);
    if (overlay === undefined || overlay.size === 0) return [...table.values()];
    const merged = new Map(table);
    for (const [key, row] of overlay) {
      if (row === deleted) merged.delete(key);
      else merged.set(key, row);
    }
    return [...merged.values()];
  }

  #select(store: StoreName, query: ListQuery<StoreName>): Row[] {
    const indexField = query.index ?? keyField(store);
    const selected: { key: IndexKey; primary: IndexKey; row: Row }[] = [];
    for (const row of this.#rows(store)) {
      const key = row[indexField];
      // IndexedDB leaves rows whose indexed field is missing or not a key out of the index.
      if (!isValidKey(key) || !inRange(key, query)) continue;
      selected.push({ key, primary: keyOfRow(store, row), row });
    }
    selected.sort((a, b) => compareKeys(a.key, b.key) || compareKeys(a.primary, b.primary));
    if (query.reverse === true) selected.reverse();
    const limited = query.limit === undefined ? selected : selected.slice(0, query.limit);
    return limited.map((entry) => entry.row);
  }
}

/**
 * A LocalStore held in memory: for tests and for running the PWA's logic in Node. Nothing
 * survives the process. Transactions run one after another.
 */
export function createMemoryStore(name = 'memory'): LocalStore {
  const tables = new Map<StoreName, Table>(storeNames.map((store) => [store, new Map()]));
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  return {
    name,
    transaction<T>(mode: TransactionMode, stores: readonly StoreName[], body: (tx: StoreTransaction) => Promise<T>) {
      const run = async (): Promise<T> => {
        if (closed) throw new DOMException('The store is closed', 'InvalidStateError');
        const tx = new MemoryTransaction(tables, mode, stampScope(mode, stores));
        try {
          const result = await body(mode === 'readwrite' ? stampingTransaction(tx) : tx);
          tx.commit();
          return result;
        } catch (error) {
          tx.abort();
          throw error;
        }
      };
      const result = queue.then(run, run);
      queue = result.catch(() => undefined);
      return result;
    },
    async close() {
      closed = true;
    },
    async destroy() {
      closed = true;
      for (const table of tables.values()) table.clear();
    },
  };
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'kysely';
import type {
  Kysely,
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import type { Database } from './schema.js';
import { openPostgres } from './postgres/openPostgres.js';
import { openSqlite } from './sqlite/openSqlite.js';

export type Dialect = 'sqlite' | 'postgres';

// Opening a store and migrating it go together at every composition root.
export { migrate, migrationStatus } from './migrate.js';

/**
 * The storage port. Query functions take their arguments first and a Store last; they use
 * `store.db`, which is the connection or, inside `transaction()`, the transaction.
 */
export interface Store {
  readonly dialect: Dialect;
  /** The connection, or the transaction inside `transaction()`. */
  readonly db: Kysely<Database>;
  /**
   * Runs `fn` in one transaction that commits when `fn` resolves and rolls back when it throws.
   * A nested call on the transaction's store reuses the outer transaction. Calling the root store
   * from inside `fn` throws: on SQLite it would wait forever for the connection the transaction
   * holds, on PostgreSQL it would silently write outside the transaction.
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` once what was written is visible to everybody: after the outermost transaction
   * commits (never if it rolls back), or at once outside a transaction.
   */
  afterCommit(fn: () => void): void;
  /** Closes the connection (root store only). */
  close(): Promise<void>;
}

export interface StoreOptions {
  /** `postgres://` or `postgresql://` URL; anything else (or null) means SQLite. */
  databaseUrl: string | null;
  /** SQLite file; its folder is created if missing. `:memory:` for tests. */
  sqlitePath: string;
}

interface OpenTransaction {
  readonly root: Kysely<Database>;
  open: boolean;
}

const currentTransaction = new AsyncLocalStorage<OpenTransaction>();

/** Refuses queries on the root connection from code running inside one of its transactions. */
class RootInsideTransactionGuard implements KyselyPlugin {
  constructor(private readonly root: Kysely<Database>) {}
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const tx = currentTransaction.getStore();
    if (tx?.open === true && tx.root === this.root) {
      throw new Error('query on the root store inside transaction(): use the store passed to the callback');
    }
    return args.node;
  }
  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

class RootStore implements Store {
  readonly db: Kysely<Database>;
  constructor(
    readonly dialect: Dialect,
    readonly raw: Kysely<Database>,
  ) {
    this.db = raw.withPlugin(new RootInsideTransactionGuard(raw));
  }

  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    const outer = currentTransaction.getStore();
    if (outer?.open === true && outer.root === this.raw) {
      throw new Error('transaction() on the root store inside a transaction: use the store passed to the callback');
    }
    const committed: Array<() => void> = [];
    const result = await this.raw.transaction().execute(async (trx) => {
      const marker: OpenTransaction = { root: this.raw, open: true };
      try {
        return await currentTransaction.run(marker, async () => {
          const tx = new TransactionStore(this.dialect, trx, committed, this.raw);
          const value = await fn(tx);
          // Before the commit, in the transaction: a failure here rolls everything back.
          await tx.writeHeldBack();
          return value;
        });
      } finally {
        marker.open = false;
      }
    });
    for (const done of committed) done();
    return result;
  }

  afterCommit(fn: () => void): void {
    fn();
  }

  async close(): Promise<void> {
    await this.raw.destroy();
  }
}

/** A counter this transaction took: `value` handed out last, `written` what the counters row holds. */
interface HeldCounter {
  value: number;
  written: number;
}

/** Rows held back until the commit (or a read that must see them), then written by `write`. */
interface HeldRows {
  rows: unknown[];
  write: (rows: unknown[], tx: Store) => Promise<void>;
}

/** What a transaction holds back, as it was when a savepoint was opened. */
interface HeldBack {
  counters: Map<string, HeldCounter>;
  rows: Map<string, HeldRows>;
}

class TransactionStore implements Store {
  /** What `keptRead` and `keptInTransaction` keep; emptied by `rollbackToSavepoint`. */
  readonly kept = new Map<string, unknown>();
  /** Counters taken by `nextSeq`, counted in memory after the first; written back by `writeHeldBack`. */
  counters = new Map<string, HeldCounter>();
  /** Inserts held back by `insertBeforeCommit`, by table; written by `writeHeldBack`. */
  heldRows = new Map<string, HeldRows>();
  /** Set by `keepReads`: reads of rows a batch of submissions cannot change are kept. */
  keepsReads = false;
  constructor(
    readonly dialect: Dialect,
    readonly db: Kysely<Database>,
    private readonly committed: Array<() => void>,
    /** The root store's connection: what `cacheScopeOf` answers for the transaction. */
    readonly root: Kysely<Database>,
  ) {}
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    return fn(this);
  }
  afterCommit(fn: () => void): void {
    this.committed.push(fn);
  }
  close(): Promise<void> {
    return Promise.reject(new Error('close() on a transaction: close the root store'));
  }

  /** Writes the held-back rows (one insert per table) and the counters' last values. */
  async writeHeldBack(): Promise<void> {
    for (const held of this.heldRows.values()) {
      if (held.rows.length === 0) continue;
      const rows = held.rows;
      held.rows = [];
      await held.write(rows, this);
    }
    for (const [name, counter] of this.counters) {
      if (counter.value === counter.written) continue;
      await this.db.updateTable('counters').set({ value: counter.value }).where('name', '=', name).execute();
      counter.written = counter.value;
    }
  }

  snapshot(): HeldBack {
    return {
      counters: new Map([...this.counters].map(([name, c]) => [name, { ...c }])),
      rows: new Map([...this.heldRows].map(([table, held]) => [table, { ...held, rows: [...held.rows] }])),
    };
  }

  /** After a rollback to the savepoint `snapshot` was taken at: what was held back then is again. */
  restore(snapshot: HeldBack): void {
    this.counters = snapshot.counters;
    this.heldRows = snapshot.rows;
  }
}

/**
 * Marks a transaction that stores submissions only (a push batch): forms, form versions, areas and
 * entity lists do not change under it except by its own writes, so `keptRead` reads them once
 * per transaction. A no-op outside a transaction.
 */
export function keepReads(tx: Store): void {
  if (tx instanceof TransactionStore) tx.keepsReads = true;
}

/**
 * `read()` once per transaction marked by `keepReads` (the same key answers from the first read
 * until a savepoint rolls back); afresh anywhere else. For rows submissions never change: forms,
 * form versions, areas, entity lists.
 */
export async function keptRead<T>(store: Store, key: string, read: () => Promise<T>): Promise<T> {
  if (!(store instanceof TransactionStore) || !store.keepsReads) return read();
  if (store.kept.has(key)) return store.kept.get(key) as T;
  const value = await read();
  store.kept.set(key, value);
  return value;
}

/**
 * A value kept for the rest of any transaction (undefined outside one, or once a savepoint rolled
 * back): what the transaction wrote last, for its next write to build on (the audit chain's tail).
 */
export function keptInTransaction<T>(store: Store, key: string): T | undefined {
  return store instanceof TransactionStore ? (store.kept.get(key) as T | undefined) : undefined;
}

export function keepInTransaction(store: Store, key: string, value: unknown): void {
  if (store instanceof TransactionStore) store.kept.set(key, value);
}

/**
 * Rolls back to a savepoint, forgets what the transaction kept (it may describe undone writes) and
 * puts back the counters and held-back rows as they were when the savepoint was opened.
 */
async function rollbackToSavepoint(tx: Store, name: string, snapshot: HeldBack | undefined): Promise<void> {
  await sql`rollback to savepoint ${sql.id(name)}`.execute(tx.db);
  if (tx instanceof TransactionStore) {
    tx.kept.clear();
    if (snapshot !== undefined) tx.restore(snapshot);
  }
}

/**
 * Inserts `row` before the transaction commits, with the other rows held back for `table` in one
 * statement (`write`, given them in order), or at once outside a transaction. A savepoint rolled
 * back drops the rows held back since it was opened. Whoever reads `table` in the transaction
 * calls `writeHeldBack` first.
 */
export async function insertBeforeCommit<R>(
  table: string,
  row: R,
  write: (rows: R[], store: Store) => Promise<void>,
  store: Store,
): Promise<void> {
  if (!(store instanceof TransactionStore)) return write([row], store);
  let held = store.heldRows.get(table);
  if (held === undefined) {
    held = { rows: [], write: write as HeldRows['write'] };
    store.heldRows.set(table, held);
  }
  held.rows.push(row);
}

/** The rows of `table` held back by `insertBeforeCommit` in this transaction, oldest first. */
export function heldBackRows<R>(table: string, store: Store): readonly R[] {
  return store instanceof TransactionStore ? ((store.heldRows.get(table)?.rows ?? []) as R[]) : [];
}

/**
 * Writes now what the transaction holds back (counters counted in memory, rows held back by
 * `insertBeforeCommit`): call it before reading `counters` or a table written that way, so the
 * read sees the transaction's own writes. A no-op outside a transaction.
 */
export async function writeHeldBack(store: Store): Promise<void> {
  if (store instanceof TransactionStore) await store.writeHeldBack();
}

export function dialectOf(databaseUrl: string | null): Dialect {
  return databaseUrl !== null && /^postgres(ql)?:\/\//.test(databaseUrl) ? 'postgres' : 'sqlite';
}

export async function openStore(options: StoreOptions): Promise<Store> {
  const dialect = dialectOf(options.databaseUrl);
  const db =
    dialect === 'postgres' && options.databaseUrl !== null
      ? openPostgres(options.databaseUrl)
      : openSqlite(options.sqlitePath);
  const store = new RootStore(dialect, db);
  try {
    // Fail at start-up, not on the first request, when the database is unreachable.
    await sql`select 1`.execute(store.db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return store;
}

function errorCode(err: unknown): unknown {
  return typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
}

/** A unique or primary-key constraint rejected the write (SQLite or PostgreSQL 23505). */
export function isUniqueViolation(err: unknown): boolean {
  const code = errorCode(err);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * PostgreSQL refused a statement because an earlier one in the transaction failed (25P02): what
 * follows a failed write until the transaction, or a savepoint, is rolled back.
 */
export function isFailedTransaction(err: unknown): boolean {
  return errorCode(err) === '25P02';
}

/** A foreign-key constraint rejected the write (SQLite or PostgreSQL 23503). */
export function isForeignKeyViolation(err: unknown): boolean {
  const code = errorCode(err);
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/**
 * Increments and returns the counter `name` (first value 1). Call it inside the transaction that
 * uses the value: the counter row stays locked until that transaction ends, so values are handed
 * out in commit order and a rolled-back transaction leaves no gap, which sync cursors rely on.
 * The first call in a transaction takes the row (one upsert); later ones count in memory and the
 * last value is written back once, before the commit (a savepoint rolled back rewinds the count).
 */
export async function nextSeq(name: string, store: Store): Promise<number> {
  if (store instanceof TransactionStore) {
    const held = store.counters.get(name);
    if (held !== undefined) return ++held.value;
    const value = await takeCounter(name, store);
    store.counters.set(name, { value, written: value });
    return value;
  }
  return takeCounter(name, store);
}

/**
 * Whether this transaction holds the counter `name` (took a value of it that is not rolled back):
 * the row is locked by it until it ends.
 */
export function holdsCounter(name: string, store: Store): boolean {
  return store instanceof TransactionStore && store.counters.has(name);
}

async function takeCounter(name: string, store: Store): Promise<number> {
  const row = await store.db
    .insertInto('counters')
    .values({ name, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql<number>`counters.value + 1` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

/**
 * One object per opened store, the same for its transactions: what a per-process cache keeps its
 * entries under, so two stores (two databases, or two "processes" in a test) never share them.
 */
export function cacheScopeOf(store: Store): object {
  if (store instanceof TransactionStore) return store.root;
  if (store instanceof RootStore) return store.raw;
  return store;
}

/** Whether `store` is the store of an open transaction (the one `transaction()` passes its callback). */
export function isTransaction(store: Store): boolean {
  return store instanceof TransactionStore;
}

/** How many savepoints are open in each transaction (by its connection). */
const savepointDepth = new WeakMap<object, number>();

/** Whether `withSavepoint` is running on this transaction: what is taken now may be rolled back alone. */
export function insideSavepoint(tx: Store): boolean {
  return (savepointDepth.get(tx.db) ?? 0) > 0;
}

/**
 * Transactions (by connection) on PostgreSQL whose last top-level savepoint is still open: it is
 * released in the same round trip as the next savepoint is made, or by the commit. One statement
 * per item of a push batch fewer; what runs between two items (nothing but the batch's own
 * writes) is committed or rolled back with the transaction either way.
 */
const unreleasedSavepoint = new WeakSet<object>();

/**
 * Runs `fn` inside a savepoint of the transaction `tx`: what it wrote is rolled back, alone, when
 * it throws (the error is thrown on) or when `keep` says its result is not to be kept. On
 * PostgreSQL the rollback also clears the error state, so the transaction goes on. A rollback
 * also forgets what the transaction kept (`keptRead`, the audit chain's tail): it may describe
 * the undone writes; and it rewinds what the transaction holds back to the savepoint (counters
 * counted in memory, rows for `insertBeforeCommit`), so an undone item leaves no gap in a sequence.
 */
export async function withSavepoint<T>(
  tx: Store,
  fn: () => Promise<T>,
  keep: (result: T) => boolean = () => true,
): Promise<T> {
  if (!isTransaction(tx)) throw new Error('withSavepoint() outside a transaction');
  if (unreleasedSavepoint.delete(tx.db)) {
    // No parameters: one simple-protocol query, both statements in one round trip.
    await sql`release savepoint outpost_item; savepoint outpost_item`.execute(tx.db);
  } else {
    await sql`savepoint outpost_item`.execute(tx.db);
  }
  const snapshot = tx instanceof TransactionStore ? tx.snapshot() : undefined;
  const depth = (savepointDepth.get(tx.db) ?? 0) + 1;
  savepointDepth.set(tx.db, depth);
  try {
    let result: T;
    try {
      result = await fn();
    } catch (err) {
      await rollbackToSavepoint(tx, 'outpost_item', snapshot);
      throw err;
    }
    if (!keep(result)) await rollbackToSavepoint(tx, 'outpost_item', snapshot);
    return result;
  } finally {
    savepointDepth.set(tx.db, depth - 1);
    // A nested savepoint is released at once: its name is the enclosing one's too.
    if (tx.dialect === 'postgres' && depth === 1) unreleasedSavepoint.add(tx.db);
    else await sql`release savepoint outpost_item`.execute(tx.db);
  }
}

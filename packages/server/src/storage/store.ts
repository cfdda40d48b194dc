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
    private readonly raw: Kysely<Database>,
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
        return await currentTransaction.run(marker, () => fn(new TransactionStore(this.dialect, trx, committed)));
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

class TransactionStore implements Store {
  /** What `keptRead` and `keptInTransaction` keep; emptied by `rollbackToSavepoint`. */
  readonly kept = new Map<string, unknown>();
  /** Set by `keepReads`: reads of rows a batch of submissions cannot change are kept. */
  keepsReads = false;
  constructor(
    readonly dialect: Dialect,
    readonly db: Kysely<Database>,
    private readonly committed: Array<() => void>,
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

/** Rolls back to a savepoint and forgets what the transaction kept (it may describe undone writes). */
async function rollbackToSavepoint(tx: Store, name: string): Promise<void> {
  await sql`rollback to savepoint ${sql.id(name)}`.execute(tx.db);
  if (tx instanceof TransactionStore) tx.kept.clear();
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
 */
export async function nextSeq(name: string, store: Store): Promise<number> {
  const row = await store.db
    .insertInto('counters')
    .values({ name, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql<number>`counters.value + 1` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
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
 * the undone writes.
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
  const depth = (savepointDepth.get(tx.db) ?? 0) + 1;
  savepointDepth.set(tx.db, depth);
  try {
    let result: T;
    try {
      result = await fn();
    } catch (err) {
      await rollbackToSavepoint(tx, 'outpost_item');
      throw err;
    }
    if (!keep(result)) await rollbackToSavepoint(tx, 'outpost_item');
    return result;
  } finally {
    savepointDepth.set(tx.db, depth - 1);
    // A nested savepoint is released at once: its name is the enclosing one's too.
    if (tx.dialect === 'postgres' && depth === 1) unreleasedSavepoint.add(tx.db);
    else await sql`release savepoint outpost_item`.execute(tx.db);
  }
}

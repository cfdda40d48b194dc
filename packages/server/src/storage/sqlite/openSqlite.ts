import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteAdapter, SqliteDialect, SqliteDriver } from 'kysely';
import type { DatabaseConnection, Driver, DialectAdapter, SqliteDatabase, SqliteDialectConfig } from 'kysely';
import { PRIVATE_DIR_MODE, makePrivateFileSync } from '../privateFiles.js';
import type { Database as Tables } from '../schema.js';

// `begin immediate` takes the write lock when the transaction starts. With the default deferred
// `begin`, a transaction that reads and then writes fails with SQLITE_BUSY (busy_timeout does not
// help) when another process (the CLI next to a running server) wrote in between.
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

// SQLite runs DDL inside transactions; Kysely's adapter says it does not only to stay
// conservative. Saying so lets the migrator wrap each migration in its own transaction.
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class OutpostSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/**
 * Kysely prepares every query afresh; compiling the SQL was a tenth of a push's time. Statements
 * are kept by their text and reused (better-sqlite3 runs each to completion before returning, and
 * SQLite prepares again by itself after a schema change). Bounded; the oldest goes first.
 */
function reusingStatements(database: Database.Database, kept = 500): SqliteDatabase {
  const statements = new Map<string, Database.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = database.prepare(sql);
        if (statements.size >= kept) statements.delete(statements.keys().next().value as string);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

/**
 * Opens (creating if needed) the SQLite file. Kysely's SQLite driver holds its single connection
 * for the whole of a transaction, so concurrent `transaction()` calls queue instead of interleaving.
 */
export function openSqlite(path: string): Kysely<Tables> {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
    // SQLite gives the WAL and shared-memory files the database file's mode: create it 0600
    // first, and tighten files an older version left world-readable.
    makePrivateFileSync(path, true);
    for (const suffix of ['-wal', '-shm', '-journal']) makePrivateFileSync(path + suffix, false);
  }
  const database = new Database(path, { timeout: 5000 });
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  return new Kysely<Tables>({ dialect: new OutpostSqliteDialect({ database: reusingStatements(database) }) });
}

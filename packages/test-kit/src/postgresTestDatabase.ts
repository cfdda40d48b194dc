import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate, openStore } from '@outpost/server';
import type { Store } from '@outpost/server';

export interface PostgresTestDatabase {
  /** Connection URL of the fresh, empty database. */
  url: string;
  /** Drops the database, closing any connection still open to it. */
  drop(): Promise<void>;
}

export const DEFAULT_TEST_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Creates `outpost_test_<random>` on the server named by OUTPOST_TEST_PG_URL (default: the local
 * postgres superuser), so test files and concurrent runs never share data.
 */
export async function createPostgresTestDatabase(
  adminUrl: string = process.env['OUTPOST_TEST_PG_URL'] ?? DEFAULT_TEST_PG_URL,
): Promise<PostgresTestDatabase> {
  const name = `outpost_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin(adminUrl, (client) => client.query(`drop database if exists ${name} with (force)`)),
  };
}

async function withAdmin(adminUrl: string, fn: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}

/** A migrated store on a fresh PostgreSQL test database, and the one call that closes and drops both. */
export interface PostgresTestStore {
  store: Store;
  close(): Promise<void>;
}

/** `openTestStore` for `*.pg.test.ts`: a database of its own, migrated; `close` in afterAll. */
export async function openPostgresTestStore(): Promise<PostgresTestStore> {
  const database = await createPostgresTestDatabase();
  const store = await openStore({ databaseUrl: database.url, sqlitePath: ':memory:' });
  await migrate(store);
  return {
    store,
    close: async () => {
      await store.close();
      await database.drop();
    },
  };
}

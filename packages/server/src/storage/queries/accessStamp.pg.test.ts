import { createPostgresTestDatabase } from '@outpost/test-kit';
import type { PostgresTestDatabase } from '@outpost/test-kit';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { Store } from '../store.js';
import { migrate, openStore } from '../store.js';
import { accessStamp } from './accessStamp.js';
import { describeAccessStamp } from './accessStamp.test-support.js';

const databases = new Map<Store, PostgresTestDatabase>();

describeAccessStamp(
  'PostgreSQL',
  async () => {
    const database = await createPostgresTestDatabase();
    const store = await openStore({ databaseUrl: database.url, sqlitePath: 'unused' });
    await migrate(store);
    databases.set(store, database);
    return store;
  },
  async (store) => {
    await store.close();
    await databases.get(store)?.drop();
  },
);

it('moves when a watched table is truncated (PostgreSQL fires no row triggers for it)', async () => {
  const database = await createPostgresTestDatabase();
  const store = await openStore({ databaseUrl: database.url, sqlitePath: 'unused' });
  try {
    await migrate(store);
    const before = await accessStamp(store);
    await sql`truncate membership_areas`.execute(store.db);
    expect(await accessStamp(store)).not.toBe(before);
  } finally {
    await store.close();
    await database.drop();
  }
});

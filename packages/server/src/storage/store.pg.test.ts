import { createPostgresTestDatabase, describeStorageContract } from '@outpost/test-kit';
import type { PostgresTestDatabase } from '@outpost/test-kit';
import { openStore } from './store.js';
import type { Store } from './store.js';

const databases = new Map<Store, PostgresTestDatabase>();

describeStorageContract(
  'PostgreSQL',
  async () => {
    const database = await createPostgresTestDatabase();
    const store = await openStore({ databaseUrl: database.url, sqlitePath: 'unused' });
    databases.set(store, database);
    return store;
  },
  async (store) => {
    await store.close();
    await databases.get(store)?.drop();
  },
);

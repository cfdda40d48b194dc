import { createPostgresTestDatabase } from '@outpost/test-kit';
import type { PostgresTestDatabase } from '@outpost/test-kit';
import { openStore } from '../storage/store.js';
import type { Store } from '../storage/store.js';
import { describeSharedLoginRateLimit } from './rateLimit.test-support.js';

const databases = new Map<Store, PostgresTestDatabase>();

describeSharedLoginRateLimit(
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

import { createPostgresTestDatabase } from '@outpost/test-kit';
import { migrate, openStore } from '../storage/store.js';
import { describeScopeFilterAgreement } from './applyScopeFilter.test.js';

describeScopeFilterAgreement('PostgreSQL', async () => {
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
});

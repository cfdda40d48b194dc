import { createPostgresTestDatabase } from '@outpost/test-kit';
import { migrate, openStore } from '../storage/store.js';
import { describeAuthorizationMatrix } from './authorizationMatrix.test.js';

// The same matrix on PostgreSQL: crafted filters and guessed ids must behave the same on both
// dialects (no SQL error, no leak).
describeAuthorizationMatrix('PostgreSQL', async () => {
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

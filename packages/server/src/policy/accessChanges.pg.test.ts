import { createPostgresTestDatabase } from '@outpost/test-kit';
import { migrate, openStore } from '../storage/store.js';
import { describeAccessChanges } from './accessChanges.test-support.js';

// Two stores over one PostgreSQL database, as two `outpost start` processes would be.
describeAccessChanges('PostgreSQL', async () => {
  const database = await createPostgresTestDatabase();
  const first = await openStore({ databaseUrl: database.url, sqlitePath: 'unused' });
  await migrate(first);
  const second = await openStore({ databaseUrl: database.url, sqlitePath: 'unused' });
  return {
    first,
    second,
    async close() {
      await first.close();
      await second.close();
      await database.drop();
    },
  };
});

import { createPostgresTestDatabase } from '@outpost/test-kit';
import { describeInterruptedMigration } from './interruptedMigration.test-support.js';

describeInterruptedMigration('PostgreSQL', async () => {
  const database = await createPostgresTestDatabase();
  return { databaseUrl: database.url, sqlitePath: ':memory:', drop: () => database.drop() };
});

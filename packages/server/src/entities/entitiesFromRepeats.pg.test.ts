import { openPostgresTestStore } from '@outpost/test-kit';
import { describeEntitiesFromRepeats } from './entitiesFromRepeats.test-support.js';

describeEntitiesFromRepeats('PostgreSQL', async () => {
  const postgres = await openPostgresTestStore();
  return { store: postgres.store, close: () => postgres.close() };
});

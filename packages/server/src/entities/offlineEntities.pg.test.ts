import { openPostgresTestStore } from '@outpost/test-kit';
import { describeOfflineScenarios } from './offlineScenarios.test-support.js';

describeOfflineScenarios('PostgreSQL', async () => {
  const postgres = await openPostgresTestStore();
  return { store: postgres.store, close: () => postgres.close() };
});

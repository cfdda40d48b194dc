import { openTestStore } from '@outpost/test-kit';
import { describeOfflineScenarios } from './offlineScenarios.test-support.js';

describeOfflineScenarios('SQLite', async () => {
  const store = await openTestStore();
  return { store, close: () => store.close() };
});

import { openTestStore } from '@outpost/test-kit';
import { describeDashboards } from './dashboards.test-support.js';

describeDashboards('SQLite', async () => {
  const store = await openTestStore();
  return { store, close: () => store.close() };
});

import { openTestStore } from '@outpost/test-kit';
import { describeQualityReport } from './qualityReport.test-support.js';

describeQualityReport('SQLite', async () => {
  const store = await openTestStore();
  return { store, close: () => store.close() };
});

import { openTestStore } from '@outpost/test-kit';
import { describeEntitiesFromRepeats } from './entitiesFromRepeats.test-support.js';

describeEntitiesFromRepeats('SQLite', async () => {
  const store = await openTestStore();
  return { store, close: () => store.close() };
});

import { migrate, openStore } from '../store.js';
import { describeAccessStamp } from './accessStamp.test-support.js';

describeAccessStamp(
  'SQLite',
  async () => {
    const store = await openStore({ databaseUrl: null, sqlitePath: ':memory:' });
    await migrate(store);
    return store;
  },
  (store) => store.close(),
);

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrate, openStore } from '../storage/index.js';
import { describeCaseMerges } from './caseMerges.test-support.js';

describeCaseMerges('SQLite', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'outpost-merges-'));
  const store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
  await migrate(store);
  return {
    store,
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

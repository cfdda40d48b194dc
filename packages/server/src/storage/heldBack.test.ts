import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeHeldBack } from './heldBack.test-support.js';
import { migrate, openStore } from './store.js';

describeHeldBack('SQLite', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'outpost-held-back-'));
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

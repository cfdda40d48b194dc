import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrate, openStore } from '../storage/store.js';
import { describeAccessChanges } from './accessChanges.test-support.js';

// Two stores over one SQLite file, as the server and the CLI (or a second server) would be.
describeAccessChanges('SQLite', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'outpost-access-'));
  const sqlitePath = path.join(dir, 'outpost.db');
  const first = await openStore({ databaseUrl: null, sqlitePath });
  await migrate(first);
  const second = await openStore({ databaseUrl: null, sqlitePath });
  return {
    first,
    second,
    async close() {
      await first.close();
      await second.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

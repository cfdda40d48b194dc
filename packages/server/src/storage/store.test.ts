import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStorageContract } from '@outpost/test-kit';
import { openStore } from './store.js';
import type { Store } from './store.js';

const folders = new Map<Store, string>();

describeStorageContract(
  'SQLite',
  async () => {
    const folder = await mkdtemp(join(tmpdir(), 'outpost-store-'));
    // A nested path checks that openStore creates the parent folder.
    const store = await openStore({ databaseUrl: null, sqlitePath: join(folder, 'data', 'outpost.sqlite') });
    folders.set(store, folder);
    return store;
  },
  async (store) => {
    await store.close();
    const folder = folders.get(store);
    if (folder !== undefined) await rm(folder, { recursive: true, force: true });
  },
);

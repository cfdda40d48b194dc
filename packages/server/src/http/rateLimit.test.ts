import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore } from '../storage/store.js';
import { describeSharedLoginRateLimit } from './rateLimit.test-support.js';

const dirs: string[] = [];

describeSharedLoginRateLimit(
  'SQLite',
  async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'outpost-rate-'));
    dirs.push(dir);
    return openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
  },
  async (store) => {
    await store.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  },
);

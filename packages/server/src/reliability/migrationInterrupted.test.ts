import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeInterruptedMigration } from './interruptedMigration.test-support.js';

describeInterruptedMigration('SQLite', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'outpost-migration-'));
  return Promise.resolve({
    databaseUrl: null,
    sqlitePath: path.join(dir, 'outpost.db'),
    drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPostgresTestDatabase } from '@outpost/test-kit';
import type { PostgresTestDatabase } from '@outpost/test-kit';
import { migrate, openStore } from '../storage/index.js';
import { createBackup, restoreBackup } from './backup.js';
import { everyFile, everyRow, fillDataFolder } from './backupRoundTrip.test-support.js';

let root: string;
let databases: PostgresTestDatabase[];
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'outpost-backup-pg-'));
  databases = [];
});
afterEach(async () => {
  for (const db of databases) await db.drop();
  rmSync(root, { recursive: true, force: true });
});

describe('outpost backup and restore (PostgreSQL)', () => {
  it('round-trips every table through pg_dump and pg_restore, blobs beside it', async () => {
    const sourceDb = await createPostgresTestDatabase();
    const targetDb = await createPostgresTestDatabase();
    databases.push(sourceDb, targetDb);
    const source = path.join(root, 'data');
    const store = await openStore({ databaseUrl: sourceDb.url, sqlitePath: '' });
    await migrate(store);
    await fillDataFolder(store, source);
    const before = await everyRow(store);
    await store.close();

    const backup = path.join(root, 'backup');
    const manifest = await createBackup({ dataDir: source, databaseUrl: sourceDb.url }, backup);
    expect(manifest.dialect).toBe('postgres');
    const target = path.join(root, 'restored');
    await restoreBackup(backup, { dataDir: target, databaseUrl: targetDb.url });
    const restored = await openStore({ databaseUrl: targetDb.url, sqlitePath: '' });
    expect(await everyRow(restored)).toEqual(before);
    await restored.close();
    expect(await everyFile(target)).toEqual(await everyFile(source));

    // A second restore into the now-filled database is refused.
    await expect(
      restoreBackup(backup, { dataDir: path.join(root, 'again'), databaseUrl: targetDb.url }),
    ).rejects.toThrow(/not empty/);
  });
});

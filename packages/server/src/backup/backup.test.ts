import { mkdtempSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, migrateWith, migrationStatus, openStore, migrations } from '../storage/index.js';
import type { Store } from '../storage/index.js';
import { createBackup, restoreBackup } from './backup.js';
import { everyFile, everyRow, fillDataFolder } from './backupRoundTrip.test-support.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'outpost-backup-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const sqliteAt = (dir: string): Promise<Store> =>
  openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });

describe('outpost backup and restore (SQLite)', () => {
  it('restores every table row and every blob and key file exactly', async () => {
    const source = path.join(root, 'data');
    const store = await sqliteAt(source);
    await migrate(store);
    await fillDataFolder(store, source);
    const before = await everyRow(store);
    const manifest = await createBackup({ dataDir: source, databaseUrl: null }, path.join(root, 'backup'));
    // Written after the backup: must not appear in the restored copy.
    await store.db
      .deleteFrom('audit_events')
      .execute()
      .catch(() => undefined);
    await store.close();
    expect(manifest.files.map((f) => f.path).sort()).toEqual(['blobs/ab/abcdef', 'outpost.db', 'server.key']);
    expect(statSync(path.join(root, 'backup', 'outpost.db')).mode & 0o077).toBe(0);

    const target = path.join(root, 'restored');
    const { migrated } = await restoreBackup(path.join(root, 'backup'), { dataDir: target, databaseUrl: null });
    expect(migrated).toEqual([]);
    const restored = await sqliteAt(target);
    expect(await everyRow(restored)).toEqual(before);
    await restored.close();
    const files = await everyFile(target);
    expect(files[path.join('blobs', 'ab', 'abcdef')]).toBe(Buffer.from([0, 1, 2, 255]).toString('base64'));
    expect(files['server.key']).toBe(Buffer.from('not a real key').toString('base64'));
  });

  it('runs the newer migrations when a backup of an older schema is restored', async () => {
    const source = path.join(root, 'old');
    const store = await sqliteAt(source);
    const all = migrations('sqlite');
    const older = Object.fromEntries(Object.entries(all).slice(0, -2));
    await migrateWith(older, store);
    await store.close();
    await createBackup({ dataDir: source, databaseUrl: null }, path.join(root, 'backup'));
    const target = path.join(root, 'new');
    const { migrated } = await restoreBackup(path.join(root, 'backup'), { dataDir: target, databaseUrl: null });
    expect(migrated).toEqual(Object.keys(all).slice(-2));
    const restored = await sqliteAt(target);
    expect((await migrationStatus(restored)).pending).toEqual([]);
    await restored.close();
  });

  it('refuses a damaged backup and a data folder that already has a database, writing nothing', async () => {
    const source = path.join(root, 'data');
    const store = await sqliteAt(source);
    await migrate(store);
    await fillDataFolder(store, source);
    await store.close();
    const backup = path.join(root, 'backup');
    await createBackup({ dataDir: source, databaseUrl: null }, backup);
    await expect(restoreBackup(backup, { dataDir: source, databaseUrl: null })).rejects.toThrow(/already exists/);
    await expect(createBackup({ dataDir: source, databaseUrl: null }, backup)).rejects.toThrow(/already exists/);

    writeFileSync(path.join(backup, 'blobs', 'ab', 'abcdef'), 'tampered');
    const target = path.join(root, 'restored');
    await expect(restoreBackup(backup, { dataDir: target, databaseUrl: null })).rejects.toThrow(/damaged/);
    expect(existsSync(path.join(target, 'outpost.db'))).toBe(false);
    await expect(restoreBackup(root, { dataDir: target, databaseUrl: null })).rejects.toThrow(/not an Outpost backup/);
  });
});

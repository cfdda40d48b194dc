import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  backupSqliteFile,
  dialectOf,
  dumpPostgres,
  migrate,
  migrationStatus,
  openStore,
  restorePostgres,
} from '../storage/index.js';

/** Where a server keeps its data: the SQLite file or a PostgreSQL URL, and the data folder. */
export interface DataLocation {
  readonly dataDir: string;
  readonly databaseUrl: string | null;
}

export interface BackupManifest {
  readonly format: 'outpost-backup-1';
  readonly createdAt: string;
  readonly dialect: 'sqlite' | 'postgres';
  /** The migrations the database had: a restore onto a newer Outpost runs the rest. */
  readonly migrations: string[];
  /** Every file of the backup but the manifest, with its SHA-256, checked on restore. */
  readonly files: Array<{ path: string; bytes: number; sha256: string }>;
}

const DATABASE_FILE = 'outpost.db';
const DUMP_FILE = 'database.pgdump';
const MANIFEST = 'manifest.json';
/** Left out: the live database (copied online instead), its journal, and uploads in progress. */
const SKIPPED = new Set([DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`, 'uploads']);

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

async function filesUnder(root: string, relative = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(root, relative), { withFileTypes: true })) {
    const child = path.join(relative, entry.name);
    if (relative === '' && SKIPPED.has(entry.name)) continue;
    if (entry.isDirectory()) out.push(...(await filesUnder(root, child)));
    else if (entry.isFile()) out.push(child);
  }
  return out;
}

async function copyInto(from: string, to: string, files: readonly string[]): Promise<void> {
  for (const file of files) {
    await mkdir(path.dirname(path.join(to, file)), { recursive: true, mode: 0o700 });
    await copyFile(path.join(from, file), path.join(to, file));
    await chmod(path.join(to, file), 0o600);
  }
}

/**
 * Writes a backup folder `target` (which must not exist): the database (SQLite's online backup, or
 * `pg_dump`), every attachment blob and key file of the data folder, and a manifest with each
 * file's SHA-256. The server may keep running.
 */
export async function createBackup(location: DataLocation, target: string): Promise<BackupManifest> {
  if (existsSync(target)) throw new Error(`${target} already exists; a backup goes into a new folder`);
  await mkdir(target, { recursive: true, mode: 0o700 });
  const dialect = dialectOf(location.databaseUrl);
  const store = await openStore({
    databaseUrl: location.databaseUrl,
    sqlitePath: path.join(location.dataDir, DATABASE_FILE),
  });
  let applied: string[];
  try {
    applied = (await migrationStatus(store)).applied.map((m) => m.name);
  } finally {
    await store.close();
  }
  if (dialect === 'postgres' && location.databaseUrl !== null)
    await dumpPostgres(location.databaseUrl, path.join(target, DUMP_FILE));
  else await backupSqliteFile(path.join(location.dataDir, DATABASE_FILE), path.join(target, DATABASE_FILE));
  // Backups hold everything the server holds: readable by its owner only.
  await chmod(path.join(target, dialect === 'postgres' ? DUMP_FILE : DATABASE_FILE), 0o600);
  const dataFiles = existsSync(location.dataDir) ? await filesUnder(location.dataDir) : [];
  await copyInto(location.dataDir, target, dataFiles);
  const files = [];
  for (const file of [dialect === 'postgres' ? DUMP_FILE : DATABASE_FILE, ...dataFiles]) {
    const full = path.join(target, file);
    files.push({ path: file.split(path.sep).join('/'), bytes: (await stat(full)).size, sha256: await sha256(full) });
  }
  const manifest: BackupManifest = {
    format: 'outpost-backup-1',
    createdAt: new Date().toISOString(),
    dialect,
    migrations: applied,
    files,
  };
  await writeFile(path.join(target, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  return manifest;
}

async function readManifest(source: string): Promise<BackupManifest> {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(await readFile(path.join(source, MANIFEST), 'utf8')) as BackupManifest;
  } catch {
    throw new Error(`${source} is not an Outpost backup (no readable ${MANIFEST})`);
  }
  if (manifest.format !== 'outpost-backup-1')
    throw new Error(`${source}: unknown backup format "${String(manifest.format)}"`);
  for (const file of manifest.files) {
    const full = path.join(source, ...file.path.split('/'));
    if (!existsSync(full) || (await sha256(full)) !== file.sha256) {
      throw new Error(`${source}: ${file.path} is missing or damaged; nothing was restored`);
    }
  }
  return manifest;
}

/**
 * Restores a backup into `location`, whose data folder holds no database and whose PostgreSQL
 * database (when one is named) is empty, then runs the migrations this Outpost has and the backup
 * lacks. Every file is checked against the manifest before anything is written.
 */
export async function restoreBackup(source: string, location: DataLocation): Promise<{ migrated: string[] }> {
  const manifest = await readManifest(source);
  const dialect = dialectOf(location.databaseUrl);
  if (manifest.dialect !== dialect) {
    throw new Error(`this backup is of a ${manifest.dialect} database; restore it onto ${manifest.dialect}`);
  }
  const databaseFile = path.join(location.dataDir, DATABASE_FILE);
  if (dialect === 'sqlite' && existsSync(databaseFile)) {
    throw new Error(`${databaseFile} already exists; restore into an empty data folder`);
  }
  if (dialect === 'postgres' && location.databaseUrl !== null) {
    const store = await openStore({ databaseUrl: location.databaseUrl, sqlitePath: databaseFile });
    try {
      if ((await migrationStatus(store)).applied.length > 0) {
        throw new Error('the target PostgreSQL database is not empty; restore into a new database');
      }
    } finally {
      await store.close();
    }
  }
  await mkdir(location.dataDir, { recursive: true, mode: 0o700 });
  const others = manifest.files.map((f) => f.path).filter((f) => f !== DATABASE_FILE && f !== DUMP_FILE);
  try {
    if (dialect === 'postgres' && location.databaseUrl !== null) {
      await restorePostgres(location.databaseUrl, path.join(source, DUMP_FILE));
    } else {
      await copyFile(path.join(source, DATABASE_FILE), databaseFile);
      await chmod(databaseFile, 0o600);
    }
    await copyInto(
      source,
      location.dataDir,
      others.map((f) => f.split('/').join(path.sep)),
    );
  } catch (err) {
    if (dialect === 'sqlite') await rm(databaseFile, { force: true });
    throw err;
  }
  const store = await openStore({ databaseUrl: location.databaseUrl, sqlitePath: databaseFile });
  try {
    return { migrated: (await migrate(store)).applied };
  } finally {
    await store.close();
  }
}

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Kysely, Migration } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateWith, migrationStatus } from '../storage/migrate.js';
import { migrations } from '../storage/migrations/migrations.js';
import type { Store } from '../storage/store.js';
import { migrate, openStore } from '../storage/store.js';

// R6 on one database backend: a server upgrade whose newest migration is interrupted (a fault
// half way through it, or kill -9 of the process inside it) leaves the database at the previous
// version, and the next start completes the upgrade.

const child = fileURLToPath(new URL('./slowMigration.test-support.mjs', import.meta.url));
const builtServer = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

export interface EmptyDatabase {
  /** null for SQLite. */
  databaseUrl: string | null;
  sqlitePath: string;
  drop(): Promise<void>;
}

function newestOf(all: Record<string, Migration>): string {
  const name = Object.keys(all).sort().at(-1);
  if (name === undefined) throw new Error('no migrations');
  return name;
}

async function expectPreviousVersion(store: Store): Promise<void> {
  const newest = newestOf(migrations(store.dialect));
  const status = await migrationStatus(store);
  expect(status.pending).toEqual([newest]);
  expect(status.applied.map((m) => m.name)).not.toContain(newest);
}

/**
 * The next start upgrades. Had the interrupted run left any of the newest migration's changes
 * behind, running it again would fail (the column or table would already exist).
 */
async function expectUpgradeCompletes(store: Store): Promise<void> {
  const newest = newestOf(migrations(store.dialect));
  expect(await migrate(store)).toEqual({ applied: [newest] });
  expect((await migrationStatus(store)).pending).toEqual([]);
  expect(await migrate(store)).toEqual({ applied: [] });
}

export function describeInterruptedMigration(name: string, open: () => Promise<EmptyDatabase>): void {
  describe(`interrupted migration on ${name} (R6)`, () => {
    it('a newest migration that fails half way leaves the previous version; the next start completes it', async () => {
      const database = await open();
      const store = await openStore(database);
      try {
        const all = migrations(store.dialect);
        const newest = newestOf(all);
        const older = Object.fromEntries(Object.entries(all).filter(([n]) => n !== newest));
        await migrateWith(older, store);
        const failing: Record<string, Migration> = {
          ...all,
          [newest]: {
            async up(db: Kysely<unknown>): Promise<void> {
              await all[newest]?.up(db);
              throw new Error('disk full half way through the migration');
            },
          },
        };
        await expect(migrateWith(failing, store)).rejects.toThrow('disk full');
        await expectPreviousVersion(store);
        await expectUpgradeCompletes(store);
      } finally {
        await store.close();
        await database.drop();
      }
    });

    it('kill -9 inside the newest migration leaves the previous version; the next start completes it', async () => {
      if (!existsSync(builtServer)) {
        throw new Error(
          `${builtServer} is missing: run \`npm run build\` first (the killed process runs the built server)`,
        );
      }
      const database = await open();
      try {
        const proc = spawn(process.execPath, [child, database.databaseUrl ?? '-', database.sqlitePath], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let log = '';
        proc.stderr.setEncoding('utf8');
        proc.stderr.on('data', (chunk: string) => (log += chunk));
        const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`the migration never got half way:\n${log}`)), 30_000);
          createInterface({ input: proc.stdout }).on('line', (line) => {
            log += `${line}\n`;
            if (line === 'half-way') {
              clearTimeout(timer);
              resolve();
            }
          });
          proc.once('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`the migration process exited (${code}) early:\n${log}`));
          });
        });
        proc.kill('SIGKILL');
        await exited;

        const store = await openStore(database);
        try {
          await expectPreviousVersion(store);
          await expectUpgradeCompletes(store);
        } finally {
          await store.close();
        }
      } finally {
        await database.drop();
      }
    });
  });
}

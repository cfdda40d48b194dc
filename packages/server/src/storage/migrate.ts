import { Migrator } from 'kysely';
import type { Migration } from 'kysely';
import type { Store } from './store.js';
import { migrations } from './migrations/migrations.js';

function migratorFor(all: Record<string, Migration>, store: Store): Migrator {
  return new Migrator({ db: store.db, provider: { getMigrations: () => Promise.resolve(all) } });
}

/**
 * Applies pending migrations in order, each in its own transaction (on both dialects), so an
 * interrupted run leaves the last migration either fully applied or not at all. Safe to run again
 * and from several processes at once (the migrator takes a lock). Call it on the root store.
 */
export function migrate(store: Store): Promise<{ applied: string[] }> {
  return migrateWith(migrations(store.dialect), store);
}

/** migrate() with a given set of migrations, for tests of the migration machinery itself. */
export async function migrateWith(all: Record<string, Migration>, store: Store): Promise<{ applied: string[] }> {
  const migrator = migratorFor(all, store);
  const applied: string[] = [];
  for (;;) {
    // One step per call: Kysely runs all pending migrations in a single transaction otherwise.
    const { error, results = [] } = await migrator.migrateUp();
    for (const result of results) {
      if (result.status === 'Success') applied.push(result.migrationName);
    }
    if (error !== undefined) throw error instanceof Error ? error : new Error('migration failed', { cause: error });
    if (results.length === 0) return { applied };
  }
}

export interface MigrationStatus {
  applied: Array<{ name: string; at: string }>;
  pending: string[];
}

export async function migrationStatus(store: Store): Promise<MigrationStatus> {
  const infos = await migratorFor(migrations(store.dialect), store).getMigrations();
  return {
    applied: infos.flatMap((m) =>
      m.executedAt === undefined ? [] : [{ name: m.name, at: m.executedAt.toISOString() }],
    ),
    pending: infos.filter((m) => m.executedAt === undefined).map((m) => m.name),
  };
}

// Run by migrationInterrupted tests as a child process (plain JS on the built server, so it can be
// killed with SIGKILL): brings the database to the previous release's schema, then runs the newest
// migration and waits inside it, so the parent can kill the process half way through.
// Usage: node slowMigration.test-support.mjs <database url or -> <sqlite path>
import { migrateWith, migrations, openStore } from '@outpost/server';

const [databaseUrl = '-', sqlitePath = ':memory:'] = process.argv.slice(2);
const store = await openStore({ databaseUrl: databaseUrl === '-' ? null : databaseUrl, sqlitePath });
const all = migrations(store.dialect);
const names = Object.keys(all).sort();
const newest = names[names.length - 1];
await migrateWith(Object.fromEntries(names.slice(0, -1).map((n) => [n, all[n]])), store);
process.stdout.write('previous-version\n');
await migrateWith(
  {
    ...all,
    [newest]: {
      async up(db) {
        await all[newest].up(db);
        process.stdout.write('half-way\n');
        // Long enough for the parent to kill us; bounded so nothing waits forever.
        await new Promise((resolve) => setTimeout(resolve, 60_000));
        throw new Error('the parent never killed this process');
      },
    },
  },
  store,
);

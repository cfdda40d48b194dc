import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../store.js';

// What a user may see and do is read from memberships (and their areas), roles, areas, the
// projects' policy settings and the published form versions. Server processes keep what they
// built from those rows for as long as the counter `access` (see accessStamp) is unchanged, so
// every write to them bumps it in the same transaction: by trigger, whatever writes them (the
// server, the CLI, a seed, an operator's SQL), so no write path can forget it.

/** The counter every such write bumps; storage/queries/accessStamp.ts reads it. Never rename. */
const ACCESS_COUNTER = 'access';

/** Tables (and, for projects, the column) whose writes change what access is built from. */
const watched: ReadonlyArray<{ table: string; updateOf?: string }> = [
  { table: 'memberships' },
  { table: 'membership_areas' },
  { table: 'roles' },
  { table: 'areas' },
  { table: 'projects', updateOf: 'policy' },
  { table: 'forms' },
  { table: 'form_versions' },
];

const events = ['insert', 'update', 'delete'] as const;

function triggerName(table: string, event: string): string {
  return `${table}_${event}_access`;
}

export function accessStamp(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql`insert into counters (name, value) values (${ACCESS_COUNTER}, 1) on conflict (name) do nothing`.execute(
        db,
      );
      if (dialect === 'postgres') {
        await sql`create function outpost_bump_access() returns trigger language plpgsql as $$
          begin
            update counters set value = value + 1 where name = ${sql.lit(ACCESS_COUNTER)};
            return null;
          end $$`.execute(db);
        for (const { table, updateOf } of watched) {
          // Once per statement; truncate too (it fires no row triggers).
          const on = sql.raw(`insert or update${updateOf === undefined ? '' : ` of ${updateOf}`} or delete`);
          await sql`create trigger ${sql.id(`${table}_access`)} after ${on} on ${sql.id(table)}
            for each statement execute procedure outpost_bump_access()`.execute(db);
          await sql`create trigger ${sql.id(`${table}_truncate_access`)} after truncate on ${sql.id(table)}
            for each statement execute procedure outpost_bump_access()`.execute(db);
        }
        return;
      }
      for (const { table, updateOf } of watched) {
        for (const event of events) {
          const on = sql.raw(event === 'update' && updateOf !== undefined ? `update of ${updateOf}` : event);
          await sql`create trigger ${sql.id(triggerName(table, event))} after ${on} on ${sql.id(table)}
            begin
              update counters set value = value + 1 where name = ${sql.lit(ACCESS_COUNTER)};
            end`.execute(db);
        }
      }
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const { table } of watched) {
        if (dialect === 'postgres') {
          await sql`drop trigger if exists ${sql.id(`${table}_access`)} on ${sql.id(table)}`.execute(db);
          await sql`drop trigger if exists ${sql.id(`${table}_truncate_access`)} on ${sql.id(table)}`.execute(db);
        } else {
          for (const event of events)
            await sql`drop trigger if exists ${sql.id(triggerName(table, event))}`.execute(db);
        }
      }
      if (dialect === 'postgres') await sql`drop function if exists outpost_bump_access()`.execute(db);
      await sql`delete from counters where name = ${ACCESS_COUNTER}`.execute(db);
    },
  };
}

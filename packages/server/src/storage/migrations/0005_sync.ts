import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../store.js';

// Sync bookkeeping.
//
// `device_sync`: per device, the highest device sequence the server has acknowledged, so a push
// that starts far above it (a reinstalled or wiped device) can be noticed and audited.
//
// `entity_scope_log`: where an entity was before each change of its area, team or assignee (or
// before it was deleted), stamped with the entity commit sequence of that change. A pull turns
// the rows after a device's cursor into evictions when the old place was in the user's reach and
// the new one is not. A trigger writes it, so every writer (submissions, the cases API, the CLI,
// a bulk import) is covered without having to remember; the old area is stored as its path so a
// later move of the area itself does not rewrite history.
export function sync(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('device_sync')
        .addColumn('device_key', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('acked_seq', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('entity_scope_log')
        .addColumn('entity_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('old_area_path', 'text')
        .addColumn('old_team', 'text')
        .addColumn('old_assignee_id', 'text')
        .addColumn('deleted', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('entity_scope_log_seq_idx').on('entity_scope_log').column('seq').execute();
      await db.schema.createIndex('entities_conflict_idx').on('entities').column('conflict').execute();
      await db.schema.createIndex('entity_backlog_held_at_idx').on('entity_backlog').column('held_at').execute();

      if (dialect === 'postgres') {
        await sql`
          create or replace function outpost_entity_scope_log() returns trigger language plpgsql as $$
          begin
            if old.area_id is distinct from new.area_id
               or old.team is distinct from new.team
               or old.assignee_id is distinct from new.assignee_id
               or (old.deleted_at is null and new.deleted_at is not null) then
              insert into entity_scope_log (entity_id, seq, old_area_path, old_team, old_assignee_id, deleted)
              values (old.id, new.seq, (select path from areas where id = old.area_id), old.team,
                      old.assignee_id, case when new.deleted_at is null then 0 else 1 end);
            end if;
            return new;
          end $$`.execute(db);
        await sql`
          create trigger entities_scope_log after update on entities
          for each row execute function outpost_entity_scope_log()`.execute(db);
      } else {
        await sql`
          create trigger entities_scope_log after update on entities for each row
          when old.area_id is not new.area_id
            or old.team is not new.team
            or old.assignee_id is not new.assignee_id
            or (old.deleted_at is null and new.deleted_at is not null)
          begin
            insert into entity_scope_log (entity_id, seq, old_area_path, old_team, old_assignee_id, deleted)
            values (old.id, new.seq, (select path from areas where id = old.area_id), old.team,
                    old.assignee_id, case when new.deleted_at is null then 0 else 1 end);
          end`.execute(db);
      }
    },
  };
}

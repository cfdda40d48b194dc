import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';

// A membership's scope as an administrator sets it (issue 8): several area subtrees (a supervisor
// of a few khoroos), a team, or the member's own assignments only.
//
// `membership_areas` holds the area subtrees, one row each; `memberships.whole_project` says
// whether the membership reaches the whole project. A membership that does not has its areas, its
// team and the member's own assignments: own assignments only when it has neither. The old single
// `memberships.area_id` is copied into `membership_areas` and no longer used (SQLite cannot drop a
// column that a foreign key names); it is left null from here on.
export const membershipScopes: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('membership_areas')
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('area_id', 'text', (c) => c.notNull().references('areas.id'))
      .addPrimaryKeyConstraint('membership_areas_pk', ['user_id', 'project_id', 'area_id'])
      .addForeignKeyConstraint('membership_areas_membership_fk', ['user_id', 'project_id'], 'memberships', [
        'user_id',
        'project_id',
      ])
      .execute();
    await db.schema
      .alterTable('memberships')
      .addColumn('whole_project', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await sql`insert into membership_areas (user_id, project_id, area_id)
      select user_id, project_id, area_id from memberships where area_id is not null`.execute(db);
    await sql`update memberships set whole_project = 0 where area_id is not null or team is not null`.execute(db);
    await sql`update memberships set area_id = null where area_id is not null`.execute(db);
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await sql`update memberships set area_id = (
      select min(area_id) from membership_areas a
      where a.user_id = memberships.user_id and a.project_id = memberships.project_id)`.execute(db);
    await db.schema.alterTable('memberships').dropColumn('whole_project').execute();
    await db.schema.dropTable('membership_areas').execute();
  },
};

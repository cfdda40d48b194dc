import { sql, type Kysely, type Migration } from 'kysely';

// A submission may make several entity changes (entities in repeats, several lists per form), so
// the backlog holds one row per (submission, entity) instead of one per submission. The table is
// rebuilt (SQLite cannot change a primary key), on both databases alike.
async function rebuild(db: Kysely<unknown>, primaryKey: string[]): Promise<void> {
  await db.schema
    .createTable('entity_backlog_next')
    .addColumn('submission_id', 'text', (c) => c.notNull().references('submissions.instance_id'))
    .addColumn('list_id', 'text', (c) => c.notNull().references('entity_lists.id'))
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('base_version', 'integer')
    .addColumn('trunk_version', 'integer')
    .addColumn('branch_id', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('held_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('entity_backlog_next_pk', primaryKey as never)
    .execute();
  await sql`insert into entity_backlog_next (submission_id, list_id, entity_id, base_version, trunk_version, branch_id, reason, held_at)
    select submission_id, list_id, entity_id, base_version, trunk_version, branch_id, reason, held_at from entity_backlog`.execute(
    db,
  );
  await db.schema.dropTable('entity_backlog').execute();
  await db.schema.alterTable('entity_backlog_next').renameTo('entity_backlog').execute();
  await db.schema
    .createIndex('entity_backlog_entity_idx')
    .on('entity_backlog')
    .columns(['entity_id', 'branch_id', 'base_version'])
    .execute();
  await db.schema.createIndex('entity_backlog_held_at_idx').on('entity_backlog').column('held_at').execute();
}

export const backlogPerEntity: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await rebuild(db, ['submission_id', 'entity_id']);
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await rebuild(db, ['submission_id']);
  },
};

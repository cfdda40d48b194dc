import type { Kysely, Migration } from 'kysely';

// Every version of every entity, and the submissions whose entity update could not be applied
// yet. The entities table keeps only the current state; deciding whether an offline update
// conflicts needs the state at its base version, and the conflict inbox needs the history.
export const entityVersions: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('entity_versions')
      .addColumn('entity_id', 'text', (c) => c.notNull().references('entities.id'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('properties', 'text', (c) => c.notNull())
      // What the submission itself said, before merging into the previous version.
      .addColumn('data_received', 'text', (c) => c.notNull())
      .addColumn('base_version', 'integer')
      .addColumn('trunk_version', 'integer')
      .addColumn('branch_id', 'text')
      // The baseVersion as the device numbered it inside its offline branch.
      .addColumn('branch_base_version', 'integer')
      .addColumn('conflict', 'text')
      .addColumn('conflicting_properties', 'text')
      // No foreign key: the submission row is written in the same transaction, and entity
      // versions may later come from other sources (bulk upload, API edits).
      .addColumn('submission_id', 'text')
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('entity_versions_pk', ['entity_id', 'version'])
      .execute();
    await db.schema
      .createIndex('entity_versions_submission_idx')
      .on('entity_versions')
      .column('submission_id')
      .execute();
    await db.schema
      .createIndex('entity_versions_branch_idx')
      .on('entity_versions')
      .columns(['entity_id', 'branch_id', 'branch_base_version'])
      .execute();

    await db.schema
      .createTable('entity_backlog')
      .addColumn('submission_id', 'text', (c) => c.primaryKey().references('submissions.instance_id'))
      .addColumn('list_id', 'text', (c) => c.notNull().references('entity_lists.id'))
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('base_version', 'integer')
      .addColumn('trunk_version', 'integer')
      .addColumn('branch_id', 'text')
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('held_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('entity_backlog_entity_idx')
      .on('entity_backlog')
      .columns(['entity_id', 'branch_id', 'base_version'])
      .execute();
  },
};

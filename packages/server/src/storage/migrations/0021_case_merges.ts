import type { Kysely, Migration } from 'kysely';

// Duplicate cases merged (issue 12 point 2): one row per merge, kept after it is undone. The
// duplicate stays in `entities` (soft-deleted while merged, so it leaves lists and devices) with
// every version and submission; `taken` is what the survivor took from it (JSON: property →
// {before, value}), so an undo restores the survivor's blanks exactly.
export const caseMerges: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('case_merges')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('duplicate_id', 'text', (c) => c.notNull().references('entities.id'))
      .addColumn('survivor_id', 'text', (c) => c.notNull().references('entities.id'))
      .addColumn('duplicate_version', 'integer', (c) => c.notNull())
      .addColumn('survivor_version', 'integer', (c) => c.notNull())
      .addColumn('taken', 'text', (c) => c.notNull())
      .addColumn('merged_by', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('merged_at', 'text', (c) => c.notNull())
      .addColumn('undone_by', 'text', (c) => c.references('users.id'))
      .addColumn('undone_at', 'text')
      .execute();
    await db.schema.createIndex('case_merges_duplicate').on('case_merges').column('duplicate_id').execute();
    await db.schema.createIndex('case_merges_survivor').on('case_merges').column('survivor_id').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('case_merges').execute();
  },
};

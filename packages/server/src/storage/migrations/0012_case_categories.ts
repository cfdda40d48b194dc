import type { Kysely, Migration } from 'kysely';

// Categories as controlled tags per project (issue 11): an administrator defines each one, with its
// name in every language; a case's `categories` column holds the codes it is tagged with. Folders
// use the `folders` and `folder_entities` tables of 0001.
export const caseCategories: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('case_categories')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('names', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('case_categories_pk', ['project_id', 'code'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('case_categories').execute();
  },
};

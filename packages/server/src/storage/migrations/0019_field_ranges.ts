import type { Kysely, Migration } from 'kysely';

// Min–max per field as an administrator sets it (issue 12, as DHIS2 keeps min–max per data
// element): one row per question of a form, bounds as text (a number, or a date YYYY-MM-DD), used
// by the out-of-range report beside the ranges the form's own constraints set.
export const fieldRanges: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('field_ranges')
      .addColumn('form_id', 'text', (c) => c.notNull().references('forms.id'))
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('min', 'text')
      .addColumn('max', 'text')
      .addColumn('updated_by', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('field_ranges_pk', ['form_id', 'path'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('field_ranges').execute();
  },
};

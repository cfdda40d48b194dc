import type { Kysely, Migration } from 'kysely';

// Form media (issue 13): the images, audio, video and static CSV/GeoJSON files an XForm names as
// `jr://images/…`, `jr://file/…` and so on, one row per file of a form version. The bytes are in
// the content-addressed blob store under `sha256`; `md5` is what the OpenRosa manifest shows.
export const formMedia: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('form_media')
      .addColumn('form_version_id', 'text', (c) => c.notNull().references('form_versions.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('md5', 'text', (c) => c.notNull())
      .addColumn('bytes', 'integer', (c) => c.notNull())
      .addColumn('content_type', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('form_media_pk', ['form_version_id', 'name'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('form_media').execute();
  },
};

import type { Kysely, Migration } from 'kysely';

// Attachments: which file (by SHA-256) a submission carries under which name. No foreign key to
// submissions: a file may finish uploading before its submission arrives, and is linked by
// (instance_id, name) either way. The bytes live in the BlobStore, once per hash.
export const attachments: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('attachments')
      .addColumn('instance_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('bytes', 'integer', (c) => c.notNull())
      .addColumn('content_type', 'text', (c) => c.notNull())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('created_by', 'text', (c) => c.references('users.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('attachments_pk', ['instance_id', 'name'])
      .execute();
    await db.schema.createIndex('attachments_hash_idx').on('attachments').columns(['project_id', 'sha256']).execute();

    // Finished uploads, so a device whose last response was lost learns its upload is complete
    // instead of starting it again.
    await db.schema
      .createTable('attachment_uploads')
      .addColumn('upload_id', 'text', (c) => c.primaryKey())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('bytes', 'integer', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.references('users.id'))
      .addColumn('finished_at', 'text', (c) => c.notNull())
      .execute();

    // Thumbnails are blobs too; this maps an original's hash to its thumbnail's.
    await db.schema
      .createTable('attachment_thumbnails')
      .addColumn('sha256', 'text', (c) => c.primaryKey())
      .addColumn('thumbnail_sha256', 'text', (c) => c.notNull())
      .addColumn('bytes', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('attachment_thumbnails').execute();
    await db.schema.dropTable('attachment_uploads').execute();
    await db.schema.dropTable('attachments').execute();
  },
};

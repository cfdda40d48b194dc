import type { Kysely, Migration } from 'kysely';

// Feed keys (issue 12): a revocable key per user for the OData feed, sent by Power BI and Excel
// as a "Web API" key so that a scheduled refresh needs no password and no gateway. Only the
// key's SHA-256 is stored; the key itself is shown once.
export const feedKeys: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('feed_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('key_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text')
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('feed_keys_user_idx').on('feed_keys').column('user_id').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('feed_keys').execute();
  },
};

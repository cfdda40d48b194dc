import type { Kysely, Migration } from 'kysely';

// Request counts per key (a limited route and a caller's address) in fixed windows, kept in the
// database so that every process behind a load balancer counts the same requests (issue 14).
// Times are epoch milliseconds; rows whose window has ended are pruned.
export const rateLimits: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('rate_limits')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('hits', 'integer', (c) => c.notNull())
      .addColumn('window_ends_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('rate_limits_window_ends_at').on('rate_limits').column('window_ends_at').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('rate_limits').execute();
  },
};

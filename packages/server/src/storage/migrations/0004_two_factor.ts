import type { Kysely, Migration } from 'kysely';

// Two-factor sign-in: an enrolment waiting for its first code, the last time step used (so a
// code cannot be replayed), and per session whether the second factor was satisfied.
export const twoFactor: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('users').addColumn('totp_pending_secret', 'text').execute();
    await db.schema.alterTable('users').addColumn('totp_last_step', 'bigint').execute();
    await db.schema
      .alterTable('sessions')
      .addColumn('mfa_ok', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('sessions').dropColumn('mfa_ok').execute();
    await db.schema.alterTable('users').dropColumn('totp_last_step').execute();
    await db.schema.alterTable('users').dropColumn('totp_pending_secret').execute();
  },
};

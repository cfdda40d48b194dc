import type { Kysely, Migration } from 'kysely';

// A project's policy settings (core/policy `ProjectPolicy`: role overrides, evidence lists) as
// JSON text; null means the built-in defaults. Read by server/policy/projectPolicy.ts.
export const projectPolicy: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('projects').addColumn('policy', 'text').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('projects').dropColumn('policy').execute();
  },
};

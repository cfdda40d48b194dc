import type { Kysely, Migration } from 'kysely';

// Which entity versions were forced out of the backlog after the timeout (ODK Central's
// entity_def_sources.forceProcessed): a late create of a case created by force is applied as an
// update of it, and the history shows the version as forced (docs/entities.md).
export const forcedEntityVersions: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('entity_versions')
      .addColumn('forced', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('entity_versions').dropColumn('forced').execute();
  },
};

import type { Kysely, Migration } from 'kysely';

// A project's offline basemap: the PMTiles archive's hash in the blob store and its size; null
// when the project has none. Read and written by storage/queries/projects.ts (projectBasemap).
export const projectBasemap: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('projects').addColumn('basemap_sha256', 'text').execute();
    await db.schema.alterTable('projects').addColumn('basemap_bytes', 'bigint').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('projects').dropColumn('basemap_bytes').execute();
    await db.schema.alterTable('projects').dropColumn('basemap_sha256').execute();
  },
};

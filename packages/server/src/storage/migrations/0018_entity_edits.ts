import type { Kysely, Migration } from 'kysely';

// Entity edits from the API and the case page (issue 10 point 5, issue 11 point 4): what made each
// version, as ODK Central's entity version `source` tells it. `source` is null for versions made
// before this migration (their source is derived: forced, submission, submission edit, resolved);
// `edit` for a change through `PATCH …/cases/:id` or a case action, `resolved` for a resolved
// conflict, `import` for the state a case had before its history was kept. `action` names the case
// action of an edit (edit, assign, transfer, close, reopen, tag).
export const entityEdits: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('entity_versions').addColumn('source', 'text').execute();
    await db.schema.alterTable('entity_versions').addColumn('action', 'text').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('entity_versions').dropColumn('action').execute();
    await db.schema.alterTable('entity_versions').dropColumn('source').execute();
  },
};

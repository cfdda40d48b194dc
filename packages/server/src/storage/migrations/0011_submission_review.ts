import type { Kysely, Migration } from 'kysely';

// Review and cleaning of submissions (issue 12), as ODK Central has it: a review state on each
// stored submission (null is Central's "received"; hasIssues, edited, approved, rejected) and
// comments by reviewers. An edit is a new row whose `replaces` names the row it supersedes; the
// review state and comments of the whole chain are read together (queries/submissionReview.ts).
export const submissionReview: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('submissions').addColumn('review_state', 'text').execute();
    await db.schema
      .createTable('submission_comments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('instance_id', 'text', (c) => c.notNull().references('submissions.instance_id'))
      .addColumn('author_id', 'text')
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('submission_comments_instance_idx')
      .on('submission_comments')
      .column('instance_id')
      .execute();
    await db.schema
      .createIndex('submissions_form_version_seq_idx')
      .on('submissions')
      .columns(['form_version_id', 'seq'])
      .execute();
    // One edit per version: two edits of the same version at once, the second is refused.
    await db.schema.createIndex('submissions_replaces_unique').on('submissions').column('replaces').unique().execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('submissions_replaces_unique').execute();
    await db.schema.dropIndex('submissions_form_version_seq_idx').execute();
    await db.schema.dropTable('submission_comments').execute();
    await db.schema.alterTable('submissions').dropColumn('review_state').execute();
  },
};

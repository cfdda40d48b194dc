import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../storage/schema.js';
import type { Store } from '../storage/store.js';
import type { EntityVersionsTable } from '../storage/queries/submissions.js';

// Tables added by migration 0008; declared here until schema.ts lists them.
export interface AttachmentsTable {
  /** The XForm instanceID of the submission that carries the file (it may not have arrived yet). */
  instance_id: string;
  /** The file name the instance uses for it. */
  name: string;
  sha256: string;
  bytes: number;
  content_type: string;
  project_id: string;
  created_by: string | null;
  created_at: string;
}

export interface AttachmentUploadsTable {
  upload_id: string;
  sha256: string;
  bytes: number;
  created_by: string | null;
  finished_at: string;
}

export interface AttachmentThumbnailsTable {
  sha256: string;
  thumbnail_sha256: string;
  bytes: number;
  created_at: string;
}

type AttachmentTables = {
  attachments: AttachmentsTable;
  attachment_uploads: AttachmentUploadsTable;
  attachment_thumbnails: AttachmentThumbnailsTable;
  entity_versions: EntityVersionsTable;
};

function db(store: Store): Kysely<Database & AttachmentTables> {
  return store.db.withTables<AttachmentTables>();
}

export type AttachmentRow = Selectable<AttachmentsTable>;
export type AttachmentUploadRow = Selectable<AttachmentUploadsTable>;
export type AttachmentThumbnailRow = Selectable<AttachmentThumbnailsTable>;

function numeric<T extends { bytes: number }>(row: T): T {
  return { ...row, bytes: Number(row.bytes) };
}

export async function findAttachment(
  instanceId: string,
  name: string,
  store: Store,
): Promise<AttachmentRow | undefined> {
  const row = await db(store)
    .selectFrom('attachments')
    .selectAll()
    .where('instance_id', '=', instanceId)
    .where('name', '=', name)
    .executeTakeFirst();
  return row === undefined ? undefined : numeric(row);
}

export async function insertAttachment(row: AttachmentRow, store: Store): Promise<void> {
  await db(store).insertInto('attachments').values(row).execute();
}

export async function listAttachmentsOfInstance(instanceId: string, store: Store): Promise<AttachmentRow[]> {
  const rows = await db(store)
    .selectFrom('attachments')
    .selectAll()
    .where('instance_id', '=', instanceId)
    .orderBy('name')
    .execute();
  return rows.map(numeric);
}

/** Who is asking, as far as reading attachments goes. */
export interface AttachmentReader {
  readonly userId: string;
  /** The areas whose records the reader sees; null for the whole project. */
  readonly areaIds: readonly string[] | null;
}

/**
 * The attachment row with this hash in this project that `reader` may see, if any. A file is
 * visible to whoever uploaded it, and to members who may read the submission that carries it:
 * the whole project for an unrestricted member, otherwise the submitter or members whose area
 * holds the entity the submission created or updated. A file of another project, or of a record
 * outside the reader's area, is not found (S1).
 */
export async function findReadableAttachment(
  reader: AttachmentReader,
  projectId: string,
  sha256: string,
  store: Store,
): Promise<AttachmentRow | undefined> {
  const rows = await db(store)
    .selectFrom('attachments')
    .leftJoin('submissions', (join) =>
      join
        .onRef('submissions.instance_id', '=', 'attachments.instance_id')
        .onRef('submissions.project_id', '=', 'attachments.project_id'),
    )
    .selectAll('attachments')
    .select(['submissions.instance_id as submission_id', 'submissions.user_id as submitted_by'])
    .where('attachments.project_id', '=', projectId)
    .where('attachments.sha256', '=', sha256)
    .orderBy('attachments.created_at')
    .limit(100)
    .execute();
  const withSubmission: typeof rows = [];
  for (const row of rows) {
    const { submission_id, submitted_by, ...attachment } = row;
    if (row.created_by === reader.userId) return numeric(attachment);
    if (submission_id === null) continue;
    if (reader.areaIds === null || submitted_by === reader.userId) return numeric(attachment);
    withSubmission.push(row);
  }
  if (reader.areaIds === null || reader.areaIds.length === 0) return undefined;
  for (const row of withSubmission) {
    const inArea = await db(store)
      .selectFrom('entity_versions')
      .innerJoin('entities', 'entities.id', 'entity_versions.entity_id')
      .select('entities.id')
      .where('entity_versions.submission_id', '=', row.instance_id)
      .where('entities.area_id', 'in', [...reader.areaIds])
      .executeTakeFirst();
    if (inArea !== undefined) {
      const { submission_id: _s, submitted_by: _b, ...attachment } = row;
      return numeric(attachment);
    }
  }
  return undefined;
}

export async function findFinishedUpload(uploadId: string, store: Store): Promise<AttachmentUploadRow | undefined> {
  const row = await db(store)
    .selectFrom('attachment_uploads')
    .selectAll()
    .where('upload_id', '=', uploadId)
    .executeTakeFirst();
  return row === undefined ? undefined : numeric(row);
}

export async function insertFinishedUpload(row: AttachmentUploadRow, store: Store): Promise<void> {
  await db(store)
    .insertInto('attachment_uploads')
    .values(row)
    .onConflict((oc) => oc.column('upload_id').doNothing())
    .execute();
}

export async function findThumbnail(sha256: string, store: Store): Promise<AttachmentThumbnailRow | undefined> {
  const row = await db(store)
    .selectFrom('attachment_thumbnails')
    .selectAll()
    .where('sha256', '=', sha256)
    .executeTakeFirst();
  return row === undefined ? undefined : numeric(row);
}

export async function insertThumbnail(row: AttachmentThumbnailRow, store: Store): Promise<void> {
  await db(store)
    .insertInto('attachment_thumbnails')
    .values(row)
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
}

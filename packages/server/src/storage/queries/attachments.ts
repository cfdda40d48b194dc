import type { Selectable } from 'kysely';
import type { AttachmentThumbnailsTable, AttachmentUploadsTable, AttachmentsTable } from '../schema.js';
import type { Store } from '../store.js';

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
  const row = await store.db
    .selectFrom('attachments')
    .selectAll()
    .where('instance_id', '=', instanceId)
    .where('name', '=', name)
    .executeTakeFirst();
  return row === undefined ? undefined : numeric(row);
}

export async function insertAttachment(row: AttachmentRow, store: Store): Promise<void> {
  await store.db.insertInto('attachments').values(row).execute();
}

export async function listAttachmentsOfInstance(instanceId: string, store: Store): Promise<AttachmentRow[]> {
  const rows = await store.db
    .selectFrom('attachments')
    .selectAll()
    .where('instance_id', '=', instanceId)
    .orderBy('name')
    .execute();
  return rows.map(numeric);
}

/** Every row that names the blob `sha256` in the project, oldest first (at most `limit`). */
export async function listAttachmentsByHash(
  projectId: string,
  sha256: string,
  limit: number,
  store: Store,
): Promise<AttachmentRow[]> {
  const rows = await store.db
    .selectFrom('attachments')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('sha256', '=', sha256)
    .orderBy('created_at')
    .orderBy('instance_id')
    .orderBy('name')
    .limit(limit)
    .execute();
  return rows.map(numeric);
}

/** A stored submission and where its case is now: what the policy decides its files by. */
export interface SubmissionPlacement {
  instance_id: string;
  project_id: string;
  /** Who sent it (the `own` scope of a submission and its files). */
  user_id: string | null;
  /** The JSON projection of the instance (`submissions.data`). */
  data: string;
  /** The entity list, area path, team and assignee of the case it created or updated, if any. */
  list_name: string | null;
  area_path: string | null;
  team: string | null;
  assignee_id: string | null;
}

/**
 * The submission `instanceId` (of any project: the caller compares) with the case it created or
 * updated as that case stands now, so a file follows its case when the case moves. Undefined when
 * the submission has not arrived.
 */
export async function findSubmissionPlacement(
  instanceId: string,
  store: Store,
): Promise<SubmissionPlacement | undefined> {
  const row = await store.db
    .selectFrom('submissions')
    .leftJoin('entity_versions', 'entity_versions.submission_id', 'submissions.instance_id')
    .leftJoin('entities', 'entities.id', 'entity_versions.entity_id')
    // A case of another project (receiveSubmission never makes one) places nothing.
    .leftJoin('entity_lists', (join) =>
      join
        .onRef('entity_lists.id', '=', 'entities.list_id')
        .onRef('entity_lists.project_id', '=', 'submissions.project_id'),
    )
    .leftJoin('areas', 'areas.id', 'entities.area_id')
    .select([
      'submissions.instance_id',
      'submissions.project_id',
      'submissions.user_id',
      'submissions.data',
      'entity_lists.name as list_name',
      'areas.path as area_path',
      'entities.team',
      'entities.assignee_id',
    ])
    .where('submissions.instance_id', '=', instanceId)
    // One submission declares at most one entity.
    .limit(1)
    .execute();
  const found = row[0];
  if (found === undefined) return undefined;
  const inList = found.list_name !== null;
  return {
    instance_id: found.instance_id,
    project_id: found.project_id,
    user_id: found.user_id,
    data: found.data,
    list_name: found.list_name,
    area_path: inList ? found.area_path : null,
    team: inList ? found.team : null,
    assignee_id: inList ? found.assignee_id : null,
  };
}

export async function findFinishedUpload(uploadId: string, store: Store): Promise<AttachmentUploadRow | undefined> {
  const row = await store.db
    .selectFrom('attachment_uploads')
    .selectAll()
    .where('upload_id', '=', uploadId)
    .executeTakeFirst();
  return row === undefined ? undefined : numeric(row);
}

export async function insertFinishedUpload(row: AttachmentUploadRow, store: Store): Promise<void> {
  await store.db
    .insertInto('attachment_uploads')
    .values(row)
    .onConflict((oc) => oc.column('upload_id').doNothing())
    .execute();
}

export async function findThumbnail(sha256: string, store: Store): Promise<AttachmentThumbnailRow | undefined> {
  const row = await store.db
    .selectFrom('attachment_thumbnails')
    .selectAll()
    .where('sha256', '=', sha256)
    .executeTakeFirst();
  return row === undefined ? undefined : numeric(row);
}

export async function insertThumbnail(row: AttachmentThumbnailRow, store: Store): Promise<void> {
  await store.db
    .insertInto('attachment_thumbnails')
    .values(row)
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
}

import { findSubmission } from '../storage/queries/submissions.js';
import { isUniqueViolation } from '../storage/store.js';
import type { Store } from '../storage/store.js';
import type { AttachmentRow } from '../storage/queries/attachments.js';
import { findAttachment, insertAttachment } from '../storage/queries/attachments.js';

/** A file to be named `name` in submission `instanceId`. */
export interface AttachmentLink {
  readonly projectId: string;
  readonly instanceId: string;
  readonly name: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly contentType: string;
}

export type LinkCheck =
  { ok: true; existing: AttachmentRow | null } | { ok: false; code: 'attachment.conflict'; detail: string };

export type LinkResult =
  | { ok: true; created: boolean; attachment: AttachmentRow }
  | { ok: false; code: 'attachment.conflict'; detail: string };

/**
 * Whether `link` can be recorded: attachments, like submissions, are immutable, so a name of an
 * instance is bound to one content for good, and an instance belongs to one project.
 */
export async function checkLink(link: AttachmentLink, store: Store): Promise<LinkCheck> {
  const submission = await findSubmission(link.instanceId, store);
  if (submission !== undefined && submission.project_id !== link.projectId) {
    return { ok: false, code: 'attachment.conflict', detail: 'This instanceID belongs to another project.' };
  }
  const existing = await findAttachment(link.instanceId, link.name, store);
  if (existing === undefined) return { ok: true, existing: null };
  if (existing.sha256 !== link.sha256 || existing.bytes !== link.bytes || existing.project_id !== link.projectId) {
    return {
      ok: false,
      code: 'attachment.conflict',
      detail: `"${link.name}" of ${link.instanceId} was already received with other content.`,
    };
  }
  return { ok: true, existing };
}

/**
 * Records that submission `instanceId` carries the stored blob `sha256` as `name`. Whether the
 * submission has arrived does not matter: the link is by instanceID and holds either way.
 * Idempotent: the same link again answers `created: false`.
 */
export async function linkAttachment(
  link: AttachmentLink,
  by: { userId: string | null; at: string },
  store: Store,
): Promise<LinkResult> {
  const check = await checkLink(link, store);
  if (!check.ok) return check;
  if (check.existing !== null) return { ok: true, created: false, attachment: check.existing };
  const row: AttachmentRow = {
    instance_id: link.instanceId,
    name: link.name,
    sha256: link.sha256,
    bytes: link.bytes,
    content_type: link.contentType,
    project_id: link.projectId,
    created_by: by.userId,
    created_at: by.at,
  };
  try {
    await insertAttachment(row, store);
    return { ok: true, created: true, attachment: row };
  } catch (err) {
    // Two uploads of the same link finished at once: the second sees the first's row.
    if (!isUniqueViolation(err)) throw err;
    const again = await checkLink(link, store);
    if (!again.ok) return again;
    if (again.existing === null) throw err;
    return { ok: true, created: false, attachment: again.existing };
  }
}

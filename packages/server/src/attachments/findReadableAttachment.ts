import type { PolicyActor, PolicyRecord } from '@outpost/core';
import { can, projectGrants } from '@outpost/core';
import { catalogueFor } from '../policy/index.js';
import type { Store } from '../storage/store.js';
import type { AttachmentRow } from '../storage/queries/attachments.js';
import { findSubmissionPlacement, listAttachmentsByHash } from '../storage/queries/attachments.js';
import { attachmentRecord } from './attachmentRecord.js';

// One blob may be named by many submissions (the same photo sent twice); enough to find one
// the reader may see without letting a popular hash cost unbounded queries.
const ROWS_TRIED = 100;

export interface ReadableAttachment {
  row: AttachmentRow;
  /** The file as the policy decided it (envelope of its submission, class of its question). */
  record: PolicyRecord & { kind: 'attachment' };
}

/**
 * Whether any membership of the actor may read files somewhere in the project: `cases.read`, or
 * `incidents.evidence.read` where the project declares evidence lists. Without it a download is
 * refused (403) before any hash is looked up, the same for every hash.
 */
export function readsAttachments(actor: PolicyActor, projectId: string): boolean {
  return projectGrants(actor, projectId).some(
    (g) =>
      g.capabilities.has('cases.read') || (g.capabilities.has('incidents.evidence.read') && g.evidenceLists.size > 0),
  );
}

/**
 * A row naming blob `sha256` in the project that `actor` may read, decided by
 * `can(actor, 'cases.read', attachment)`: the submission that carries the file must be in reach
 * (through its case's area, team or assignee, or as its sender) and the question that holds the
 * file must be of a class the role is shown. A file whose submission has not arrived is readable
 * only by its uploader. Undefined for everything else, so a guessed hash, a file of another
 * project and a file out of reach answer alike (S1).
 */
export async function findReadableAttachment(
  actor: PolicyActor,
  projectId: string,
  sha256: string,
  store: Store,
): Promise<ReadableAttachment | undefined> {
  const rows = await listAttachmentsByHash(projectId, sha256, ROWS_TRIED, store);
  if (rows.length === 0) return undefined;
  const catalogue = await catalogueFor(projectId, store);
  for (const row of rows) {
    const placement = await findSubmissionPlacement(row.instance_id, store);
    if (placement === undefined ? row.created_by !== actor.userId : placement.project_id !== projectId) continue;
    const record = attachmentRecord(row, placement, catalogue);
    if (can(actor, 'cases.read', record).allowed) return { row, record };
  }
  return undefined;
}

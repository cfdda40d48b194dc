import type { Draft } from '../../forms/drafts.js';
import type { InstanceAttachment } from '../../forms/openForm.js';
import type { OutboxEntry } from '../../store/outbox.js';

/** Where a refused form's photos are: the device's upload queue, else the server that has them. */
export interface RejectedFiles {
  /** The queued bytes, or null once the file was sent (the queue dropped them). */
  readonly queued: (sha256: string) => Promise<Blob | null>;
  /** The file as the server holds it (its uploader may read it before the submission arrives). */
  readonly sent: (sha256: string) => Promise<Blob>;
}

/**
 * A form the server refused, as a draft to open, fix and save again: the same instance (and
 * instanceID), so saving it replaces the refused entry in the outbox (`saveRecord`) instead of
 * adding a second one. Its photos come with it, from the upload queue, or from the server for a
 * photo already sent; saving again queues the same files (the same hashes: nothing sent twice).
 */
export async function draftOfRejected(
  entry: OutboxEntry,
  formTitle: string,
  label: string,
  now: Date,
  files: RejectedFiles,
): Promise<Draft | null> {
  if (entry.state !== 'rejected') return null;
  const attachments: InstanceAttachment[] = await Promise.all(
    entry.item.attachments.map(async (file) => {
      const blob = (await files.queued(file.sha256)) ?? (await files.sent(file.sha256));
      return { name: file.name, type: blob.type, bytes: await blob.arrayBuffer() };
    }),
  );
  return {
    id: entry.item.instanceId,
    projectId: entry.item.projectId,
    formId: entry.item.formId,
    version: entry.item.formVersion,
    formTitle,
    label,
    savedAt: now.toISOString(),
    xml: entry.item.xml,
    attachments,
  };
}

/** Where the draft opens: the form it was filled in, at its version. */
export function fixRoute(draft: Draft): string {
  const e = encodeURIComponent;
  return `/projects/${e(draft.projectId)}/forms/${e(draft.formId)}/versions/${e(draft.version)}?draft=${e(draft.id)}`;
}

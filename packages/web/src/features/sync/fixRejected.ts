import type { Draft } from '../../forms/drafts.js';
import type { OutboxEntry } from '../../store/outbox.js';

/**
 * A form the server refused, as a draft to open, fix and save again: the same instance (and
 * instanceID), so saving it replaces the refused entry in the outbox (`saveRecord`) instead of
 * adding a second one. Only without photos: their bytes live in the upload queue, not here, and a
 * draft without them would lose them (such a form is sent again or discarded as it is).
 */
export function draftOfRejected(entry: OutboxEntry, formTitle: string, label: string, now: Date): Draft | null {
  if (entry.state !== 'rejected' || entry.item.attachments.length > 0) return null;
  return {
    id: entry.item.instanceId,
    projectId: entry.item.projectId,
    formId: entry.item.formId,
    version: entry.item.formVersion,
    formTitle,
    label,
    savedAt: now.toISOString(),
    xml: entry.item.xml,
    attachments: [],
  };
}

/** Where the draft opens: the form it was filled in, at its version. */
export function fixRoute(draft: Draft): string {
  const e = encodeURIComponent;
  return `/projects/${e(draft.projectId)}/forms/${e(draft.formId)}/versions/${e(draft.version)}?draft=${e(draft.id)}`;
}

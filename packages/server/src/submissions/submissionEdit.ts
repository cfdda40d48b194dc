import type { EntityDeclaration } from '@outpost/core';
import { chainCreatedEntity, replacementOf, submissionOrigin } from '../storage/queries/submissionReview.js';
import type { Store } from '../storage/store.js';
import { findAttachment, insertAttachment, listAttachmentsOfInstance } from '../storage/queries/attachments.js';

// Submission edits as ODK Central has them: an edit is a new instance whose `meta/deprecatedID`
// names the version it replaces. It must name the current version of a submission of the same
// form in the same project (Central answers 409 otherwise); the original stays stored and
// readable. The edit's entity block goes through the entity rules like any submission's, except
// that a create-only block of an edit whose earlier version already created that entity changes
// nothing (Central does not create an entity twice from one submission).
//
// An edit carries its files as Central's edits do (`submission-attachments.create` with the
// deprecated version's attachments): a file the edit still names, and for which no other content
// was sent, is the deprecated version's file, linked to the edit without being uploaded again. A
// replaced photo has a new name and is uploaded like any file; a file the edit no longer names
// stays with the version that had it.

export type EditCheck =
  | { ok: true }
  | { ok: false; code: 'submission.edit-unknown-original' | 'submission.edit-stale'; detail: string; field: string };

/** Whether `deprecatedId` is the current version of a submission of this form and project. */
export async function checkEdit(
  deprecatedId: string,
  target: { projectId: string; formId: string; rootName: string },
  store: Store,
): Promise<EditCheck> {
  const field = `/${target.rootName}/meta/deprecatedID`;
  const original = await submissionOrigin(deprecatedId, store);
  if (original === undefined || original.projectId !== target.projectId || original.formId !== target.formId) {
    return {
      ok: false,
      code: 'submission.edit-unknown-original',
      detail: `No submission ${deprecatedId} of this form to edit.`,
      field,
    };
  }
  const replacement = await replacementOf(deprecatedId, store);
  if (replacement !== undefined) {
    return {
      ok: false,
      code: 'submission.edit-stale',
      detail: `Submission ${deprecatedId} was already edited (by ${replacement}); edit the current version.`,
      field,
    };
  }
  return { ok: true };
}

/** The entity change an edit makes: none for a create the submission already made. */
export async function entityChangeOfEdit(
  deprecatedId: string,
  declaration: EntityDeclaration | null,
  store: Store,
): Promise<EntityDeclaration | null> {
  if (declaration === null || !declaration.create || declaration.update) return declaration;
  return (await chainCreatedEntity(deprecatedId, declaration.entityId, store)) ? null : declaration;
}

/** Every string answer of an instance projection (groups, repeats and attributes walked). */
export function answerStrings(data: unknown, out: Set<string> = new Set()): Set<string> {
  if (typeof data === 'string') out.add(data);
  else if (Array.isArray(data)) for (const item of data) answerStrings(item, out);
  else if (data !== null && typeof data === 'object')
    for (const value of Object.values(data)) answerStrings(value, out);
  return out;
}

/**
 * Links to edit `instanceId` each file of `deprecatedId` that the edit's answers (`data`, its
 * projection) still name and that the edit was not already given (a file uploaded before the
 * edit arrived wins). Returns the names carried forward.
 */
export async function carryForwardAttachments(
  edit: { deprecatedId: string; instanceId: string; projectId: string; data: unknown; at: string },
  store: Store,
): Promise<string[]> {
  const named = answerStrings(edit.data);
  const carried: string[] = [];
  for (const file of await listAttachmentsOfInstance(edit.deprecatedId, store)) {
    if (!named.has(file.name)) continue;
    if ((await findAttachment(edit.instanceId, file.name, store)) !== undefined) continue;
    await insertAttachment(
      // Who sent the file stays its sender; the link is as new as the edit.
      { ...file, instance_id: edit.instanceId, project_id: edit.projectId, created_at: edit.at },
      store,
    );
    carried.push(file.name);
  }
  return carried;
}

import type { EntityDeclaration } from '@outpost/core';
import { chainCreatedEntity, replacementOf, submissionOrigin } from '../storage/queries/submissionReview.js';
import type { Store } from '../storage/store.js';

// Submission edits as ODK Central has them: an edit is a new instance whose `meta/deprecatedID`
// names the version it replaces. It must name the current version of a submission of the same
// form in the same project (Central answers 409 otherwise); the original stays stored and
// readable. The edit's entity block goes through the entity rules like any submission's, except
// that a create-only block of an edit whose earlier version already created that entity changes
// nothing (Central does not create an entity twice from one submission).

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

import type { EntityDeclaration, EntityRefusal, PolicyActor } from '@outpost/core';
import { can } from '@outpost/core';
import { applyEntity, authorizeEntityChange } from '../entities/index.js';
import type { EntityOutcome } from '../entities/index.js';
import { writeRefusal } from '../policy/index.js';
import { appendAuditEvent } from '../storage/queries/audit.js';
import type { AuditDetails } from '../storage/queries/audit.js';
import type { StoredFormVersion } from '../storage/queries/forms.js';
import { lockEntities } from '../storage/queries/locks.js';
import { insertSubmission } from '../storage/queries/submissions.js';
import type { SubmissionRow } from '../storage/queries/submissions.js';
import { nextSeq } from '../storage/store.js';
import type { Store } from '../storage/store.js';
import type { projectInstance } from './readInstance.js';
import type { SubmissionInput, SubmissionResult } from './receiveSubmission.js';
import { carryForwardAttachments, checkEdit, entityChangeOfEdit } from './submissionEdit.js';

// The writing half of receiveSubmission: what is done, in the transaction, with a submission that
// passed the checks made before it.

/** A submission that passed every check made before its transaction, with what storing it needs. */
export interface CheckedSubmission {
  input: SubmissionInput;
  instanceId: string;
  formVersion: StoredFormVersion;
  /** The entity changes it declares, before an edit turns them into changes of what it edits. */
  declarations: readonly EntityDeclaration[];
  /** The instance it edits (its deprecatedID), or null. */
  edits: string | null;
  editTarget: Parameters<typeof checkEdit>[1];
  data: ReturnType<typeof projectInstance>;
  at: string;
  policyActor: PolicyActor | null;
}

/**
 * Stores a checked submission in the transaction `tx`: the checks that depend on what is stored
 * (the edit, the sender's reach over the cases) are made again under the cases' locks, then the
 * submission, its carried-forward attachments, its entity changes and its audit event are written.
 */
export async function storeSubmission(checked: CheckedSubmission, tx: Store): Promise<SubmissionResult> {
  const { input, instanceId, formVersion, edits, editTarget, data, at, policyActor } = checked;
  // The cases it changes are locked first, before any counter or the audit chain, in the one
  // order every writer follows (a push batch has locked them all already).
  await lockEntities(
    checked.declarations.map((d) => d.entityId),
    tx,
  );
  // An edit is checked again here: two edits of one version at once, only the first is stored.
  if (edits !== null) {
    const edit = await checkEdit(edits, editTarget, tx);
    if (!edit.ok) return edit;
  }
  const declarations: EntityDeclaration[] = [];
  for (const declaration of checked.declarations) {
    const change = edits === null ? declaration : await entityChangeOfEdit(edits, declaration, tx);
    if (change !== null) declarations.push(change);
  }
  // Decided inside the transaction, against the entity as it is when the change is applied.
  const refused = await refusal(policyActor, input.projectId, declarations, tx);
  if (refused !== null) return refused;
  const row: SubmissionRow = {
    instance_id: instanceId,
    project_id: input.projectId,
    form_version_id: formVersion.id,
    user_id: input.userId,
    device_id: input.deviceId,
    xml: input.xml,
    data: JSON.stringify(data),
    replaces: edits,
    received_at: at,
    // ODK Central marks an edited submission "edited" until someone reviews it again.
    review_state: edits === null ? null : 'edited',
    seq: await nextSeq('submissions', tx),
  };
  await insertSubmission(row, tx);
  const keptFiles =
    edits === null
      ? []
      : await carryForwardAttachments(
          {
            deprecatedId: edits,
            instanceId,
            projectId: input.projectId,
            data,
            at,
          },
          tx,
        );
  const entities: Array<Exclude<EntityOutcome, { action: 'refused' }>> = [];
  for (const declaration of declarations) {
    const outcome = await applyEntity(
      declaration,
      { projectId: input.projectId, submissionId: instanceId, userId: input.userId, at },
      tx,
    );
    // Refused as ODK Central refuses it: nothing of the submission stays, the sender is told why.
    if (outcome.action === 'refused') throw new EntityRefused(outcome.refusal);
    entities.push(outcome);
  }
  const details = receivedDetails(input.projectId, formVersion, edits, keptFiles.length, entities);
  await appendAuditEvent(
    { actorId: input.userId, action: 'submission.received', subject: instanceId, details, at },
    tx,
  );
  return {
    ok: true,
    created: true,
    receipt: {
      instanceId: row.instance_id,
      formId: formVersion.xmlFormId,
      version: formVersion.version,
      receivedAt: at,
      seq: row.seq,
      entity: entities[0] ?? null,
      entities,
    },
  };
}
/** What the audit trail says of a received submission: ids and codes only, it holds no answers. */
function receivedDetails(
  projectId: string,
  formVersion: StoredFormVersion,
  edits: string | null,
  keptFiles: number,
  entities: ReadonlyArray<Exclude<EntityOutcome, { action: 'refused' }>>,
): AuditDetails {
  const entity = entities[0] ?? null;
  return {
    projectId,
    formId: formVersion.xmlFormId,
    version: formVersion.version,
    ...(edits === null ? {} : { deprecatedId: edits }),
    ...(keptFiles === 0 ? {} : { keptAttachments: keptFiles }),
    ...(entity === null
      ? {}
      : {
          entityId: entity.entityId,
          entityAction: entity.action,
          ...(entity.action === 'held' ? { heldBecause: entity.reason } : { conflict: entity.conflict }),
        }),
    ...(entities.length > 1 ? { entityIds: entities.map((e) => e.entityId) } : {}),
  };
}

/** Thrown inside the transaction so that a refused entity change stores nothing. */
export class EntityRefused extends Error {
  constructor(readonly refusal: EntityRefusal) {
    super(refusal.detail);
  }
}

export function refusedBy(refusal: EntityRefusal): SubmissionResult {
  return {
    ok: false,
    code: refusal.code,
    detail: refusal.detail,
    ...(refusal.field === undefined ? {} : { field: refusal.field }),
  };
}

async function refusal(
  actor: PolicyActor | null,
  projectId: string,
  declarations: readonly EntityDeclaration[],
  tx: Store,
): Promise<SubmissionResult | null> {
  if (actor === null) return null;
  if (declarations.length === 0) {
    // No entity change: the submission itself needs the right to write in the project.
    const decision = can(actor, 'cases.write', { kind: 'project', projectId });
    if (decision.allowed) return null;
    const code = decision.reason === 'capability' ? 'auth.forbidden' : 'sync.out-of-scope';
    return { ok: false, code, detail: 'You may not submit to this project.' };
  }
  for (const declaration of declarations) {
    const check = await authorizeEntityChange({ actor, projectId, declaration }, tx);
    if (check.ok) continue;
    const problem = writeRefusal(check);
    return {
      ok: false,
      code: problem.code,
      detail: problem.detail,
      ...(problem.field === undefined ? {} : { field: problem.field }),
    };
  }
  return null;
}

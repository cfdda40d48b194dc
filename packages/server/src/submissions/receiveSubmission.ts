import type { EntityRefusalCode, HoldReason, PolicyActor } from '@outpost/core';
import type { EntitiesSpec } from '@outpost/core';
import { formEntityLists, isRole, readEntityDeclarations, unpermittedAction } from '@outpost/core';
import type { EntityOutcome } from '../entities/index.js';
import { loadPolicyActor } from '../policy/index.js';
import type { WriteRefusalCode } from '../policy/index.js';
import { findFormVersion, formVersionKey } from '../storage/queries/forms.js';
import { entityVersionsOfSubmission, findSubmission, heldEntityUpdates } from '../storage/queries/submissions.js';
import type { SubmissionRow } from '../storage/queries/submissions.js';
import { isUniqueViolation } from '../storage/store.js';
import { userRole } from '../storage/queries/users.js';
import type { Store } from '../storage/store.js';
import { checkInstanceShape, repeatPathsOf } from '../forms/formEngine.js';
import { validateSubmission } from '../forms/validateSubmission.js';
import { projectInstance, readInstance } from './readInstance.js';
import type { PreparedInstance } from './prepareInstance.js';
import { checkEdit } from './submissionEdit.js';
import { EntityRefused, refusedBy, storeSubmission } from './storeSubmission.js';
import type { EditCheck } from './submissionEdit.js';

export interface SubmissionInput {
  projectId: string;
  /** The XForm instance XML as sent by the device. */
  xml: string;
  userId: string | null;
  deviceId: string | null;
  /**
   * The sender as core/policy sees it. Absent, it is loaded for `userId`; a submission with no
   * user (a seed or an import run by an operator) is not checked.
   */
  policyActor?: PolicyActor;
  at?: string;
}

/** What the server answers for a stored submission, the first time and on every retry. */
export interface SubmissionReceipt {
  instanceId: string;
  formId: string;
  version: string;
  receivedAt: string;
  seq: number;
  /** The first entity change (the form's first list); kept for clients that know one per submission. */
  entity: EntityOutcome | null;
  /** Every entity change, in the order the instance declares them (survey meta, then each repeat instance). */
  entities: EntityOutcome[];
}

export type SubmissionResult =
  | { ok: true; created: boolean; receipt: SubmissionReceipt }
  | {
      ok: false;
      code:
        | 'submission.invalid'
        | 'submission.unknown-form'
        | 'submission.unknown-element'
        | 'submission.too-many-elements'
        | 'submission.conflict'
        | Extract<EditCheck, { ok: false }>['code']
        | EntityRefusalCode
        | WriteRefusalCode;
      detail: string;
      field?: string;
    };

async function receiptOf(
  row: SubmissionRow,
  form: { formId: string; version: string; specs: readonly EntitiesSpec[] },
  store: Store,
): Promise<SubmissionReceipt> {
  const made = new Map((await entityVersionsOfSubmission(row.instance_id, store)).map((v) => [v.entity_id, v]));
  const held = new Map((await heldEntityUpdates(row.instance_id, store)).map((h) => [h.entity_id, h]));
  // In the order the instance declares its changes, as the first answer gave them.
  const read = readInstance(row.xml);
  const declared = read.ok ? readEntityDeclarations(read.instance.root, form.specs) : null;
  const order = declared?.ok === true ? declared.declarations.map((d) => d.entityId) : [];
  const ids = [...new Set([...order, ...made.keys(), ...held.keys()])];
  const entities = ids.flatMap((id): EntityOutcome[] => {
    const version = made.get(id);
    if (version !== undefined)
      return [
        {
          action: version.version === 1 ? 'created' : 'updated',
          list: version.list,
          entityId: id,
          version: version.version,
          conflict: version.conflict,
        },
      ];
    const waiting = held.get(id);
    return waiting === undefined
      ? []
      : [{ action: 'held', list: waiting.list, entityId: id, reason: waiting.reason as HoldReason }];
  });
  return {
    instanceId: row.instance_id,
    formId: form.formId,
    version: form.version,
    receivedAt: row.received_at,
    seq: Number(row.seq),
    entity: entities[0] ?? null,
    entities,
  };
}

async function replay(existing: SubmissionRow, input: SubmissionInput, store: Store): Promise<SubmissionResult> {
  if (existing.xml !== input.xml || existing.project_id !== input.projectId) {
    return {
      ok: false,
      code: 'submission.conflict',
      detail: `A different submission was already received as ${existing.instance_id}.`,
    };
  }
  const form = await formVersionKey(existing.form_version_id, store);
  if (form === undefined)
    throw new Error(`form version ${existing.form_version_id} of ${existing.instance_id} is gone`);
  const stored = await findFormVersion(existing.project_id, form.xml_form_id, form.version, store);
  const specs = stored === undefined ? [] : formEntityLists(stored.summary);
  return {
    ok: true,
    created: false,
    receipt: await receiptOf(existing, { formId: form.xml_form_id, version: form.version, specs }, store),
  };
}

/**
 * Receives one submitted instance: finds its form version (old versions keep accepting), checks it
 * against the form in the ODK engine, then stores it and applies its entity change in one
 * transaction. Idempotent by instanceID: the same instance again changes nothing and gets the
 * same receipt; a different one under a used instanceID is a conflict. `prepared` (from
 * prepareInstance, perhaps through checkInstance, of the same XML) saves parsing it again and, on
 * the same form version, stands in for the form checks.
 */
export async function receiveSubmission(
  input: SubmissionInput,
  store: Store,
  prepared?: PreparedInstance,
): Promise<SubmissionResult> {
  const given = prepared?.xml === input.xml ? prepared : undefined;
  const read = given?.read ?? readInstance(input.xml);
  if (!read.ok)
    return { ok: false, code: read.code, detail: read.detail, ...(read.field ? { field: read.field } : {}) };
  const { instance } = read;
  const existing = await findSubmission(instance.instanceId, store);
  if (existing !== undefined) return replay(existing, input, store);

  // Form versions are never changed or deleted: the one checkInstance found stands.
  const checked = given?.checked?.projectId === input.projectId ? given.checked : undefined;
  const formVersion =
    checked?.formVersion ?? (await findFormVersion(input.projectId, instance.formId, instance.version, store));
  if (formVersion === undefined) {
    return {
      ok: false,
      code: 'submission.unknown-form',
      detail: `This project has no form "${instance.formId}" with version "${instance.version}".`,
    };
  }
  // Elements the form does not define are refused before the engine sees them (issue 9).
  const misshapen = checkInstanceShape(formVersion.xform, instance.root);
  if (misshapen !== null) return { ok: false, ...misshapen };
  const violations = checked?.violations ?? (await validateSubmission(formVersion.xform, input.xml, instance.root));
  const first = violations[0];
  if (first !== undefined) {
    const more = violations.length > 1 ? ` (and ${violations.length - 1} more)` : '';
    return {
      ok: false,
      code: 'submission.invalid',
      detail: `${first.field}: ${first.message}${more}`,
      field: first.field,
    };
  }
  const specs = formEntityLists(formVersion.summary);
  const declared = readEntityDeclarations(instance.root, specs);
  if (!declared.ok) return { ok: false, code: 'submission.invalid', detail: declared.detail, field: declared.field };
  const edits = instance.deprecatedId;
  const editTarget = { projectId: input.projectId, formId: formVersion.formId, rootName: instance.rootName };
  if (edits !== null) {
    const edit = await checkEdit(edits, editTarget, store);
    if (!edit.ok) return edit;
  }
  // The form's actions bound what its submissions may do, on every path (Central: entityActionNotPermitted).
  for (const declaration of declared.declarations) {
    const spec = specs.find((s) => s.dataset === declaration.dataset);
    const unpermitted = spec === undefined ? null : unpermittedAction(declaration, spec, instance.rootName);
    if (unpermitted !== null) return refusedBy(unpermitted);
  }

  const at = input.at ?? new Date().toISOString();
  const data = projectInstance(instance.root, repeatPathsOf(formVersion.xform));
  const policyActor = await senderOf(input, store);
  try {
    return await store.transaction((tx) =>
      storeSubmission(
        {
          input,
          instanceId: instance.instanceId,
          formVersion,
          declarations: declared.declarations,
          edits,
          editTarget,
          data,
          at,
          policyActor,
        },
        tx,
      ),
    );
  } catch (err) {
    if (err instanceof EntityRefused) return refusedBy(err.refusal);
    // The same instance sent twice at once: the second sees the first's row.
    if (!isUniqueViolation(err)) throw err;
    const winner = await findSubmission(instance.instanceId, store);
    if (winner === undefined && edits !== null) {
      // Another edit of the same version was stored first.
      const edit = await checkEdit(edits, editTarget, store);
      if (!edit.ok) return edit;
    }
    if (winner === undefined) throw err;
    return replay(winner, input, store);
  }
}

async function senderOf(input: SubmissionInput, store: Store): Promise<PolicyActor | null> {
  if (input.policyActor !== undefined) return input.policyActor;
  if (input.userId === null) return null;
  return loadSender(input.userId, store);
}

/** The policy actor of a sender, as receiveSubmission loads it when `policyActor` is not given. */
export async function loadSender(userId: string, store: Store): Promise<PolicyActor> {
  const role = await userRole(userId, store);
  // An unknown user or role writes nothing: an actor with no memberships is refused below.
  if (role === undefined || !isRole(role)) return { userId, role: 'fieldworker', memberships: [] };
  return loadPolicyActor({ userId, role }, store);
}

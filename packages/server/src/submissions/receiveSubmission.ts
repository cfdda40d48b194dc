import type { EntityDeclaration, EntityRefusal, EntityRefusalCode, HoldReason, PolicyActor } from '@outpost/core';
import type { EntitiesSpec } from '@outpost/core';
import { can, formEntityLists, isRole, readEntityDeclarations, unpermittedAction } from '@outpost/core';
import { applyEntity, authorizeEntityChange } from '../entities/index.js';
import type { EntityOutcome } from '../entities/index.js';
import { loadPolicyActor, writeRefusal } from '../policy/index.js';
import type { WriteRefusalCode } from '../policy/index.js';
import { appendAuditEvent } from '../storage/queries/audit.js';
import type { AuditDetails } from '../storage/queries/audit.js';
import { findFormVersion, formVersionKey } from '../storage/queries/forms.js';
import type { StoredFormVersion } from '../storage/queries/forms.js';
import { lockEntities } from '../storage/queries/locks.js';
import {
  entityVersionsOfSubmission,
  findSubmission,
  heldEntityUpdates,
  insertSubmission,
} from '../storage/queries/submissions.js';
import type { SubmissionRow } from '../storage/queries/submissions.js';
import { isUniqueViolation, nextSeq } from '../storage/store.js';
import { userRole } from '../storage/queries/users.js';
import type { Store } from '../storage/store.js';
import { checkInstanceShape, repeatPathsOf } from '../forms/formEngine.js';
import { validateSubmission } from '../forms/validateSubmission.js';
import type { InstanceViolation } from '../forms/formEngine.js';
import { projectInstance, readInstance } from './readInstance.js';
import type { ReadInstanceResult } from './readInstance.js';
import { carryForwardAttachments, checkEdit, entityChangeOfEdit } from './submissionEdit.js';
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
 * An instance read once, for every step that needs it (the push path's own checks, the form
 * checks, receiving), and, when that could be done ahead, checked against its form.
 */
export interface PreparedInstance {
  xml: string;
  read: ReadInstanceResult;
  /** The form version of `xml` in the project and its form checks (the ODK engine), by `checkInstance`. */
  checked?: { projectId: string; formVersion: StoredFormVersion; violations: readonly InstanceViolation[] };
}

/** Parses a submitted instance once; hand the result to checkInstance and receiveSubmission. */
export function prepareInstance(xml: string): PreparedInstance {
  return { xml, read: readInstance(xml) };
}

/**
 * What the items of one batch share, read once before they are checked: which of their instances
 * are stored already, and their form versions by project, form and version.
 */
export interface BatchReads {
  stored: ReadonlySet<string>;
  formVersions: Map<string, Promise<StoredFormVersion | undefined>>;
}

/**
 * Runs the form checks of a prepared instance (the costly part: the ODK engine) ahead of receiving
 * it, so a caller can check a whole batch before opening the one transaction that stores it. Left
 * unchecked when the instance cannot be read, its form version is unknown (receiveSubmission says
 * why) or it is stored already (a retry is answered without checks). `batch` answers those two
 * questions for the items of a batch.
 */
export async function checkInstance(
  projectId: string,
  prepared: PreparedInstance,
  store: Store,
  batch?: BatchReads,
): Promise<PreparedInstance> {
  if (!prepared.read.ok) return prepared;
  const { instance } = prepared.read;
  const stored =
    batch === undefined
      ? (await findSubmission(instance.instanceId, store)) !== undefined
      : batch.stored.has(instance.instanceId);
  if (stored) return prepared;
  const formVersion = await formVersionOf(projectId, instance, store, batch);
  if (formVersion === undefined) return prepared;
  if (checkInstanceShape(formVersion.xform, instance.root) !== null) return prepared;
  const violations = await validateSubmission(formVersion.xform, prepared.xml, instance.root);
  return { ...prepared, checked: { projectId, formVersion, violations } };
}

function formVersionOf(
  projectId: string,
  instance: { formId: string; version: string },
  store: Store,
  batch: BatchReads | undefined,
): Promise<StoredFormVersion | undefined> {
  if (batch === undefined) return findFormVersion(projectId, instance.formId, instance.version, store);
  const key = JSON.stringify([projectId, instance.formId, instance.version]);
  let found = batch.formVersions.get(key);
  if (found === undefined) {
    found = findFormVersion(projectId, instance.formId, instance.version, store);
    batch.formVersions.set(key, found);
  }
  return found;
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
    return await store.transaction(async (tx): Promise<SubmissionResult> => {
      // The cases it changes are locked first, before any counter or the audit chain, in the one
      // order every writer follows (a push batch has locked them all already).
      await lockEntities(
        declared.declarations.map((d) => d.entityId),
        tx,
      );
      // An edit is checked again here: two edits of one version at once, only the first is stored.
      if (edits !== null) {
        const edit = await checkEdit(edits, editTarget, tx);
        if (!edit.ok) return edit;
      }
      const declarations: EntityDeclaration[] = [];
      for (const declaration of declared.declarations) {
        const change = edits === null ? declaration : await entityChangeOfEdit(edits, declaration, tx);
        if (change !== null) declarations.push(change);
      }
      // Decided inside the transaction, against the entity as it is when the change is applied.
      const refused = await refusal(policyActor, input.projectId, declarations, tx);
      if (refused !== null) return refused;
      const row: SubmissionRow = {
        instance_id: instance.instanceId,
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
                instanceId: instance.instanceId,
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
          { projectId: input.projectId, submissionId: instance.instanceId, userId: input.userId, at },
          tx,
        );
        // Refused as ODK Central refuses it: nothing of the submission stays, the sender is told why.
        if (outcome.action === 'refused') throw new EntityRefused(outcome.refusal);
        entities.push(outcome);
      }
      const entity = entities[0] ?? null;
      // Ids and codes only: the audit trail holds no answers.
      const details: AuditDetails = {
        projectId: input.projectId,
        formId: formVersion.xmlFormId,
        version: formVersion.version,
        ...(edits === null ? {} : { deprecatedId: edits }),
        ...(keptFiles.length === 0 ? {} : { keptAttachments: keptFiles.length }),
        ...(entity === null
          ? {}
          : {
              entityId: entity.entityId,
              entityAction: entity.action,
              ...(entity.action === 'held' ? { heldBecause: entity.reason } : { conflict: entity.conflict }),
            }),
        ...(entities.length > 1 ? { entityIds: entities.map((e) => e.entityId) } : {}),
      };
      await appendAuditEvent(
        { actorId: input.userId, action: 'submission.received', subject: instance.instanceId, details, at },
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
          entity,
          entities,
        },
      };
    });
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

/** Thrown inside the transaction so that a refused entity change stores nothing. */
class EntityRefused extends Error {
  constructor(readonly refusal: EntityRefusal) {
    super(refusal.detail);
  }
}

function refusedBy(refusal: EntityRefusal): SubmissionResult {
  return {
    ok: false,
    code: refusal.code,
    detail: refusal.detail,
    ...(refusal.field === undefined ? {} : { field: refusal.field }),
  };
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

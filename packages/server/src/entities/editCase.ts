import type { EntityDeclaration, PolicyActor } from '@outpost/core';
import { ProblemError, can, isRole, statusProperty } from '@outpost/core';
import { loadPolicyActor, recordOf, writeRefusal } from '../policy/index.js';
import { areasWithCodes, findArea } from '../storage/queries/areas.js';
import { appendAuditEvent } from '../storage/queries/audit.js';
import { activeMergeOf } from '../storage/queries/caseMerges.js';
import type { ListedEntity } from '../storage/queries/entities.js';
import { findProjectEntityAnyState, updateEntity } from '../storage/queries/entities.js';
import { listCaseCategories } from '../storage/queries/folders.js';
import { lockEntities } from '../storage/queries/locks.js';
import { findMemberByUsername } from '../storage/queries/memberships.js';
import type { Store } from '../storage/store.js';
import type { EnvelopeChange } from './applyEntity.js';
import { applyEntity } from './applyEntity.js';
import { authorizeEntityChange } from './authorizeEntityChange.js';

/** What a supervisor (or a field worker, where the policy lets her write) does to a case. */
export type CaseChange =
  /** Properties and label, as ODK Central's `PATCH …/entities/:uuid` (`data`, `label`). */
  | { kind: 'edit'; label?: string; properties: Record<string, string> }
  /** To a project member who may work on the case; null takes the assignment away. */
  | { kind: 'assign'; username: string | null }
  /** To another area (by code, of the same kind as the case's own) and/or another team. */
  | { kind: 'transfer'; areaCode?: string; team?: string | null }
  | { kind: 'close' }
  | { kind: 'reopen' }
  /** The project's categories the case is tagged with, all of them (an empty list untags). */
  | { kind: 'tag'; categories: string[] };

export interface CaseEdit {
  projectId: string;
  caseId: string;
  /** The version the change was made on; a newer case refuses it (409) unless `force`. */
  baseVersion: number | null;
  force: boolean;
  change: CaseChange;
}

/**
 * Changes a case from the API or the case page: an edit with a base version, through the same
 * code path as a submission's update (`authorizeEntityChange`, then `applyEntity`), so a new
 * version is kept with source `edit` and the action, the list's columns follow, a move needs
 * `cases.assign` and stays within the actor's reach, and nobody overwrites a field they may not
 * see. A stale base version is refused (`entity.version-conflict`, as ODK Central's PATCH does)
 * unless forced. Audited as `case.<action>`.
 */
export async function editCase(
  edit: CaseEdit,
  actor: PolicyActor,
  at: string,
  store: Store,
): Promise<{ entityId: string; version: number }> {
  return store.transaction(async (tx) => {
    const current = await readableCase(edit.projectId, edit.caseId, actor, tx);
    // A role that may not write cases hears so before anything about versions.
    if (!can(actor, 'cases.write', recordOf(current, current.area_path)).allowed) {
      throw new ProblemError('auth.forbidden', 'Your role may not change this case.');
    }
    if (current.deleted_at !== null) {
      const merge = await activeMergeOf(current.id, tx);
      if (merge !== undefined) {
        throw new ProblemError('entity.merged', `The case was merged into ${merge.survivor_id}: change that case.`);
      }
      throw new ProblemError('entity.deleted', `The case ${current.id} was deleted.`);
    }
    if (!edit.force) {
      if (edit.baseVersion === null) {
        throw new ProblemError(
          'entity.base-version-missing',
          'Say which version of the case you changed (baseVersion).',
        );
      }
      if (edit.baseVersion !== current.version) {
        throw new ProblemError(
          'entity.version-conflict',
          `You changed version ${edit.baseVersion}; the case is at version ${current.version}.`,
        );
      }
    }
    const { label, properties, envelope } = await planChange(edit.change, current, tx);
    const version = await applyCaseChange(
      current,
      { label, properties, envelope },
      { projectId: edit.projectId, action: edit.change.kind, actor, at },
      tx,
    );
    await appendAuditEvent(
      {
        actorId: actor.userId,
        action: `case.${edit.change.kind}`,
        subject: current.id,
        at,
        details: {
          projectId: edit.projectId,
          fromVersion: current.version,
          version,
          ...(edit.force ? { force: true } : {}),
          // Names only: values may be personal data.
          properties: Object.keys(properties).sort(),
          ...(label === null ? {} : { label: true }),
          envelope: Object.keys(envelope).sort(),
        },
      },
      tx,
    );
    return { entityId: current.id, version };
  });
}

/**
 * Applies a planned change to a case as a server edit (source `edit`, the action named): checked by
 * `authorizeEntityChange` as a device's change is, then `applyEntity`. Returns the new version.
 */
export async function applyCaseChange(
  current: ListedEntity,
  planned: PlannedChange,
  context: { projectId: string; action: string; actor: PolicyActor; at: string },
  tx: Store,
): Promise<number> {
  const { label, properties, envelope } = planned;
  const { actor } = context;
  const declaration: EntityDeclaration = {
    dataset: current.list_name,
    entityId: current.id,
    create: false,
    update: true,
    baseVersion: current.version,
    trunkVersion: null,
    branchId: null,
    label,
    properties,
  };
  const check = await authorizeEntityChange({ actor, projectId: context.projectId, declaration, envelope }, tx);
  if (!check.ok) {
    const refusal = writeRefusal(check);
    throw new ProblemError(refusal.code, refusal.detail, refusal.field === undefined ? {} : { field: refusal.field });
  }
  const outcome = await applyEntity(
    declaration,
    {
      projectId: context.projectId,
      submissionId: null,
      userId: actor.userId,
      at: context.at,
      edit: { action: context.action, envelope },
    },
    tx,
  );
  if (outcome.action === 'refused') throw new ProblemError(outcome.refusal.code, outcome.refusal.detail);
  if (outcome.action !== 'updated') throw new Error(`an edit of ${current.id} was ${outcome.action}`);
  return outcome.version;
}

/**
 * Soft-deletes a case (`deleted` true) or restores it, as ODK Central's `DELETE …/entities/:uuid`
 * and `POST …/restore`: no new version; the case leaves (or comes back to) lists, pulls and the
 * entity-list CSV, and devices are told to drop it. Needs `cases.assign` on the case (a
 * supervisor's power: it takes the case away from everyone). Audited.
 */
export async function setCaseDeleted(
  target: { projectId: string; caseId: string; deleted: boolean },
  actor: PolicyActor,
  at: string,
  store: Store,
): Promise<{ entityId: string; version: number }> {
  return store.transaction(async (tx) => {
    // The lock applyEntity takes: a push cannot slip a version in while the case is deleted.
    await lockEntities([target.caseId], tx);
    const current = await readableCase(target.projectId, target.caseId, actor, tx);
    if (!can(actor, 'cases.assign', recordOf(current, current.area_path)).allowed) {
      throw new ProblemError('auth.forbidden', 'Your role may not delete or restore cases.');
    }
    const merge = target.deleted ? undefined : await activeMergeOf(current.id, tx);
    if (merge !== undefined) {
      throw new ProblemError('entity.merged', `The case was merged into ${merge.survivor_id}: undo the merge instead.`);
    }
    if ((current.deleted_at !== null) === target.deleted) {
      throw new ProblemError('request.not-found', target.deleted ? 'No such case.' : 'The case is not deleted.');
    }
    const updated = await updateEntity(
      current.id,
      { deletedAt: target.deleted ? at : null, keepVersion: true, at },
      tx,
    );
    if (updated === undefined) throw new Error(`entity ${current.id} vanished while being deleted`);
    await appendAuditEvent(
      {
        actorId: actor.userId,
        action: target.deleted ? 'case.delete' : 'case.restore',
        subject: current.id,
        at,
        details: { projectId: target.projectId, version: updated.version },
      },
      tx,
    );
    return { entityId: updated.id, version: updated.version };
  });
}

/** The case, deleted or not, when the actor may read it; a case out of reach answers as none. */
export async function readableCase(
  projectId: string,
  caseId: string,
  actor: PolicyActor,
  tx: Store,
): Promise<ListedEntity> {
  const found = await findProjectEntityAnyState(projectId, caseId.toLowerCase(), tx);
  if (found === undefined || !can(actor, 'cases.read', recordOf(found, found.area_path)).allowed) {
    throw new ProblemError('request.not-found', 'No such case.');
  }
  return found;
}

export interface PlannedChange {
  label: string | null;
  properties: Record<string, string>;
  envelope: EnvelopeChange;
}

async function planChange(change: CaseChange, current: ListedEntity, tx: Store): Promise<PlannedChange> {
  const none = { label: null, properties: {}, envelope: {} };
  switch (change.kind) {
    case 'edit':
      return { label: change.label ?? null, properties: change.properties, envelope: {} };
    case 'assign':
      return { ...none, envelope: { assigneeId: await assigneeFor(change.username, current, tx) } };
    case 'transfer':
      return {
        ...none,
        properties: change.areaCode === undefined ? {} : await transferredAddress(change.areaCode, current, tx),
        envelope: change.team === undefined ? {} : { team: change.team },
      };
    case 'close':
    case 'reopen': {
      const status = change.kind === 'close' ? 'closed' : 'open';
      // Where the case keeps its status as a property (`case_status`), the edit sets that property,
      // so the device and every form read the same status; else the case's own status column.
      const name = statusProperty(Object.keys(current.properties));
      return name === null ? { ...none, envelope: { status } } : { ...none, properties: { [name]: status } };
    }
    case 'tag': {
      // The project's categories, and any code the case carries already (imported, seeded): a tag
      // keeps those when it names them, and may add only defined ones.
      const known = new Set([
        ...(await listCaseCategories(current.project_id, tx)).map((c) => c.code),
        ...current.categories,
      ]);
      const unknown = change.categories.find((code) => !known.has(code));
      if (unknown !== undefined) {
        throw new ProblemError('case.category-unknown', `The project has no category "${unknown}".`, {
          field: '/categories',
        });
      }
      return { ...none, envelope: { categories: [...new Set(change.categories)].sort() } };
    }
  }
}

/** The member a case may be assigned to: one whose role and reach let them work on it. */
async function assigneeFor(username: string | null, current: ListedEntity, tx: Store): Promise<string | null> {
  if (username === null) return null;
  const member = await findMemberByUsername(current.project_id, username, tx);
  if (member === undefined || member.disabled || !isRole(member.role)) {
    throw new ProblemError('case.assignee-invalid', `"${username}" is not a member of the project.`, {
      field: '/assignee',
    });
  }
  if (!(await mayHoldCase(member, current, tx))) {
    throw new ProblemError('case.assignee-invalid', `"${username}" may not work on this case.`, {
      field: '/assignee',
    });
  }
  return member.id;
}

/**
 * Whether a project member may be given `current`: active, of a known role, and allowed to work
 * on it once it is theirs (`cases.write` with them as its assignee). The one rule both the
 * assign action and the picker of assignees follow.
 */
export async function mayHoldCase(
  member: { id: string; role: string; disabled: boolean },
  current: ListedEntity,
  tx: Store,
): Promise<boolean> {
  if (member.disabled || !isRole(member.role)) return false;
  const assignee = await loadPolicyActor({ userId: member.id, role: member.role }, tx);
  const record = { ...recordOf(current, current.area_path), assigneeId: member.id };
  return can(assignee, 'cases.write', record).allowed;
}

/**
 * The address a transfer writes: the case is placed by the area codes its properties hold
 * (`locateEntity`), so moving it to another area of the same kind rewrites each code of the
 * current area's path (aimag, soum, bag) with the code at the same depth of the target's path.
 */
async function transferredAddress(areaCode: string, current: ListedEntity, tx: Store): Promise<Record<string, string>> {
  const invalid = (detail: string) => new ProblemError('case.area-invalid', detail, { field: '/area' });
  // The newest area list's area of that code (codes are stable across list versions).
  const [newest] = (await areasWithCodes(current.project_id, [areaCode], tx)).sort((a, b) =>
    a.list_version < b.list_version ? 1 : -1,
  );
  const target = newest === undefined ? undefined : await findArea(newest.id, tx);
  if (target === undefined) throw invalid('No such area in the project.');
  const here = current.area_id === null ? undefined : await findArea(current.area_id, tx);
  if (here === undefined) throw invalid('The case has no area to transfer from.');
  if (here.level !== target.level) {
    throw invalid(`The case is in a ${here.level}; choose a ${here.level}, not a ${target.level}.`);
  }
  const codes = async (path: string) =>
    Promise.all(
      path
        .split('/')
        .filter((id) => id !== '')
        .map(async (id) => (await findArea(id, tx))?.code ?? null),
    );
  const from = await codes(here.path);
  const to = await codes(target.path);
  const changes: Record<string, string> = {};
  for (const [name, value] of Object.entries(current.properties)) {
    const depth = from.indexOf(value);
    const code = depth < 0 ? undefined : to[depth];
    if (code !== undefined && code !== null && code !== value) changes[name] = code;
  }
  if (Object.keys(changes).length === 0) throw invalid('The case is there already.');
  return changes;
}

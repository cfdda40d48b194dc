import type { BaseLookup, EntityDeclaration, EntityRefusal, EntityState, HoldReason } from '@outpost/core';
import { AUTO_GENERATED_LABEL, baseLookup, conflictingProperties, statusOf } from '@outpost/core';
import { activeMergeOf } from '../storage/queries/caseMerges.js';
import { ensureEntityList, findEntity, insertEntity, updateEntity } from '../storage/queries/entities.js';
import { lockEntities } from '../storage/queries/locks.js';
import { assigneeChange } from './caseAssignee.js';
import type { StoredEntity } from '../storage/queries/entities.js';
import type { EntityVersionRow } from '../storage/queries/submissions.js';
import {
  findEntityVersion,
  hasInterruptingVersion,
  holdSubmission,
  insertEntityVersion,
} from '../storage/queries/submissions.js';
import type { Store } from '../storage/store.js';
import { locateEntity, relocatedArea } from './locateEntity.js';

/** What a submission did to its entity; the same object is returned when the submission is sent again. */
export type EntityOutcome =
  | { action: 'created' | 'updated'; list: string; entityId: string; version: number; conflict: string | null }
  | { action: 'held'; list: string; entityId: string; reason: HoldReason }
  /** Refused as ODK Central refuses it: the caller rolls the submission back (never in a receipt). */
  | { action: 'refused'; list: string; entityId: string; refusal: EntityRefusal };

/** What an edit changes besides answers: the case's envelope (case actions, docs/entities.md). */
export interface EnvelopeChange {
  assigneeId?: string | null;
  team?: string | null;
  status?: string;
  categories?: string[];
}

interface Context {
  projectId: string;
  /** The submission that carries the change; null for an edit made through the API (`editCase`). */
  submissionId: string | null;
  userId: string | null;
  at: string;
  /** An edit through the API: its version is recorded with source `edit` and the case action. */
  edit?: { action: string; envelope: EnvelopeChange };
  /**
   * Forced processing of a change held longer than the backlog timeout: a missing base is
   * replaced by the latest version, a missing case is created (named `auto generated` when the
   * change carries no label). Branch, trunk and base version are kept as sent.
   */
  force?: boolean;
}

/**
 * Creates or updates the entity a submission declares, in the caller's transaction, as ODK Central
 * does (lib/model/query/entities.js, `_processEntityData`; facts in docs/entities.md):
 * - update before create when both are declared; an update of a case that does not exist
 *   creates it when the submission may create, is held when it is part of an offline branch
 *   (its create may still come), else refused (`entity.not-found`);
 * - the base version is found as `baseLookup` says; a missing one is held inside an offline
 *   branch, refused outside one (`entity.version-not-found`), as is a trunk version ahead of the
 *   case;
 * - a stale base is still applied: `hard` conflict when a property it sets was also changed since
 *   to a different value, else `soft`; an offline branch interrupted by another device's update is
 *   `soft`; a conflict is never downgraded;
 * - a create of a taken id is refused (`entity.exists`), unless the case was created by force
 *   from an update, when the late create is applied at once as an update of it (Central's
 *   create-as-update: `hard` where its data disagree with the case, else `soft`);
 * - a create without a label is refused (`entity.label-missing`); deleted cases are refused
 *   (`entity.deleted`), an update of a case merged into another too (`entity.merged`).
 */
export async function applyEntity(declaration: EntityDeclaration, ctx: Context, tx: Store): Promise<EntityOutcome> {
  const list = await ensureEntityList(ctx.projectId, declaration.dataset, tx);
  // Serialise changes to one entity across server processes, even before it exists. Writers that
  // change several entities, or take other locks first, lock them all up front (lockEntities).
  await lockEntities([declaration.entityId], tx);
  const entityId = declaration.entityId;
  const refuse = (refusal: EntityRefusal): EntityOutcome => ({ action: 'refused', list: list.name, entityId, refusal });
  const hold = async (reason: HoldReason): Promise<EntityOutcome> => {
    // Only a submission's offline branch is held; an API edit names the version it was made on.
    if (ctx.submissionId === null) throw new Error('an edit without a submission cannot be held');
    await holdSubmission(
      {
        submission_id: ctx.submissionId,
        list_id: list.id,
        entity_id: entityId,
        base_version: declaration.baseVersion,
        trunk_version: declaration.trunkVersion,
        branch_id: declaration.branchId,
        reason,
        held_at: ctx.at,
      },
      tx,
    );
    return { action: 'held', list: list.name, entityId, reason };
  };
  const found = await findEntity(entityId, tx);
  if (found !== undefined && found.list_id !== list.id) {
    return refuse({ code: 'entity.exists', detail: `The id ${entityId} belongs to a case of another list.` });
  }
  const deleted = found !== undefined && found.deleted_at !== null;
  const current = found !== undefined && !deleted ? found : undefined;
  const force = ctx.force === true;

  if (declaration.update) {
    if (deleted) {
      // A duplicate merged into another case is refused naming that case (docs/entities.md, "Merging").
      const merge = await activeMergeOf(entityId, tx);
      if (merge !== undefined) {
        return refuse({
          code: 'entity.merged',
          detail: `The case ${entityId} was merged into the case ${merge.survivor_id}: update that case instead.`,
        });
      }
      return refuse({ code: 'entity.deleted', detail: `The case ${entityId} was deleted.` });
    }
    if (current !== undefined) return update(current, declaration, list.name, ctx, tx, { hold, refuse });
    // Inside an offline branch the case may have been created offline by a change still on its way.
    if (declaration.branchId !== null && declaration.baseVersion !== null && !force) return hold('entity-not-found');
    if (!declaration.create && !force) {
      return refuse({ code: 'entity.not-found', detail: `The server has no case ${entityId} in "${list.name}".` });
    }
  } else if (current !== undefined) {
    if (await createdByForce(current.id, tx)) {
      return update(current, declaration, list.name, ctx, tx, { hold, refuse, createAsUpdate: true });
    }
    return refuse({ code: 'entity.exists', detail: `A case with the id ${entityId} exists already.` });
  } else if (deleted) {
    return refuse({ code: 'entity.deleted', detail: `The id ${entityId} belongs to a deleted case.` });
  }
  let label = declaration.label;
  if (label === null || label.trim() === '') {
    if (!force) return refuse({ code: 'entity.label-missing', detail: 'A new case needs a label.' });
    label = AUTO_GENERATED_LABEL;
  }
  const created = await insertEntity(
    {
      id: entityId,
      listId: list.id,
      label,
      properties: declaration.properties,
      areaId: await locateEntity(ctx.projectId, declaration.properties, tx),
      // The list's columns follow the properties (docs/entities.md), on create as on update.
      status: statusOf(declaration.properties) ?? 'open',
      ...(await assigneeChange(ctx.projectId, declaration.properties, tx)),
      version: 1,
      baseVersion: null,
      trunkVersion: declaration.trunkVersion,
      branchId: declaration.branchId,
      at: ctx.at,
    },
    tx,
  );
  await insertEntityVersion(versionRow(created, declaration, ctx, { base: null, conflicting: null }), tx);
  return { action: 'created', list: list.name, entityId: created.id, version: created.version, conflict: null };
}

/** Whether the case's first version was created by force from an update (Central's `forceProcessed` root). */
async function createdByForce(entityId: string, tx: Store): Promise<boolean> {
  const root = await findEntityVersion(entityId, { version: 1 }, tx);
  return root !== undefined && root.forced === 1;
}

function versionRow(
  entity: StoredEntity,
  declaration: EntityDeclaration,
  ctx: Context,
  extra: { base: number | null; conflicting: string[] | null },
): EntityVersionRow {
  return {
    entity_id: entity.id,
    version: entity.version,
    label: entity.label,
    properties: JSON.stringify(entity.properties),
    data_received: JSON.stringify({
      ...(declaration.label === null ? {} : { label: declaration.label }),
      ...declaration.properties,
    }),
    base_version: extra.base,
    trunk_version: declaration.trunkVersion,
    branch_id: declaration.branchId,
    branch_base_version: declaration.branchId === null ? null : declaration.baseVersion,
    conflict: entity.conflict,
    conflicting_properties: extra.conflicting === null ? null : JSON.stringify(extra.conflicting),
    submission_id: ctx.submissionId,
    created_by: ctx.userId,
    created_at: ctx.at,
    forced: ctx.force === true ? 1 : 0,
    source: ctx.edit === undefined ? null : 'edit',
    action: ctx.edit?.action ?? null,
  };
}

async function update(
  current: StoredEntity,
  declaration: EntityDeclaration,
  listName: string,
  ctx: Context,
  tx: Store,
  answer: {
    hold: (reason: HoldReason) => Promise<EntityOutcome>;
    refuse: (refusal: EntityRefusal) => EntityOutcome;
    /** A late create of a case created by force: applied on the latest version. */
    createAsUpdate?: boolean;
  },
): Promise<EntityOutcome> {
  const { trunkVersion, branchId } = declaration;
  const force = ctx.force === true;
  // The version the device started from, in the server's numbering.
  const lookup: BaseLookup | null = answer.createAsUpdate
    ? { kind: 'version', version: current.version }
    : baseLookup(declaration);
  if (lookup === null) {
    return answer.refuse({
      code: 'entity.base-version-missing',
      detail: 'The update does not say which version of the case it was made on.',
    });
  }
  let base = await baseState(current, lookup, tx);
  if (base === undefined) {
    if (branchId !== null) {
      // An earlier step of the offline branch is still on its way; forced, it applies on the latest.
      if (!force) return answer.hold('base-version-not-found');
      base = current;
    } else if (force) {
      base = current;
    } else {
      return answer.refuse({
        code: 'entity.version-not-found',
        detail: `The case has no version ${declaration.baseVersion ?? 0}; it is at version ${current.version}.`,
      });
    }
  }
  if (trunkVersion !== null && trunkVersion > current.version && !force) {
    return answer.refuse({
      code: 'entity.version-not-found',
      detail: `The trunk version ${trunkVersion} is ahead of the case, which is at version ${current.version}.`,
    });
  }

  let conflict = current.conflict;
  let conflicting: string[] | null = null;
  if (base.version !== current.version) {
    conflicting = conflictingProperties(base, current, declaration);
    if (conflict !== 'hard') conflict = conflicting.length > 0 ? 'hard' : 'soft';
  } else if (answer.createAsUpdate === true) {
    // Against the case as it is: whatever the late create says otherwise conflicts.
    conflicting = conflictingProperties({ version: 0, label: '', properties: {} }, current, declaration);
    if (conflict !== 'hard') conflict = conflicting.length > 0 ? 'hard' : 'soft';
  } else if (branchId !== null && conflict !== 'hard') {
    if (await hasInterruptingVersion(current.id, branchId, trunkVersion ?? 1, tx)) conflict = 'soft';
  }

  // Entities made before their history was kept (seeded, imported) get their current state recorded first.
  if ((await findEntityVersion(current.id, { version: current.version }, tx)) === undefined) {
    await insertEntityVersion(
      {
        entity_id: current.id,
        version: current.version,
        label: current.label,
        properties: JSON.stringify(current.properties),
        data_received: JSON.stringify(current.properties),
        base_version: current.base_version,
        trunk_version: current.trunk_version,
        branch_id: current.branch_id,
        branch_base_version: null,
        conflict: current.conflict,
        conflicting_properties: null,
        submission_id: null,
        created_by: null,
        created_at: current.updated_at,
        forced: 0,
        source: 'import',
      },
      tx,
    );
  }
  const updated = await updateEntity(
    current.id,
    {
      properties: { ...current.properties, ...declaration.properties },
      ...(declaration.label === null ? {} : { label: declaration.label }),
      ...statusChange(declaration.properties),
      ...(await assigneeChange(ctx.projectId, declaration.properties, tx)),
      // A changed address moves the case (and, through scope, who sees it).
      ...(await relocation(ctx.projectId, current, declaration.properties, tx)),
      ...ctx.edit?.envelope,
      baseVersion: base.version,
      trunkVersion,
      branchId,
      conflict,
      at: ctx.at,
    },
    tx,
  );
  if (updated === undefined) throw new Error(`entity ${current.id} vanished while being updated`);
  await insertEntityVersion(versionRow(updated, declaration, ctx, { base: base.version, conflicting }), tx);
  return {
    action: 'updated',
    list: listName,
    entityId: updated.id,
    version: updated.version,
    conflict: updated.conflict,
  };
}

async function baseState(current: StoredEntity, lookup: BaseLookup, tx: Store): Promise<EntityState | undefined> {
  if (lookup.kind === 'version' && lookup.version === current.version) return current;
  const row = await findEntityVersion(current.id, lookup, tx);
  return row === undefined
    ? undefined
    : { version: row.version, label: row.label, properties: JSON.parse(row.properties) as Record<string, string> };
}

async function relocation(
  projectId: string,
  current: { area_id: string | null; properties: Record<string, string> },
  changed: Record<string, string>,
  tx: Store,
): Promise<{ areaId?: string }> {
  const areaId = await relocatedArea(projectId, current, changed, tx);
  return areaId === null ? {} : { areaId };
}

/** The case status a change sets through its properties, if it sets one. */
function statusChange(changed: Record<string, string>): { status?: string } {
  const status = statusOf(changed);
  return status === null ? {} : { status };
}

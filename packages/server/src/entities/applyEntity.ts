import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { BaseLookup, EntityDeclaration, EntityState, HoldReason } from '@outpost/core';
import { baseLookup, conflictingProperties, statusOf } from '@outpost/core';
import { ensureEntityList, findEntity, insertEntity, updateEntity } from '../storage/queries/entities.js';
import { assigneeChange } from './caseAssignee.js';
import { locateEntity, relocatedArea } from './locateEntity.js';
import type { StoredEntity } from '../storage/queries/entities.js';
import type { EntityVersionRow } from '../storage/queries/submissions.js';
import {
  findEntityVersion,
  hasInterruptingVersion,
  holdSubmission,
  insertEntityVersion,
} from '../storage/queries/submissions.js';
import type { Store } from '../storage/store.js';

/** What a submission did to its entity; the same object is returned when the submission is sent again. */
export type EntityOutcome =
  | { action: 'created' | 'updated'; list: string; entityId: string; version: number; conflict: string | null }
  | { action: 'held'; list: string; entityId: string; reason: HoldReason };

interface Context {
  projectId: string;
  submissionId: string;
  userId: string | null;
  at: string;
}

/**
 * Creates or updates the entity a submission declares, in the caller's transaction, deciding
 * conflicts as ODK Central does (lib/model/query/entities.js): an update whose base version is
 * behind the server's is still applied; it is a `hard` conflict when a property it sets was also
 * changed since its base to a different value, else `soft`. An offline branch interrupted by
 * another device's update is `soft`. A conflict is never downgraded.
 */
export async function applyEntity(declaration: EntityDeclaration, ctx: Context, tx: Store): Promise<EntityOutcome> {
  const list = await ensureEntityList(ctx.projectId, declaration.dataset, tx);
  if (tx.dialect === 'postgres') {
    // Serialise changes to one entity across server processes, even before it exists.
    const key = createHash('sha256').update(declaration.entityId).digest().readBigInt64BE(0);
    await sql`select pg_advisory_xact_lock(${key.toString()}::bigint)`.execute(tx.db);
  }
  const hold = async (reason: HoldReason): Promise<EntityOutcome> => {
    await holdSubmission(
      {
        submission_id: ctx.submissionId,
        list_id: list.id,
        entity_id: declaration.entityId,
        base_version: declaration.baseVersion,
        trunk_version: declaration.trunkVersion,
        branch_id: declaration.branchId,
        reason,
        held_at: ctx.at,
      },
      tx,
    );
    return { action: 'held', list: list.name, entityId: declaration.entityId, reason };
  };
  const found = await findEntity(declaration.entityId, tx);
  const current = found !== undefined && found.list_id === list.id && found.deleted_at === null ? found : undefined;

  if (declaration.update && current !== undefined) return update(current, declaration, list.name, ctx, tx, hold);
  if (!declaration.create) return hold('entity-not-found');
  if (found !== undefined) return hold('entity-exists');
  if (declaration.label === null) return hold('label-missing');
  const created = await insertEntity(
    {
      id: declaration.entityId,
      listId: list.id,
      label: declaration.label,
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
  };
}

async function update(
  current: StoredEntity,
  declaration: EntityDeclaration,
  listName: string,
  ctx: Context,
  tx: Store,
  hold: (reason: HoldReason) => Promise<EntityOutcome>,
): Promise<EntityOutcome> {
  const { trunkVersion, branchId } = declaration;
  if (declaration.baseVersion === null) return hold('base-version-missing');
  if (trunkVersion !== null && trunkVersion > current.version) return hold('trunk-version-not-found');

  // The version the device started from, in the server's numbering.
  const lookup = baseLookup(declaration);
  if (lookup === null) return hold('base-version-missing');
  const base = await baseState(current, lookup, tx);
  if (base === undefined) return hold('base-version-not-found');

  let conflict = current.conflict;
  let conflicting: string[] | null = null;
  if (base.version !== current.version) {
    conflicting = conflictingProperties(base, current, declaration);
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

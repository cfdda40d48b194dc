import type { EntityDeclaration, PolicyActor, PolicyRecord, WriteCheck } from '@outpost/core';
import type { EnvelopeChange } from './applyEntity.js';
import { checkCreate, checkWrite } from '@outpost/core';
import { catalogueFor, recordOf } from '../policy/index.js';
import { findArea } from '../storage/queries/areas.js';
import { assigneeChange } from './caseAssignee.js';
import { placedEntities } from '../storage/queries/entities.js';
import type { Store } from '../storage/store.js';
import { locateEntity, relocatedArea } from './locateEntity.js';

/**
 * Checks the entity change a submission declares against the policy, before anything is stored
 * (S1, S3): a new case must land inside the sender's reach with only fields she may write; an
 * update must touch a case she may write, may move it (a changed address relocates the case) only
 * with `cases.assign` and only within her reach; an id of another project's case is out of reach.
 * The one reach check of a change, for the REST and the push path alike. Changes the server will hold rather than apply
 * (unknown entity, create of an existing id) are not decided here: they change nothing now.
 * Mirrors the branching of `applyEntity`.
 */
export async function authorizeEntityChange(
  input: {
    actor: PolicyActor;
    projectId: string;
    declaration: EntityDeclaration;
    /** What an API edit changes of the case's envelope (assignee, team, status, categories). */
    envelope?: EnvelopeChange;
  },
  tx: Store,
): Promise<WriteCheck> {
  const { actor, projectId, declaration } = input;
  const found = await placedEntities(tx)
    .select([
      'entities.id',
      'entities.label',
      'entities.properties',
      'entities.team',
      'entities.assignee_id',
      'entities.area_id',
      'entities.deleted_at',
      'entity_lists.name as list_name',
      'entity_lists.project_id',
      'areas.path as area_path',
    ])
    .where('entities.id', '=', declaration.entityId)
    .executeTakeFirst();
  // A case of another project is outside the sender's reach, whatever the change: its id neither
  // updates nor is created again from here (and its existence is not told).
  if (found !== undefined && found.deleted_at === null && found.project_id !== projectId) {
    return { ok: false, reason: 'scope', fields: [] };
  }
  const current =
    found !== undefined &&
    found.project_id === projectId &&
    found.list_name === declaration.dataset &&
    found.deleted_at === null
      ? found
      : undefined;
  const catalogue = await catalogueFor(projectId, tx);

  if (declaration.update && current !== undefined) {
    const properties = JSON.parse(current.properties) as Record<string, string>;
    const record = recordOf({ ...current, properties }, current.area_path);
    const changes: Record<string, unknown> = { properties: declaration.properties };
    if (declaration.label !== null) changes['label'] = declaration.label;
    const areaId = await relocatedArea(projectId, { area_id: current.area_id, properties }, declaration.properties, tx);
    if (areaId !== null) changes['areaPath'] = await areaPathOf(areaId, tx);
    // Assigning the case to someone (the `assignee` property) needs `cases.assign`, like a move.
    const { assigneeId } = await assigneeChange(projectId, declaration.properties, tx);
    if (assigneeId !== undefined && assigneeId !== current.assignee_id) changes['assigneeId'] = assigneeId;
    // An edit's envelope is checked field by field: assignee and team need `cases.assign`.
    for (const [name, value] of Object.entries(input.envelope ?? {})) {
      if (value !== undefined) changes[name] = value;
    }
    return checkWrite(actor, record, changes, catalogue);
  }
  if (!declaration.create || found !== undefined || declaration.label === null) return { ok: true };
  const areaId = await locateEntity(projectId, declaration.properties, tx);
  const record: PolicyRecord = {
    kind: 'entity',
    id: declaration.entityId,
    projectId,
    listName: declaration.dataset,
    areaPath: areaId === null ? null : await areaPathOf(areaId, tx),
    team: null,
    assigneeId: (await assigneeChange(projectId, declaration.properties, tx)).assigneeId ?? null,
    createdBy: actor.userId,
    label: declaration.label,
    properties: declaration.properties,
  };
  return checkCreate(actor, record, catalogue);
}

async function areaPathOf(areaId: string, store: Store): Promise<string | null> {
  return (await findArea(areaId, store))?.path ?? null;
}

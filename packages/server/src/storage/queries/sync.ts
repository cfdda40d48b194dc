import { sql } from 'kysely';
import type { RawBuilder, SqlBool } from 'kysely';
import type { ScopeFilter } from '@outpost/core';
import { entityScopeColumns, scopeFilterSql } from './scopeFilter.js';
import type { ScopeColumns } from './scopeFilter.js';
import { writeHeldBack } from '../store.js';
import type { Store } from '../store.js';
import type { EntityBacklogRow } from './submissions.js';
import { placedEntities } from './entities.js';

/**
 * Where records are, as data: the same shape as core policy's `ScopeFilter` (so its output can be
 * passed straight in) plus `not`. `areas` is a prefix test on the materialised area path.
 */
export type PlacementFilter =
  | Exclude<ScopeFilter, { kind: 'anyOf' } | { kind: 'allOf' }>
  | { kind: 'anyOf'; filters: readonly PlacementFilter[] }
  | { kind: 'allOf'; filters: readonly PlacementFilter[] }
  | { kind: 'not'; filter: PlacementFilter };

const current: ScopeColumns = entityScopeColumns;

/** Where an entity was before a change, as the scope log recorded it. */
const before: ScopeColumns = {
  areaPath: 'entity_scope_log.old_area_path',
  team: 'entity_scope_log.old_team',
  assignee: 'entity_scope_log.old_assignee_id',
  list: 'entity_lists.name',
};

/**
 * The filter as a SQL condition that is never NULL, so `not` is a plain complement. Everything
 * but `not` is the policy's own translation (`scopeFilterSql`); entities keep no creator column,
 * so `creator` matches nothing here.
 */
export function placementSql(filter: PlacementFilter, columns: ScopeColumns): RawBuilder<SqlBool> {
  switch (filter.kind) {
    case 'not':
      return sql<SqlBool>`(not ${placementSql(filter.filter, columns)})`;
    case 'anyOf':
      if (filter.filters.length === 0) return sql<SqlBool>`(1 = 0)`;
      return sql<SqlBool>`(${sql.join(
        filter.filters.map((f) => placementSql(f, columns)),
        sql` or `,
      )})`;
    case 'allOf':
      if (filter.filters.length === 0) return sql<SqlBool>`(1 = 1)`;
      return sql<SqlBool>`(${sql.join(
        filter.filters.map((f) => placementSql(f, columns)),
        sql` and `,
      )})`;
    default:
      return scopeFilterSql(filter, columns);
  }
}

/**
 * Where a version of an entity is, and which version: what a pull reads of every changed entity
 * (enough to file it, to decide who may read it, and to find what it became for a reader).
 */
export interface SyncEntityHead {
  id: string;
  list: string;
  version: number;
  seq: number;
  area_id: string | null;
  area_path: string | null;
  team: string | null;
  assignee_id: string | null;
}

/** An entity as a pull sends it, before redaction. */
export interface SyncEntityRow extends SyncEntityHead {
  label: string;
  properties: Record<string, string>;
  status: string;
  conflict: string | null;
  /** The category codes the case is tagged with. */
  categories: string[];
  updated_at: string;
}

/** The highest entity commit sequence handed out and committed so far. */
export async function entitySeqHighWater(store: Store): Promise<number> {
  // Inside a transaction that took entity seqs, its count is written first.
  await writeHeldBack(store);
  const row = await store.db.selectFrom('counters').select('value').where('name', '=', 'entities').executeTakeFirst();
  return row === undefined ? 0 : Number(row.value);
}

/** The live entities of a project placed by `filter` and changed in (afterSeq, throughSeq]: listed, or counted. */
function changedEntitiesQuery(
  projectId: string,
  filter: PlacementFilter,
  range: { afterSeq: number; throughSeq: number },
  store: Store,
) {
  return placedEntities(store)
    .where('entity_lists.project_id', '=', projectId)
    .where('entities.deleted_at', 'is', null)
    .where('entities.seq', '>', range.afterSeq)
    .where('entities.seq', '<=', range.throughSeq)
    .where(placementSql(filter, current));
}

/**
 * Live entities of a project placed by `filter`, changed in (afterSeq, throughSeq], in commit order:
 * their heads only (a pull reads the rest with `entityContents`, for the versions it has no
 * redaction of).
 */
export async function changedEntities(
  projectId: string,
  filter: PlacementFilter,
  range: { afterSeq: number; throughSeq: number; limit: number },
  store: Store,
): Promise<SyncEntityHead[]> {
  const rows = await changedEntitiesQuery(projectId, filter, range, store)
    .select([
      'entities.id',
      'entity_lists.name as list',
      'entities.version',
      'entities.seq',
      'entities.area_id',
      'areas.path as area_path',
      'entities.team',
      'entities.assignee_id',
    ])
    .orderBy('entities.seq')
    .limit(range.limit)
    .execute();
  return rows.map((r) => ({ ...r, area_path: r.area_path ?? null, version: Number(r.version), seq: Number(r.seq) }));
}

/**
 * The whole of each entity version named by `heads`, in their order, for those still live at that
 * seq (every write of an entity takes a new seq, so a seq names one version). An entity written
 * again since its head was read is left out: its new seq is above any cursor the head's pull hands
 * out, so the next pull sends it. Where the version is placed is the head's (an edit of the area
 * list can change a path without a new seq; what the pull decided by stays one reading).
 */
export async function entityContents(heads: readonly SyncEntityHead[], store: Store): Promise<SyncEntityRow[]> {
  if (heads.length === 0) return [];
  const rows = await store.db
    .selectFrom('entities')
    .select([
      'entities.id',
      'entities.seq',
      'entities.label',
      'entities.properties',
      'entities.status',
      'entities.conflict',
      'entities.categories',
      'entities.updated_at',
    ])
    .where(
      'entities.id',
      'in',
      heads.map((h) => h.id),
    )
    .where('entities.deleted_at', 'is', null)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return heads.flatMap((head) => {
    const r = byId.get(head.id);
    if (r === undefined || Number(r.seq) !== head.seq) return [];
    return [
      {
        ...head,
        label: r.label,
        properties: JSON.parse(r.properties) as Record<string, string>,
        status: r.status,
        conflict: r.conflict,
        categories: JSON.parse(r.categories) as string[],
        updated_at: r.updated_at,
      },
    ];
  });
}

/** How many live entities placed by `filter` changed in (afterSeq, throughSeq]: progress only. */
export async function countChangedEntities(
  projectId: string,
  filter: PlacementFilter,
  range: { afterSeq: number; throughSeq: number },
  store: Store,
): Promise<number> {
  const row = await changedEntitiesQuery(projectId, filter, range, store)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface LeaverRow {
  entity_id: string;
  list: string;
  seq: number;
  reason: 'out-of-scope' | 'deleted';
}

/**
 * Entities that were placed by `from` before a change in (afterSeq, throughSeq] and are now
 * deleted or outside `reach`: what a device that held them must evict. Each entity once, at its
 * latest such change.
 */
export async function scopeLeavers(
  projectId: string,
  from: PlacementFilter,
  reach: PlacementFilter,
  range: { afterSeq: number; throughSeq: number; limit: number },
  store: Store,
): Promise<LeaverRow[]> {
  const rows = await store.db
    .selectFrom('entity_scope_log')
    .innerJoin('entities', 'entities.id', 'entity_scope_log.entity_id')
    .innerJoin('entity_lists', 'entity_lists.id', 'entities.list_id')
    .leftJoin('areas', 'areas.id', 'entities.area_id')
    .select(['entity_scope_log.entity_id', 'entity_lists.name as list', 'entity_scope_log.seq', 'entities.deleted_at'])
    .where('entity_lists.project_id', '=', projectId)
    .where('entity_scope_log.seq', '>', range.afterSeq)
    .where('entity_scope_log.seq', '<=', range.throughSeq)
    .where(placementSql(from, before))
    .where((eb) => eb.or([eb('entities.deleted_at', 'is not', null), eb.not(placementSql(reach, current))]))
    .orderBy('entity_scope_log.seq')
    .limit(range.limit)
    .execute();
  const latest = new Map<string, LeaverRow>();
  for (const r of rows) {
    latest.delete(r.entity_id);
    latest.set(r.entity_id, {
      entity_id: r.entity_id,
      list: r.list,
      seq: Number(r.seq),
      reason: r.deleted_at === null ? 'out-of-scope' : 'deleted',
    });
  }
  return [...latest.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * Whether a scope changed after `afterSeq`: an entity placed by `filed` changed, or one placed by
 * `within` before a move (or deletion) moved.
 */
export async function scopeChangedSince(
  projectId: string,
  scope: { filed: PlacementFilter; within: PlacementFilter },
  afterSeq: number,
  store: Store,
): Promise<boolean> {
  const changed = await changedEntities(
    projectId,
    scope.filed,
    { afterSeq, throughSeq: Number.MAX_SAFE_INTEGER, limit: 1 },
    store,
  );
  if (changed.length > 0) return true;
  const moved = await store.db
    .selectFrom('entity_scope_log')
    .innerJoin('entities', 'entities.id', 'entity_scope_log.entity_id')
    .innerJoin('entity_lists', 'entity_lists.id', 'entities.list_id')
    .select('entity_scope_log.seq')
    .where('entity_lists.project_id', '=', projectId)
    .where('entity_scope_log.seq', '>', afterSeq)
    .where(placementSql(scope.within, before))
    .limit(1)
    .executeTakeFirst();
  return moved !== undefined;
}

/** Id and version of every live entity placed by `filter`, for the drift digest. */
export async function placedVersions(
  projectId: string,
  filter: PlacementFilter,
  store: Store,
): Promise<Array<{ id: string; version: number }>> {
  const rows = await placedEntities(store)
    .select(['entities.id', 'entities.version'])
    .where('entity_lists.project_id', '=', projectId)
    .where('entities.deleted_at', 'is', null)
    .where(placementSql(filter, current))
    .execute();
  return rows.map((r) => ({ id: r.id, version: Number(r.version) }));
}

/** Where an entity is now (for scope checks on writes); undefined when it does not exist. */
export async function entityPlacement(
  entityId: string,
  store: Store,
): Promise<
  | {
      id: string;
      project_id: string;
      list: string;
      area_path: string | null;
      team: string | null;
      assignee_id: string | null;
      deleted_at: string | null;
    }
  | undefined
> {
  const row = await placedEntities(store)
    .select([
      'entities.id',
      'entity_lists.project_id',
      'entity_lists.name as list',
      'areas.path as area_path',
      'entities.team',
      'entities.assignee_id',
      'entities.deleted_at',
    ])
    .where('entities.id', '=', entityId)
    .executeTakeFirst();
  return row === undefined ? undefined : { ...row, area_path: row.area_path ?? null };
}

// --- device acknowledgements ---

export async function findDeviceAck(deviceKey: string, store: Store): Promise<number> {
  const row = await store.db
    .selectFrom('device_sync')
    .select('acked_seq')
    .where('device_key', '=', deviceKey)
    .executeTakeFirst();
  return row === undefined ? 0 : Number(row.acked_seq);
}

/** Raises the device's acknowledged sequence (never lowers it: pushes may be retried out of order). */
export async function recordDeviceAck(
  input: { deviceKey: string; userId: string; ackedSeq: number; at: string },
  store: Store,
): Promise<void> {
  await store.db
    .insertInto('device_sync')
    .values({ device_key: input.deviceKey, user_id: input.userId, acked_seq: input.ackedSeq, updated_at: input.at })
    .onConflict((oc) =>
      oc.column('device_key').doUpdateSet({
        acked_seq: sql<number>`case when device_sync.acked_seq > ${input.ackedSeq} then device_sync.acked_seq else ${input.ackedSeq} end`,
        updated_at: input.at,
      }),
    )
    .execute();
}

// --- the entity backlog ---

/** Held changes of one entity, in the order they should be tried: offline branches step by step. */
/** Which of these entities have changes waiting in the backlog (one statement for a push batch). */
export async function entitiesWithBacklog(entityIds: readonly string[], store: Store): Promise<Set<string>> {
  if (entityIds.length === 0) return new Set();
  const rows = await store.db
    .selectFrom('entity_backlog')
    .select('entity_id')
    .distinct()
    .where('entity_id', 'in', [...entityIds])
    .execute();
  return new Set(rows.map((r) => r.entity_id));
}

export async function heldForEntity(entityId: string, store: Store): Promise<EntityBacklogRow[]> {
  const rows = await store.db
    .selectFrom('entity_backlog')
    .selectAll()
    .where('entity_id', '=', entityId)
    .orderBy('held_at')
    .orderBy('submission_id')
    .execute();
  return rows.map(numericBacklog);
}

/** Entities with changes held since before `heldBefore`, oldest first. */
export async function entitiesHeldSince(heldBefore: string, limit: number, store: Store): Promise<string[]> {
  const rows = await store.db
    .selectFrom('entity_backlog')
    .select('entity_id')
    .where('held_at', '<', heldBefore)
    .groupBy('entity_id')
    .orderBy((eb) => eb.fn.min('held_at'))
    .limit(limit)
    .execute();
  return rows.map((r) => r.entity_id);
}

/**
 * Takes a held change out of the backlog; false when it is no longer there. On PostgreSQL a second
 * transaction taking the same row waits for the first and then gets false, so a change is never
 * applied twice by two pushes replaying the backlog at once.
 */
export async function releaseHeld(submissionId: string, entityId: string, store: Store): Promise<boolean> {
  const result = await store.db
    .deleteFrom('entity_backlog')
    .where('submission_id', '=', submissionId)
    .where('entity_id', '=', entityId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

function numericBacklog(row: EntityBacklogRow): EntityBacklogRow {
  return {
    ...row,
    base_version: row.base_version === null ? null : Number(row.base_version),
    trunk_version: row.trunk_version === null ? null : Number(row.trunk_version),
  };
}

/** Keeps a change's original hold time when it is tried again and held again (the force timer counts from it). */
export async function restoreHeldAt(
  held: { submissionId: string; entityId: string },
  heldAt: string,
  store: Store,
): Promise<void> {
  await store.db
    .updateTable('entity_backlog')
    .set({ held_at: heldAt })
    .where('submission_id', '=', held.submissionId)
    .where('entity_id', '=', held.entityId)
    .execute();
}

/**
 * Flags a version applied out of order by force as a soft conflict (ODK Central does the same),
 * in the transaction that applied it, so the commit sequence it got still covers the flag.
 */
export async function flagForcedVersion(entityId: string, version: number, store: Store): Promise<void> {
  await store.db
    .updateTable('entities')
    .set({ conflict: 'soft' })
    .where('id', '=', entityId)
    .where('conflict', 'is', null)
    .execute();
  await store.db
    .updateTable('entity_versions')
    .set({ conflict: 'soft' })
    .where('entity_id', '=', entityId)
    .where('version', '=', version)
    .where('conflict', 'is', null)
    .execute();
}

import type { Insertable, Selectable } from 'kysely';
import type { EntityBacklogTable, EntityVersionsTable, SubmissionsTable } from '../schema.js';
import type { Store } from '../store.js';

export type SubmissionRow = Selectable<SubmissionsTable>;
export type EntityVersionRow = Selectable<EntityVersionsTable>;
export type EntityBacklogRow = Selectable<EntityBacklogTable>;

export async function findSubmission(instanceId: string, store: Store): Promise<SubmissionRow | undefined> {
  const row = await store.db
    .selectFrom('submissions')
    .selectAll()
    .where('instance_id', '=', instanceId)
    .executeTakeFirst();
  return row === undefined ? undefined : { ...row, seq: Number(row.seq) };
}

/** Which of these instance ids are stored already (one statement for a push batch). */
export async function storedInstanceIds(instanceIds: readonly string[], store: Store): Promise<Set<string>> {
  if (instanceIds.length === 0) return new Set();
  const rows = await store.db
    .selectFrom('submissions')
    .select('instance_id')
    .where('instance_id', 'in', [...instanceIds])
    .execute();
  return new Set(rows.map((r) => r.instance_id));
}

export async function insertSubmission(row: SubmissionRow, store: Store): Promise<void> {
  await store.db.insertInto('submissions').values(row).execute();
}

export async function insertEntityVersion(row: Insertable<EntityVersionsTable>, store: Store): Promise<void> {
  await store.db.insertInto('entity_versions').values(row).execute();
}

function numeric(row: EntityVersionRow): EntityVersionRow {
  return {
    ...row,
    version: Number(row.version),
    forced: Number(row.forced),
    base_version: row.base_version === null ? null : Number(row.base_version),
    trunk_version: row.trunk_version === null ? null : Number(row.trunk_version),
    branch_base_version: row.branch_base_version === null ? null : Number(row.branch_base_version),
  };
}

/** The entity version a submission made, if it made one. */
/** The entity versions a submission made, with the name of each entity's list. */
export async function entityVersionsOfSubmission(
  instanceId: string,
  store: Store,
): Promise<Array<EntityVersionRow & { list: string }>> {
  const rows = await store.db
    .selectFrom('entity_versions')
    .innerJoin('entities', 'entities.id', 'entity_versions.entity_id')
    .innerJoin('entity_lists', 'entity_lists.id', 'entities.list_id')
    .selectAll('entity_versions')
    .select('entity_lists.name as list')
    .where('entity_versions.submission_id', '=', instanceId)
    .execute();
  return rows.map((row) => ({ ...numeric(row), list: row.list }));
}

export async function findEntityVersion(
  entityId: string,
  where: { version: number } | { branchId: string; branchBaseVersion: number },
  store: Store,
): Promise<EntityVersionRow | undefined> {
  let query = store.db.selectFrom('entity_versions').selectAll().where('entity_id', '=', entityId);
  query =
    'version' in where
      ? query.where('version', '=', where.version)
      : query.where('branch_id', '=', where.branchId).where('branch_base_version', '=', where.branchBaseVersion);
  const row = await query.executeTakeFirst();
  return row === undefined ? undefined : numeric(row);
}

/**
 * Whether a version from another branch (or from no branch) came after `afterVersion`: an offline
 * branch that was interrupted so is no longer contiguous with its trunk.
 */
export async function hasInterruptingVersion(
  entityId: string,
  branchId: string,
  afterVersion: number,
  store: Store,
): Promise<boolean> {
  const row = await store.db
    .selectFrom('entity_versions')
    .select('version')
    .where('entity_id', '=', entityId)
    .where('version', '>', afterVersion)
    .where((eb) => eb.or([eb('branch_id', 'is', null), eb('branch_id', '!=', branchId)]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function holdSubmission(row: EntityBacklogRow, store: Store): Promise<void> {
  await store.db.insertInto('entity_backlog').values(row).execute();
}

/** The entity changes of a submission still held, one per entity. */
export async function heldEntityUpdates(
  instanceId: string,
  store: Store,
): Promise<Array<EntityBacklogRow & { list: string }>> {
  return store.db
    .selectFrom('entity_backlog')
    .innerJoin('entity_lists', 'entity_lists.id', 'entity_backlog.list_id')
    .selectAll('entity_backlog')
    .select('entity_lists.name as list')
    .where('entity_backlog.submission_id', '=', instanceId)
    .execute();
}

import type { Kysely, Selectable } from 'kysely';
import type { Database, SubmissionsTable } from '../schema.js';
import type { Store } from '../store.js';

// Tables added by migration 0003; declared here until schema.ts lists them.
export interface EntityVersionsTable {
  entity_id: string;
  version: number;
  label: string;
  /** JSON object: the entity's properties after this version */
  properties: string;
  /** JSON object: the properties this version's submission carried */
  data_received: string;
  base_version: number | null;
  trunk_version: number | null;
  branch_id: string | null;
  branch_base_version: number | null;
  conflict: string | null;
  /** JSON array of property names, or null */
  conflicting_properties: string | null;
  submission_id: string | null;
  created_by: string | null;
  created_at: string;
}

export interface EntityBacklogTable {
  submission_id: string;
  list_id: string;
  entity_id: string;
  base_version: number | null;
  trunk_version: number | null;
  branch_id: string | null;
  reason: string;
  held_at: string;
}

type EntityHistoryTables = {
  entity_versions: EntityVersionsTable;
  entity_backlog: EntityBacklogTable;
};

function db(store: Store): Kysely<Database & EntityHistoryTables> {
  return store.db.withTables<EntityHistoryTables>();
}

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

export async function insertSubmission(row: SubmissionRow, store: Store): Promise<void> {
  await store.db.insertInto('submissions').values(row).execute();
}

export async function insertEntityVersion(row: EntityVersionRow, store: Store): Promise<void> {
  await db(store).insertInto('entity_versions').values(row).execute();
}

function numeric(row: EntityVersionRow): EntityVersionRow {
  return {
    ...row,
    version: Number(row.version),
    base_version: row.base_version === null ? null : Number(row.base_version),
    trunk_version: row.trunk_version === null ? null : Number(row.trunk_version),
    branch_base_version: row.branch_base_version === null ? null : Number(row.branch_base_version),
  };
}

/** The entity version a submission made, if it made one. */
export async function entityVersionOfSubmission(
  instanceId: string,
  store: Store,
): Promise<EntityVersionRow | undefined> {
  const row = await db(store)
    .selectFrom('entity_versions')
    .selectAll()
    .where('submission_id', '=', instanceId)
    .executeTakeFirst();
  return row === undefined ? undefined : numeric(row);
}

export async function findEntityVersion(
  entityId: string,
  where: { version: number } | { branchId: string; branchBaseVersion: number },
  store: Store,
): Promise<EntityVersionRow | undefined> {
  let query = db(store).selectFrom('entity_versions').selectAll().where('entity_id', '=', entityId);
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
  const row = await db(store)
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
  await db(store).insertInto('entity_backlog').values(row).execute();
}

export async function heldEntityUpdate(instanceId: string, store: Store): Promise<EntityBacklogRow | undefined> {
  return db(store).selectFrom('entity_backlog').selectAll().where('submission_id', '=', instanceId).executeTakeFirst();
}

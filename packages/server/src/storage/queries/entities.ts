import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Selectable } from 'kysely';
import type { ScopeFilter } from '@outpost/core';
import { applyScopeFilter, entityScopeColumns } from './scopeFilter.js';
import type { EntitiesTable, EntityListsTable } from '../schema.js';
import { keptRead, nextSeq } from '../store.js';
import { announceListChange } from '../changeNotices.js';
import type { Store } from '../store.js';
import { clampPage } from './clampPage.js';
import { escapeLike } from './escapeLike.js';

export type EntityList = Selectable<EntityListsTable>;

/** An entity as callers see it: JSON columns parsed, the search column left out. */
export interface StoredEntity extends Omit<Selectable<EntitiesTable>, 'properties' | 'categories' | 'label_search'> {
  properties: Record<string, string>;
  categories: string[];
}

export interface NewEntity {
  id?: string;
  listId: string;
  label: string;
  properties?: Record<string, string>;
  version?: number;
  baseVersion?: number | null;
  trunkVersion?: number | null;
  branchId?: string | null;
  conflict?: string | null;
  assigneeId?: string | null;
  team?: string | null;
  areaId?: string | null;
  status?: string;
  categories?: string[];
  at?: string;
}

export interface EntityChanges {
  label?: string;
  properties?: Record<string, string>;
  baseVersion?: number | null;
  trunkVersion?: number | null;
  branchId?: string | null;
  conflict?: string | null;
  assigneeId?: string | null;
  team?: string | null;
  areaId?: string | null;
  status?: string;
  categories?: string[];
  deletedAt?: string | null;
  /** Keep the version (a soft delete or a restore is no new version of the data, as in ODK Central). */
  keepVersion?: boolean;
  at?: string;
}

export interface EntityFilter {
  /** Matches anywhere in the label, ignoring case (Cyrillic included); null or blank matches all. */
  q?: string | null;
  /** Only this entity list; null or absent means every list of the project. */
  listName?: string | null;
  /** Only entities in these areas; null or absent means any area. */
  areaIds?: readonly string[] | null;
  /** Only what a core/policy `scopeFilter` lets through (absent: no policy limit, for trusted callers). */
  scope?: ScopeFilter | null;
  /** Only these entities; null or absent means any. */
  ids?: readonly string[] | null;
  /** Only entities tagged with this category code; null or absent means any. */
  category?: string | null;
  /** Soft-deleted entities instead of live ones (the deleted-cases view); absent means live. */
  deleted?: boolean;
}

/**
 * The form a label is searched in. Lower-casing happens here rather than in SQL because SQLite's
 * lower() and LIKE fold ASCII only, which would miss `Батболд` for `батб`.
 */
export function searchKey(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

const ENTITY_COLUMNS = [
  'entities.id',
  'entities.list_id',
  'entities.label',
  'entities.properties',
  'entities.version',
  'entities.base_version',
  'entities.trunk_version',
  'entities.branch_id',
  'entities.conflict',
  'entities.assignee_id',
  'entities.team',
  'entities.area_id',
  'entities.status',
  'entities.categories',
  'entities.created_at',
  'entities.updated_at',
  'entities.deleted_at',
  'entities.seq',
] as const;

type EntityRow = Omit<Selectable<EntitiesTable>, 'label_search'>;

function parseEntity(row: EntityRow): StoredEntity {
  return {
    ...row,
    properties: JSON.parse(row.properties) as Record<string, string>,
    categories: JSON.parse(row.categories) as string[],
  };
}

/** The project's entity list called `name`, created on first use. */
export async function ensureEntityList(projectId: string, name: string, store: Store): Promise<EntityList> {
  return keptRead(store, `entityList|${projectId}|${name}`, () => findOrCreateEntityList(projectId, name, store));
}

async function findOrCreateEntityList(projectId: string, name: string, store: Store): Promise<EntityList> {
  const find = (s: Store) =>
    s.db
      .selectFrom('entity_lists')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('name', '=', name)
      .executeTakeFirst();
  const found = await find(store);
  if (found !== undefined) return found;
  // `do nothing` so two requests creating the same list at once both end up with the one row.
  await store.db
    .insertInto('entity_lists')
    .values({ id: randomUUID(), project_id: projectId, name, created_at: new Date().toISOString() })
    .onConflict((oc) => oc.columns(['project_id', 'name']).doNothing())
    .execute();
  const created = await find(store);
  if (created === undefined) throw new Error(`entity list ${name} vanished after creation`);
  return created;
}

/** Inserts an entity with the next entity commit sequence. */
export async function insertEntity(input: NewEntity, store: Store): Promise<StoredEntity> {
  return store.transaction(async (tx) => {
    const at = input.at ?? new Date().toISOString();
    const row: Selectable<EntitiesTable> = {
      id: input.id ?? randomUUID(),
      list_id: input.listId,
      label: input.label,
      label_search: searchKey(input.label),
      properties: JSON.stringify(input.properties ?? {}),
      version: input.version ?? 1,
      base_version: input.baseVersion ?? null,
      trunk_version: input.trunkVersion ?? null,
      branch_id: input.branchId ?? null,
      conflict: input.conflict ?? null,
      assignee_id: input.assigneeId ?? null,
      team: input.team ?? null,
      area_id: input.areaId ?? null,
      status: input.status ?? 'open',
      categories: JSON.stringify(input.categories ?? []),
      created_at: at,
      updated_at: at,
      deleted_at: null,
      seq: await nextSeq('entities', tx),
    };
    await tx.db.insertInto('entities').values(row).execute();
    await announceListChange(row.list_id, tx);
    const { label_search: _omitted, ...visible } = row;
    return parseEntity(visible);
  });
}

/**
 * Applies changes to an entity, bumping its version by one and giving it the next entity commit
 * sequence. Returns undefined when there is no such entity.
 */
export async function updateEntity(
  id: string,
  changes: EntityChanges,
  store: Store,
): Promise<StoredEntity | undefined> {
  return store.transaction(async (tx) => {
    const current = await findEntity(id, tx);
    if (current === undefined) return undefined;
    const seq = await nextSeq('entities', tx);
    await tx.db
      .updateTable('entities')
      .set({
        ...(changes.label === undefined ? {} : { label: changes.label, label_search: searchKey(changes.label) }),
        ...(changes.properties === undefined ? {} : { properties: JSON.stringify(changes.properties) }),
        ...(changes.baseVersion === undefined ? {} : { base_version: changes.baseVersion }),
        ...(changes.trunkVersion === undefined ? {} : { trunk_version: changes.trunkVersion }),
        ...(changes.branchId === undefined ? {} : { branch_id: changes.branchId }),
        ...(changes.conflict === undefined ? {} : { conflict: changes.conflict }),
        ...(changes.assigneeId === undefined ? {} : { assignee_id: changes.assigneeId }),
        ...(changes.team === undefined ? {} : { team: changes.team }),
        ...(changes.areaId === undefined ? {} : { area_id: changes.areaId }),
        ...(changes.status === undefined ? {} : { status: changes.status }),
        ...(changes.categories === undefined ? {} : { categories: JSON.stringify(changes.categories) }),
        ...(changes.deletedAt === undefined ? {} : { deleted_at: changes.deletedAt }),
        version: changes.keepVersion === true ? current.version : current.version + 1,
        updated_at: changes.at ?? new Date().toISOString(),
        seq,
      })
      .where('id', '=', id)
      .execute();
    await announceListChange(current.list_id, tx);
    return findEntity(id, tx);
  });
}

export async function findEntity(id: string, store: Store): Promise<StoredEntity | undefined> {
  const row = await store.db
    .selectFrom('entities')
    .select(ENTITY_COLUMNS)
    .where('entities.id', '=', id)
    .executeTakeFirst();
  return row === undefined ? undefined : parseEntity(row);
}

/** Entities with their list and, when placed, their area: what placement and scope filters read. */
export function placedEntities(store: Store) {
  return store.db
    .selectFrom('entities')
    .innerJoin('entity_lists', 'entity_lists.id', 'entities.list_id')
    .leftJoin('areas', 'areas.id', 'entities.area_id');
}

function filtered(projectId: string, filter: EntityFilter, store: Store) {
  let query = placedEntities(store)
    .where('entity_lists.project_id', '=', projectId)
    .where('entities.deleted_at', filter.deleted === true ? 'is not' : 'is', null);
  if (filter.deleted === true) {
    // A case merged into another is soft-deleted while merged, but not deleted: undo the merge instead.
    query = query.where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('case_merges')
            .select('case_merges.id')
            .whereRef('case_merges.duplicate_id', '=', 'entities.id')
            .where('case_merges.undone_at', 'is', null),
        ),
      ),
    );
  }
  if (filter.scope !== undefined && filter.scope !== null) {
    query = applyScopeFilter(query, filter.scope, entityScopeColumns);
  }
  if (filter.listName !== undefined && filter.listName !== null)
    query = query.where('entity_lists.name', '=', filter.listName);
  const q = filter.q === undefined || filter.q === null ? '' : searchKey(filter.q.trim());
  if (q !== '') {
    const pattern = `%${escapeLike(q)}%`;
    query = query.where(sql<boolean>`${sql.ref('entities.label_search')} like ${pattern} escape '\\'`);
  }
  if (filter.areaIds !== undefined && filter.areaIds !== null) {
    if (filter.areaIds.length === 0) return query.where(sql<boolean>`1 = 0`);
    query = query.where('entities.area_id', 'in', [...filter.areaIds]);
  }
  if (filter.ids !== undefined && filter.ids !== null) {
    if (filter.ids.length === 0) return query.where(sql<boolean>`1 = 0`);
    query = query.where('entities.id', 'in', [...filter.ids]);
  }
  if (filter.category !== undefined && filter.category !== null) {
    // `categories` is a JSON array of codes: match the quoted code as an element.
    const pattern = `%${escapeLike(JSON.stringify(filter.category))}%`;
    query = query.where(sql<boolean>`${sql.ref('entities.categories')} like ${pattern} escape '\\'`);
  }
  return query;
}

/** A listed entity also names its list, its project and its area's materialised path. */
export interface ListedEntity extends StoredEntity {
  list_name: string;
  project_id: string;
  area_path: string | null;
}

/**
 * A page of a project's live (not deleted) entities, most recently updated first, and how many
 * match in all (with `deleted`, the soft-deleted ones, most recently deleted first). The limit is
 * clamped to 1..500.
 */
export async function listEntities(
  projectId: string,
  options: EntityFilter & { limit: number; offset: number },
  store: Store,
): Promise<{ items: ListedEntity[]; total: number }> {
  const { limit, offset } = clampPage(options);
  const rows = await filtered(projectId, options, store)
    .select(ENTITY_COLUMNS)
    .select(['entity_lists.name as list_name', 'entity_lists.project_id', 'areas.path as area_path'])
    .$if(options.deleted === true, (q) => q.orderBy('entities.deleted_at', 'desc'))
    .orderBy('entities.updated_at', 'desc')
    .orderBy('entities.seq', 'desc')
    .orderBy('entities.id')
    .limit(limit)
    .offset(offset)
    .execute();
  const total = await countEntities(projectId, options, store);
  return { items: rows.map(listed), total };
}

function listed(row: EntityRow & { list_name: string; project_id: string; area_path: string | null }): ListedEntity {
  return { ...parseEntity(row), list_name: row.list_name, project_id: row.project_id, area_path: row.area_path };
}

/**
 * Every live entity matching the filter, in creation order (an entity-list CSV for a form). No
 * page: the caller streams or sends it whole, as ODK clients expect one file per list.
 */
export async function allEntities(projectId: string, filter: EntityFilter, store: Store): Promise<ListedEntity[]> {
  const rows = await filtered(projectId, filter, store)
    .select(ENTITY_COLUMNS)
    .select(['entity_lists.name as list_name', 'entity_lists.project_id', 'areas.path as area_path'])
    .orderBy('entities.created_at')
    .orderBy('entities.id')
    .execute();
  return rows.map(listed);
}

/**
 * The first `limit` live entities matching the filter in creation order, and whether there are
 * more: a bounded scan (the duplicate-cases report).
 */
export async function firstEntities(
  projectId: string,
  filter: EntityFilter,
  limit: number,
  store: Store,
): Promise<{ items: ListedEntity[]; more: boolean }> {
  const rows = await filtered(projectId, filter, store)
    .select(ENTITY_COLUMNS)
    .select(['entity_lists.name as list_name', 'entity_lists.project_id', 'areas.path as area_path'])
    .orderBy('entities.created_at')
    .orderBy('entities.id')
    .limit(limit + 1)
    .execute();
  return { items: rows.slice(0, limit).map(listed), more: rows.length > limit };
}

/**
 * The next live entities matching the filter after `after` in creation order (`created_at`, then
 * `id`), created at or before `createdUpTo`: the OData entity feed's pages, which stay consistent
 * while entities are created, updated and deleted (a row neither repeats nor is skipped).
 */
export async function entitiesAfter(
  projectId: string,
  filter: EntityFilter,
  page: { after: { createdAt: string; id: string } | null; createdUpTo: string; limit: number },
  store: Store,
): Promise<ListedEntity[]> {
  const { after } = page;
  const rows = await filtered(projectId, filter, store)
    .select(ENTITY_COLUMNS)
    .select(['entity_lists.name as list_name', 'entity_lists.project_id', 'areas.path as area_path'])
    .where('entities.created_at', '<=', page.createdUpTo)
    .$if(after !== null, (q) =>
      q.where((eb) =>
        eb.or([
          eb('entities.created_at', '>', after?.createdAt ?? ''),
          eb.and([eb('entities.created_at', '=', after?.createdAt ?? ''), eb('entities.id', '>', after?.id ?? '')]),
        ]),
      ),
    )
    .orderBy('entities.created_at')
    .orderBy('entities.id')
    .limit(page.limit)
    .execute();
  return rows.map(listed);
}

/** One live entity of a project with its list and area path; undefined when there is none. */
export async function findProjectEntity(
  projectId: string,
  id: string,
  store: Store,
): Promise<ListedEntity | undefined> {
  const row = await filtered(projectId, {}, store)
    .select(ENTITY_COLUMNS)
    .select(['entity_lists.name as list_name', 'entity_lists.project_id', 'areas.path as area_path'])
    .where('entities.id', '=', id)
    .executeTakeFirst();
  return row === undefined ? undefined : listed(row);
}

export async function countEntities(projectId: string, filter: EntityFilter, store: Store): Promise<number> {
  const row = await filtered(projectId, filter, store)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The project an entity list belongs to (lists never move between projects). */
export async function projectOfList(listId: string, store: Store): Promise<string | undefined> {
  const row = await store.db
    .selectFrom('entity_lists')
    .select('project_id')
    .where('id', '=', listId)
    .executeTakeFirst();
  return row?.project_id;
}

/**
 * One entity of a project with its list and area path, deleted or not (a restore finds it);
 * undefined when the project has no such entity.
 */
export async function findProjectEntityAnyState(
  projectId: string,
  id: string,
  store: Store,
): Promise<ListedEntity | undefined> {
  const row = await placedEntities(store)
    .where('entity_lists.project_id', '=', projectId)
    .where('entities.id', '=', id)
    .select(ENTITY_COLUMNS)
    .select(['entity_lists.name as list_name', 'entity_lists.project_id', 'areas.path as area_path'])
    .executeTakeFirst();
  return row === undefined ? undefined : listed(row);
}

import type { Selectable } from 'kysely';
import type { FoldersTable } from '../schema.js';
import type { Store } from '../store.js';

export type FolderRow = Selectable<FoldersTable>;

export interface NewFolder {
  id: string;
  projectId: string;
  /** Who made it: the only reader of a personal folder. */
  ownerUserId: string;
  /** Null for a personal folder; the team it is shared with ('' for the whole project's team). */
  team: string | null;
  name: string;
  /** A smart folder's saved search as JSON; null for a folder of chosen cases. */
  query: string | null;
  createdAt: string;
}

/** The folders of a project a user may see: her own personal folders and every team folder. */
export async function listFoldersOf(projectId: string, userId: string, store: Store): Promise<FolderRow[]> {
  return store.db
    .selectFrom('folders')
    .selectAll()
    .where('project_id', '=', projectId)
    .where((eb) => eb.or([eb('team', 'is not', null), eb('owner_user_id', '=', userId)]))
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export async function findFolder(projectId: string, folderId: string, store: Store): Promise<FolderRow | undefined> {
  return store.db
    .selectFrom('folders')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('id', '=', folderId)
    .executeTakeFirst();
}

/** The folder of that name the user already sees (a personal one of hers or a team one), if any. */
export async function findFolderNamed(
  projectId: string,
  userId: string,
  name: string,
  store: Store,
): Promise<FolderRow | undefined> {
  return store.db
    .selectFrom('folders')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('name', '=', name)
    .where((eb) => eb.or([eb('team', 'is not', null), eb('owner_user_id', '=', userId)]))
    .executeTakeFirst();
}

export async function insertFolder(input: NewFolder, store: Store): Promise<void> {
  await store.db
    .insertInto('folders')
    .values({
      id: input.id,
      project_id: input.projectId,
      owner_user_id: input.ownerUserId,
      team: input.team,
      name: input.name,
      query: input.query,
      created_at: input.createdAt,
    })
    .execute();
}

export async function deleteFolder(folderId: string, store: Store): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.db.deleteFrom('folder_entities').where('folder_id', '=', folderId).execute();
    await tx.db.deleteFrom('folders').where('id', '=', folderId).execute();
  });
}

/** Case ids in these folders, by folder id. */
export async function folderEntityIds(folderIds: readonly string[], store: Store): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(folderIds.map((id) => [id, []]));
  if (folderIds.length === 0) return out;
  const rows = await store.db
    .selectFrom('folder_entities')
    .select(['folder_id', 'entity_id'])
    .where('folder_id', 'in', [...folderIds])
    .orderBy('entity_id')
    .execute();
  for (const row of rows) out.get(row.folder_id)?.push(row.entity_id);
  return out;
}

/** Puts a case in a folder; true when it was not there yet. */
export async function addFolderEntity(folderId: string, entityId: string, store: Store): Promise<boolean> {
  const result = await store.db
    .insertInto('folder_entities')
    .values({ folder_id: folderId, entity_id: entityId })
    .onConflict((oc) => oc.columns(['folder_id', 'entity_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Takes a case out of a folder; true when it was there. */
export async function removeFolderEntity(folderId: string, entityId: string, store: Store): Promise<boolean> {
  const result = await store.db
    .deleteFrom('folder_entities')
    .where('folder_id', '=', folderId)
    .where('entity_id', '=', entityId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export interface CaseCategory {
  code: string;
  names: Record<string, string>;
}

export async function listCaseCategories(projectId: string, store: Store): Promise<CaseCategory[]> {
  const rows = await store.db
    .selectFrom('case_categories')
    .select(['code', 'names'])
    .where('project_id', '=', projectId)
    .orderBy('code')
    .execute();
  return rows.map((row) => ({ code: row.code, names: JSON.parse(row.names) as Record<string, string> }));
}

/** Defines a category or renames it; true when it is new. */
export async function putCaseCategory(
  projectId: string,
  category: CaseCategory,
  createdAt: string,
  store: Store,
): Promise<boolean> {
  return store.transaction(async (tx) => {
    const names = JSON.stringify(category.names);
    const updated = await tx.db
      .updateTable('case_categories')
      .set({ names })
      .where('project_id', '=', projectId)
      .where('code', '=', category.code)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) return false;
    await tx.db
      .insertInto('case_categories')
      .values({ project_id: projectId, code: category.code, names, created_at: createdAt })
      .execute();
    return true;
  });
}

export async function deleteCaseCategory(projectId: string, code: string, store: Store): Promise<boolean> {
  const result = await store.db
    .deleteFrom('case_categories')
    .where('project_id', '=', projectId)
    .where('code', '=', code)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

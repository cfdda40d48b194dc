import { ProblemError, can, scopeFilter } from '@outpost/core';
import type { PolicyActor } from '@outpost/core';
import { recordOf } from '../policy/index.js';
import type { ProjectAccess } from '../policy/index.js';
import {
  addFolderEntity,
  allEntities,
  appendAuditEvent,
  deleteCaseCategory,
  deleteFolder,
  findFolder,
  findFolderNamed,
  findProjectEntity,
  folderEntityIds,
  insertFolder,
  isUniqueViolation,
  listCaseCategories,
  listFoldersOf,
  putCaseCategory,
  removeFolderEntity,
} from '../storage/index.js';
import type { CaseCategory, FolderRow, Store } from '../storage/index.js';

// Folders and categories of a project's cases (issue 11). A personal folder is seen by its owner
// only; a team folder by every member of the project. Whoever reads a folder sees in it only the
// cases the policy lets her read: a team folder never shows a case its reader may not see. Every
// change is audited in the same transaction, with ids only (never a case's name).

export interface FolderView {
  id: string;
  name: string;
  kind: 'personal' | 'team';
  /** A smart folder's saved search (the search box's text); null for a folder of chosen cases. */
  query: string | null;
  /** The cases in it this reader may read. */
  caseIds: string[];
  /** True when this reader made it (and so may delete it). */
  mine: boolean;
  createdAt: string;
}

export interface FolderInput {
  id: string;
  name: string;
  kind: 'personal' | 'team';
  query: string | null;
}

function viewOf(row: FolderRow, caseIds: string[], actor: PolicyActor): FolderView {
  return {
    id: row.id,
    name: row.name,
    kind: row.team === null ? 'personal' : 'team',
    query: row.query === null ? null : (JSON.parse(row.query) as { text: string }).text,
    caseIds,
    mine: row.owner_user_id === actor.userId,
    createdAt: row.created_at,
  };
}

function mayRead(actor: PolicyActor, projectId: string): boolean {
  return can(actor, 'cases.read', { kind: 'project', projectId }).allowed;
}

/** The folders this reader sees, each with the cases in it she may read. */
export async function listFolders(access: ProjectAccess, store: Store): Promise<FolderView[]> {
  const { project, actor } = access;
  const rows = await listFoldersOf(project.id, actor.userId, store);
  const members = await folderEntityIds(
    rows.map((row) => row.id),
    store,
  );
  const all = [...new Set([...members.values()].flat())];
  const scope = scopeFilter(actor, project.id, { action: 'cases.read', recordKind: 'entity' });
  const readable = new Set(
    all.length === 0 || !mayRead(actor, project.id)
      ? []
      : (await allEntities(project.id, { scope, ids: all }, store)).map((entity) => entity.id),
  );
  return rows.map((row) =>
    viewOf(
      row,
      (members.get(row.id) ?? []).filter((id) => readable.has(id)),
      actor,
    ),
  );
}

/**
 * Makes a folder. The id comes from the device that made it offline, so sending it twice makes one
 * folder: the same id with the same owner answers the folder as it is (`created: false`).
 */
export async function createFolder(
  access: ProjectAccess,
  input: FolderInput,
  now: Date,
  store: Store,
): Promise<{ folder: FolderView; created: boolean }> {
  const { project, actor } = access;
  return store.transaction(async (tx) => {
    const existing = await findFolder(project.id, input.id, tx);
    if (existing !== undefined) {
      if (existing.owner_user_id !== actor.userId) throw new ProblemError('folder.id-taken');
      return { folder: viewOf(existing, [], actor), created: false };
    }
    if ((await findFolderNamed(project.id, actor.userId, input.name, tx)) !== undefined) {
      throw new ProblemError('folder.name-taken');
    }
    const row = {
      id: input.id,
      projectId: project.id,
      ownerUserId: actor.userId,
      team: input.kind === 'team' ? '' : null,
      name: input.name,
      query: input.query === null ? null : JSON.stringify({ text: input.query }),
      createdAt: now.toISOString(),
    };
    try {
      await insertFolder(row, tx);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ProblemError('folder.id-taken');
      throw error;
    }
    await appendAuditEvent(
      {
        actorId: actor.userId,
        action: 'folder.create',
        subject: `folder:${input.id}`,
        at: now.toISOString(),
        details: { projectId: project.id, kind: input.kind, smart: input.query !== null },
      },
      tx,
    );
    const created = await findFolder(project.id, input.id, tx);
    if (created === undefined) throw new Error('the folder just made is gone');
    return { folder: viewOf(created, [], actor), created: true };
  });
}

/** A folder this reader sees, or 404 as if there were none. */
async function visibleFolder(access: ProjectAccess, folderId: string, store: Store): Promise<FolderRow> {
  const folder = await findFolder(access.project.id, folderId, store);
  if (folder === undefined || (folder.team === null && folder.owner_user_id !== access.actor.userId)) {
    throw new ProblemError('request.not-found', 'No such folder.');
  }
  return folder;
}

/** Only its maker deletes a folder (a team folder too: the others may only add and take out cases). */
export async function removeFolder(access: ProjectAccess, folderId: string, now: Date, store: Store): Promise<void> {
  await store.transaction(async (tx) => {
    const folder = await visibleFolder(access, folderId, tx);
    if (folder.owner_user_id !== access.actor.userId) throw new ProblemError('auth.forbidden');
    await deleteFolder(folder.id, tx);
    await appendAuditEvent(
      {
        actorId: access.actor.userId,
        action: 'folder.delete',
        subject: `folder:${folder.id}`,
        at: now.toISOString(),
        details: { projectId: access.project.id },
      },
      tx,
    );
  });
}

/**
 * Puts a case in a folder or takes it out. The case must be one this user may read (out of reach
 * and nonexistent answer alike); a smart folder holds no chosen cases. Doing it twice changes
 * nothing and audits nothing more.
 */
export async function changeFolderCase(
  access: ProjectAccess,
  folderId: string,
  caseId: string,
  change: 'add' | 'remove',
  now: Date,
  store: Store,
): Promise<void> {
  const { project, actor } = access;
  await store.transaction(async (tx) => {
    const folder = await visibleFolder(access, folderId, tx);
    if (folder.query !== null) throw new ProblemError('folder.smart');
    const entity = await findProjectEntity(project.id, caseId, tx);
    if (entity === undefined || !can(actor, 'cases.read', recordOf(entity, entity.area_path)).allowed) {
      throw new ProblemError('request.not-found', 'No such case.');
    }
    const changed =
      change === 'add'
        ? await addFolderEntity(folder.id, entity.id, tx)
        : await removeFolderEntity(folder.id, entity.id, tx);
    if (!changed) return;
    await appendAuditEvent(
      {
        actorId: actor.userId,
        action: change === 'add' ? 'folder.case.add' : 'folder.case.remove',
        subject: entity.id,
        at: now.toISOString(),
        details: { projectId: project.id, folderId: folder.id },
      },
      tx,
    );
  });
}

export async function listCategories(access: ProjectAccess, store: Store): Promise<CaseCategory[]> {
  return listCaseCategories(access.project.id, store);
}

/** An administrator defines (or renames) a category of the project's cases. */
export async function defineCategory(
  access: ProjectAccess,
  category: CaseCategory,
  now: Date,
  store: Store,
): Promise<boolean> {
  return store.transaction(async (tx) => {
    const created = await putCaseCategory(access.project.id, category, now.toISOString(), tx);
    await appendAuditEvent(
      {
        actorId: access.actor.userId,
        action: created ? 'category.create' : 'category.rename',
        subject: `project:${access.project.id}`,
        at: now.toISOString(),
        details: { code: category.code },
      },
      tx,
    );
    return created;
  });
}

export async function removeCategory(access: ProjectAccess, code: string, now: Date, store: Store): Promise<void> {
  await store.transaction(async (tx) => {
    if (!(await deleteCaseCategory(access.project.id, code, tx))) {
      throw new ProblemError('request.not-found', 'No such category.');
    }
    await appendAuditEvent(
      {
        actorId: access.actor.userId,
        action: 'category.delete',
        subject: `project:${access.project.id}`,
        at: now.toISOString(),
        details: { code },
      },
      tx,
    );
  });
}

import { randomUUID } from 'node:crypto';
import type { Project } from '../schema.js';
import type { Store } from '../store.js';

export interface NewProject {
  id?: string;
  slug: string;
  name: string;
  template?: string | null;
  createdAt?: string;
}

/** Throws a unique violation (see isUniqueViolation) when the slug is taken. */
export async function createProject(input: NewProject, store: Store): Promise<Project> {
  const row: Project = {
    id: input.id ?? randomUUID(),
    slug: input.slug,
    name: input.name,
    template: input.template ?? null,
    created_at: input.createdAt ?? new Date().toISOString(),
  };
  await store.db.insertInto('projects').values(row).execute();
  return row;
}

export async function findProjectById(id: string, store: Store): Promise<Project | undefined> {
  return store.db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findProjectBySlug(slug: string, store: Store): Promise<Project | undefined> {
  return store.db.selectFrom('projects').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** The ids of every project, in id order. */
export async function listProjectIds(store: Store): Promise<string[]> {
  const rows = await store.db.selectFrom('projects').select('id').orderBy('id').execute();
  return rows.map((p) => p.id);
}

/** Every project, by slug. */
export async function listProjects(store: Store): Promise<Project[]> {
  return store.db.selectFrom('projects').selectAll().orderBy('slug').execute();
}

export interface ProjectWithRole extends Project {
  /** The user's role (id) in the project; null when only an installation admin sees it. */
  role: string | null;
}

/**
 * The projects a user may open, ordered by name: those with a membership, or every project for an
 * installation admin.
 */
export async function listProjectsForUser(userId: string, isAdmin: boolean, store: Store): Promise<ProjectWithRole[]> {
  const query = store.db
    .selectFrom('projects')
    .leftJoin('memberships', (join) =>
      join.onRef('memberships.project_id', '=', 'projects.id').on('memberships.user_id', '=', userId),
    )
    .selectAll('projects')
    .select('memberships.role_id as role')
    .orderBy('projects.name')
    .orderBy('projects.id');
  return isAdmin ? query.execute() : query.where('memberships.user_id', '=', userId).execute();
}

export interface ProjectBasemap {
  readonly sha256: string;
  readonly bytes: number;
}

/** The project's offline basemap, or undefined when it has none. */
export async function findProjectBasemap(projectId: string, store: Store): Promise<ProjectBasemap | undefined> {
  const row = await store.db
    .selectFrom('projects')
    .select(['basemap_sha256', 'basemap_bytes'])
    .where('id', '=', projectId)
    .executeTakeFirst();
  if (row?.basemap_sha256 == null || row.basemap_bytes == null) return undefined;
  return { sha256: row.basemap_sha256, bytes: Number(row.basemap_bytes) };
}

/** Points the project at a stored basemap; returns the one it replaces (its blob may be unused now). */
export async function setProjectBasemap(
  projectId: string,
  basemap: ProjectBasemap,
  store: Store,
): Promise<ProjectBasemap | undefined> {
  return store.transaction(async (tx) => {
    const previous = await findProjectBasemap(projectId, tx);
    await tx.db
      .updateTable('projects')
      .set({ basemap_sha256: basemap.sha256, basemap_bytes: basemap.bytes })
      .where('id', '=', projectId)
      .execute();
    return previous;
  });
}

import type { Capability } from '@outpost/core';
import { ProblemError, roleHas } from '@outpost/core';
import type { Actor } from '../auth/sessions.js';
import { areaSubtreeIds } from '../storage/queries/areas.js';
import { findMembership } from '../storage/queries/memberships.js';
import { findProjectById } from '../storage/queries/projects.js';
import type { Project } from '../storage/schema.js';
import type { Store } from '../storage/store.js';

export interface ProjectScope {
  project: Project;
  /** The areas whose records the actor sees; null for the whole project. */
  areaIds: string[] | null;
}

/**
 * The project as the actor may see it. Administrators see every project; others only those they
 * are members of, limited to their area subtree. A project the actor may not see answers exactly
 * like one that does not exist.
 */
export async function projectScope(actor: Actor, projectId: string, store: Store): Promise<ProjectScope> {
  const project = await findProjectById(projectId, store);
  if (!project) throw new ProblemError('project.not-found');
  if (roleHas(actor.role, 'projects.manage')) return { project, areaIds: null };
  const membership = await findMembership(actor.userId, project.id, store);
  if (!membership) throw new ProblemError('project.not-found');
  return {
    project,
    areaIds: membership.area_id === null ? null : await areaSubtreeIds(membership.area_id, store),
  };
}

/** Refuses the action unless the actor's role allows it (checked after visibility, so outsiders get 404). */
export function requireRole(actor: Actor, capability: Capability): void {
  if (!roleHas(actor.role, capability)) throw new ProblemError('auth.forbidden');
}

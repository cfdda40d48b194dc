import type { Membership, PolicyActor, Role, Scope } from '@outpost/core';
import { isRole } from '@outpost/core';
import type { Store } from '../storage/store.js';
import { loadProjectPolicies } from './projectPolicy.js';

/** What authentication knows of the user (an `Actor` fits). */
export interface ActorIdentity {
  userId: string;
  role: Role;
}

// Keyed by the actor object authentication builds once per request, so the memberships are read
// once per request and a changed membership is seen by the next one.
const perRequest = new WeakMap<object, Promise<PolicyActor>>();

/**
 * The actor as core/policy needs it: memberships as scopes and the policies of the projects it
 * touches. A membership's area becomes an area scope (the area's materialised path), its team a
 * team scope, and either one brings the member's own assignments with it; a membership with
 * neither reaches the whole project. A membership whose area no longer exists, or whose role is
 * not a built-in role, reaches nothing.
 */
export function loadPolicyActor(actor: ActorIdentity, store: Store): Promise<PolicyActor> {
  const cached = perRequest.get(actor);
  if (cached !== undefined) return cached;
  const loading = load(actor, store);
  perRequest.set(actor, loading);
  loading.catch(() => perRequest.delete(actor));
  return loading;
}

async function load(actor: ActorIdentity, store: Store): Promise<PolicyActor> {
  const rows = await store.db
    .selectFrom('memberships')
    .leftJoin('areas', 'areas.id', 'memberships.area_id')
    .select(['memberships.project_id', 'memberships.role_id', 'memberships.area_id', 'memberships.team', 'areas.path'])
    .where('memberships.user_id', '=', actor.userId)
    .orderBy('memberships.project_id')
    .execute();
  const memberships: Membership[] = [];
  for (const row of rows) {
    if (!isRole(row.role_id)) continue;
    memberships.push({ projectId: row.project_id, role: row.role_id, scopes: scopesOf(row) });
  }
  const projectIds = actor.role === 'admin' ? null : [...new Set(memberships.map((m) => m.projectId))];
  const projects = await loadProjectPolicies(projectIds, store);
  return { userId: actor.userId, role: actor.role, memberships, projects };
}

function scopesOf(row: { area_id: string | null; team: string | null; path: string | null }): Scope[] {
  if (row.area_id === null && row.team === null) return [{ kind: 'project' }];
  const scopes: Scope[] = [];
  if (row.area_id !== null && row.path !== null) scopes.push({ kind: 'area', path: row.path });
  if (row.team !== null && row.team !== '') scopes.push({ kind: 'team', team: row.team });
  scopes.push({ kind: 'own' });
  return scopes;
}

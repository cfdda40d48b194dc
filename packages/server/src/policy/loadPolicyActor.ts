import type { Membership, PolicyActor, Role, Scope } from '@outpost/core';
import { isRole } from '@outpost/core';
import type { MembershipReach } from '../storage/queries/memberships.js';
import { membershipReachOf } from '../storage/queries/memberships.js';
import type { Store } from '../storage/store.js';
import { loadProjectPolicies } from './projectPolicy.js';
import { StampedCache } from './stampedCache.js';

/** What authentication knows of the user (an `Actor` fits). */
export interface ActorIdentity {
  userId: string;
  role: Role;
}

// Keyed by the actor object authentication builds once per request, so the access stamp is read
// once per request and a changed membership is seen by the next one.
const perRequest = new WeakMap<object, Promise<PolicyActor>>();

// Across requests, by user and account role, for as long as the access stamp is unchanged: the
// memberships and policies are read again only after something they are built from was written.
const built = new StampedCache<PolicyActor>('policyActor', 1000);

/**
 * The actor as core/policy needs it: memberships as scopes and the policies of the projects it
 * touches. A membership that reaches the whole project is a project scope; any other has an area
 * scope per area (the area's materialised path), a team scope for its team, and the member's own
 * assignments (only those when it has neither). A membership whose role is not a built-in role
 * reaches nothing.
 */
export function loadPolicyActor(actor: ActorIdentity, store: Store): Promise<PolicyActor> {
  const cached = perRequest.get(actor);
  if (cached !== undefined) return cached;
  const loading = built.get(`${actor.userId}|${actor.role}`, store, () => load(actor, store));
  perRequest.set(actor, loading);
  loading.catch(() => perRequest.delete(actor));
  return loading;
}

async function load(actor: ActorIdentity, store: Store): Promise<PolicyActor> {
  const rows = await membershipReachOf(actor.userId, store);
  const memberships: Membership[] = [];
  for (const row of rows) {
    if (!isRole(row.role_id)) continue;
    memberships.push({ projectId: row.project_id, role: row.role_id, scopes: scopesOf(row) });
  }
  const projectIds = actor.role === 'admin' ? null : [...new Set(memberships.map((m) => m.projectId))];
  const projects = await loadProjectPolicies(projectIds, store);
  // Shared by every request until the stamp changes: frozen, so none of them can change it for the others.
  for (const m of memberships) {
    Object.freeze(m.scopes);
    Object.freeze(m);
  }
  Object.freeze(memberships);
  Object.freeze(projects);
  return Object.freeze({ userId: actor.userId, role: actor.role, memberships, projects });
}

function scopesOf(row: MembershipReach): Scope[] {
  if (row.whole_project) return [{ kind: 'project' }];
  const scopes: Scope[] = row.area_paths.map((path) => ({ kind: 'area', path }));
  if (row.team !== null && row.team !== '') scopes.push({ kind: 'team', team: row.team });
  scopes.push({ kind: 'own' });
  return scopes;
}

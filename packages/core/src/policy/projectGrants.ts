import type { Membership, PolicyActor, ProjectPolicy, ProjectRoleOverride, Scope } from './actor.js';
import { isLocationPrecision } from './locationPrecision.js';
import type { Capability, FieldView, Role } from './roles.js';
import { isCapability, roleDefinition } from './roles.js';
import { sensitivityClasses } from './sensitivity.js';

/** One membership of an actor in a project, with the project's overrides already applied. */
export interface Grant {
  role: Role;
  capabilities: ReadonlySet<Capability>;
  scopes: readonly Scope[];
  view: FieldView;
  /** Lists this grant may read; null for every list. */
  lists: ReadonlySet<string> | null;
  /** The project's evidence lists (see ProjectPolicy.evidenceLists). */
  evidenceLists: ReadonlySet<string>;
}

/**
 * Everything `actor` holds in `projectId`: one grant per membership, plus a whole-project admin
 * grant for an admin account. Empty when the actor is not in the project.
 */
export function projectGrants(actor: PolicyActor, projectId: string): Grant[] {
  const policy = projectPolicyOf(actor, projectId);
  const memberships: Membership[] = actor.memberships.filter((m) => m.projectId === projectId);
  if (actor.role === 'admin') memberships.push({ projectId, role: 'admin', scopes: [{ kind: 'project' }] });
  return memberships.map((m) => grantOf(m, policy));
}

/** The role of `role` in a project after its override: capabilities, view and list limits. */
export function effectiveRole(
  role: Role,
  policy: ProjectPolicy | undefined,
): { capabilities: ReadonlySet<Capability>; view: FieldView; lists: ReadonlySet<string> | null } {
  const base = roleDefinition(role);
  const override = overrideFor(role, policy);
  const capabilities = new Set(base.capabilities);
  for (const c of override?.add ?? []) if (isCapability(c)) capabilities.add(c);
  for (const c of override?.remove ?? []) capabilities.delete(c);
  const show = { ...base.view.show };
  for (const cls of sensitivityClasses) {
    const setting = override?.sensitivity?.[cls];
    // Anything other than an explicit 'show' or 'hide' leaves the default; stored JSON may be junk.
    if (setting === 'show') show[cls] = true;
    else if (setting === 'hide') show[cls] = false;
  }
  let location = base.view.location;
  if (override?.locationPrecision !== undefined) {
    location = isLocationPrecision(override.locationPrecision) ? override.locationPrecision : 'hidden';
  }
  const lists = override?.lists ? new Set(override.lists.filter((l) => typeof l === 'string')) : null;
  return { capabilities, view: { show, location }, lists };
}

/** `/a/b` and `/a/b/` both mean the subtree of b; anything not shaped like a path is null. */
export function normaliseAreaPath(path: string | null | undefined): string | null {
  if (typeof path !== 'string') return null;
  if (/^\/(?:[^/]+\/)*$/.test(path)) return path;
  if (/^\/(?:[^/]+\/)*[^/]+$/.test(path)) return `${path}/`;
  return null;
}

function grantOf(membership: Membership, policy: ProjectPolicy | undefined): Grant {
  const role = effectiveRole(membership.role, policy);
  const scopes: Scope[] = [];
  for (const scope of membership.scopes) {
    if (scope.kind === 'area') {
      // A malformed path must reach nothing, not everything: drop it.
      const path = normaliseAreaPath(scope.path);
      if (path !== null) scopes.push({ kind: 'area', path });
    } else if (scope.kind === 'team') {
      if (typeof scope.team === 'string' && scope.team !== '') scopes.push(scope);
    } else if (scope.kind === 'project' || scope.kind === 'own') {
      scopes.push(scope);
    }
  }
  return {
    role: membership.role,
    capabilities: role.capabilities,
    scopes,
    view: role.view,
    lists: role.lists,
    evidenceLists: new Set(policy?.evidenceLists ?? []),
  };
}

function projectPolicyOf(actor: PolicyActor, projectId: string): ProjectPolicy | undefined {
  const projects = actor.projects;
  return projects && Object.hasOwn(projects, projectId) ? projects[projectId] : undefined;
}

function overrideFor(role: Role, policy: ProjectPolicy | undefined): ProjectRoleOverride | undefined {
  return policy?.overrides?.find((o) => o.role === role);
}

import type { Decision, DenialReason, PolicyActor, PolicyRecord, PolicyResource, Scope } from './actor.js';
import type { Grant } from './projectGrants.js';
import { projectGrants } from './projectGrants.js';
import type { Capability } from './roles.js';
import { roleHas } from './roles.js';
import { sensitivityClassOf } from './sensitivity.js';

/** An action is the capability it needs; on a record, the record must also be in reach. */
export type Action = Capability;

const allowed: Decision = { allowed: true };

// Reading an attachment is reading the field it came from.
const readActions: ReadonlySet<Action> = new Set(['cases.read', 'incidents.evidence.read', 'exports.run']);

/**
 * The one decision on whether `actor` may do `action` on `resource`.
 *
 * System resources answer from the account role. Project and record resources need a membership
 * in the project (an admin account has one everywhere); on a record, some membership must hold
 * the capability and reach the record through one of its scopes and list limits. Reasons rank
 * field > scope > capability, so a denial says how close the actor came.
 */
export function can(actor: PolicyActor, action: Action, resource: PolicyResource): Decision {
  if (resource.kind === 'system') return roleHas(actor.role, action) ? allowed : deny('capability');
  const grants = projectGrants(actor, resource.projectId);
  if (grants.length === 0) return deny('project');
  if (resource.kind === 'project') {
    return grants.some((g) => g.capabilities.has(action)) ? allowed : deny('capability');
  }
  let reason: DenialReason = 'capability';
  for (const grant of grants) {
    if (!grantAllows(grant, action, resource)) continue;
    if (!grantReaches(grant, resource, actor.userId)) {
      if (reason === 'capability') reason = 'scope';
      continue;
    }
    if (readActions.has(action) && resource.kind === 'attachment' && !attachmentVisible(grant, resource)) {
      reason = 'field';
      continue;
    }
    return allowed;
  }
  return deny(reason);
}

/** Whether the grant's capabilities cover `action` on this record (evidence lists included). */
export function grantAllows(grant: Grant, action: Action, record: PolicyRecord): boolean {
  const evidence = record.listName !== null && grant.evidenceLists.has(record.listName);
  if (action === 'incidents.evidence.read') return evidence && grant.capabilities.has(action);
  if (action === 'cases.read') {
    return grant.capabilities.has('cases.read') || (evidence && grant.capabilities.has('incidents.evidence.read'));
  }
  return grant.capabilities.has(action);
}

/** Whether the record lies inside one of the grant's scopes and its list limit. */
export function grantReaches(grant: Grant, record: PolicyRecord, userId: string): boolean {
  if (grant.lists !== null && (record.listName === null || !grant.lists.has(record.listName))) return false;
  return grant.scopes.some((scope) => scopeReaches(scope, record, userId));
}

function scopeReaches(scope: Scope, record: PolicyRecord, userId: string): boolean {
  switch (scope.kind) {
    case 'project':
      return true;
    case 'area':
      // The stored path as it is (no normalising), so SQL prefix filters give the same answer.
      return record.areaPath !== null && record.areaPath.startsWith(scope.path);
    case 'team':
      return record.team !== null && record.team === scope.team;
    case 'own':
      return record.assigneeId === userId || (record.kind !== 'entity' && record.createdBy === userId);
  }
}

function attachmentVisible(grant: Grant, record: PolicyRecord): boolean {
  // No class given means the caller did not look it up: treat it as the strictest.
  const cls = typeof record.fieldClass === 'string' ? sensitivityClassOf(record.fieldClass) : 'identifying';
  if (!grant.view.show[cls]) return false;
  // A photo taken in a location field shows the place itself; it cannot be coarsened.
  return cls !== 'location' || grant.view.location === 'exact';
}

function deny(reason: DenialReason): Decision {
  return { allowed: false, reason };
}

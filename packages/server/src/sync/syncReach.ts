import type { PolicyActor, PolicyCatalogue, RecordProperties, Redactor, Role, Scope, ScopeFilter } from '@outpost/core';
import { can, fnv1a64, projectGrants, scopeFilter } from '@outpost/core';
import { loadPolicyActor, redactEntity, redactEntityWith } from '../policy/index.js';
import { listProjectIds } from '../storage/queries/projects.js';
import type { PlacementFilter, SyncEntityRow } from '../storage/queries/sync.js';
import type { Store } from '../storage/store.js';

// How sync slices what core/policy lets a user see. The policy decides *what* (scopeFilter, can,
// redact); this file only cuts that into scopes, each with its own cursor on the device, so that
// every record is filed under exactly one scope and per-scope digests add up.

/** One slice of what a user sees, with a cursor of its own on the device. */
export interface SyncScope {
  /** Wire id: printable ASCII, at most 128 characters. */
  id: string;
  projectId: string;
  /** Records in this slice (already intersected with what the user may read). */
  within: PlacementFilter;
  /** Records filed under this slice: in it and in no earlier slice of the user. */
  filed: PlacementFilter;
}

export interface ProjectReach {
  projectId: string;
  actor: PolicyActor;
  /** Everything the user may read in the project: core policy's scopeFilter (`none` for some members). */
  read: PlacementFilter;
  /** Everything the user may write in the project. */
  write: PlacementFilter;
  resolvesConflicts: boolean;
  scopes: SyncScope[];
}

export interface SyncReach {
  userId: string;
  actor: PolicyActor;
  projects: ReadonlyMap<string, ProjectReach>;
  /** Every scope of every project, in filing order. */
  scopes: readonly SyncScope[];
}

/** The user's reach in every project they belong to (an admin account: every project). */
export async function loadSyncReach(identity: { userId: string; role: Role }, store: Store): Promise<SyncReach> {
  const actor = await loadPolicyActor(identity, store);
  const projectIds =
    identity.role === 'admin'
      ? await listProjectIds(store)
      : [...new Set(actor.memberships.map((m) => m.projectId))].sort();
  const projects = new Map<string, ProjectReach>();
  for (const projectId of projectIds) {
    const reach = projectReach(actor, projectId);
    if (reach !== null) projects.set(projectId, reach);
  }
  return { userId: identity.userId, actor, projects, scopes: [...projects.values()].flatMap((p) => p.scopes) };
}

function projectReach(actor: PolicyActor, projectId: string): ProjectReach | null {
  const grants = projectGrants(actor, projectId);
  if (grants.length === 0) return null;
  const read: ScopeFilter = scopeFilter(actor, projectId);
  // Any change of role, scopes or project policy renames every scope of the project, so the
  // device drops what it filed under the old names and pulls the new ones from 0: nothing can be
  // left behind under a slice that no longer exists, and nothing newly hidden stays on the device.
  const generation = fnv1a64(
    JSON.stringify([
      grants.map((g) => [g.role, g.scopes, g.lists === null ? null : [...g.lists].sort()]),
      actor.projects?.[projectId] ?? null,
    ]),
  ).slice(0, 8);
  const prefix = `p.${projectId}.${generation}`;
  const slices = new Map<string, PlacementFilter>();
  for (const grant of grants)
    for (const scope of grant.scopes) slices.set(sliceId(prefix, scope), sliceFilter(scope, actor.userId));
  // A member who may read nothing here (e.g. evidence-only roles in a project without evidence
  // lists) is still a member: no scopes, but "forbidden" rather than "no such project" elsewhere.
  if (read.kind === 'none') slices.clear();
  const entries = [...slices.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const scopes: SyncScope[] = entries.map(([id, slice], index) => {
    const within: PlacementFilter = slice.kind === 'all' ? read : { kind: 'allOf', filters: [slice, read] };
    const earlier = entries.slice(0, index).map(([, f]) => f);
    return {
      id,
      projectId,
      within,
      filed:
        earlier.length === 0
          ? within
          : { kind: 'allOf', filters: [within, { kind: 'not', filter: { kind: 'anyOf', filters: earlier } }] },
    };
  });
  return {
    projectId,
    actor,
    read,
    write: scopeFilter(actor, projectId, { action: 'cases.write' }),
    resolvesConflicts: can(actor, 'conflicts.resolve', { kind: 'project', projectId }).allowed,
    scopes,
  };
}

// Project first, then areas, teams and own assignments: the broadest slice files a record.
function sliceId(prefix: string, scope: Scope): string {
  switch (scope.kind) {
    case 'project':
      return `${prefix}.0all`;
    case 'area':
      return `${prefix}.1a.${fnv1a64(scope.path)}`;
    case 'team':
      return `${prefix}.2t.${fnv1a64(scope.team)}`;
    case 'own':
      return `${prefix}.3own`;
  }
}

function sliceFilter(scope: Scope, userId: string): PlacementFilter {
  switch (scope.kind) {
    case 'project':
      return { kind: 'all' };
    case 'area':
      return { kind: 'areas', pathPrefixes: [scope.path] };
    case 'team':
      return { kind: 'team', teams: [scope.team] };
    case 'own':
      return { kind: 'assignee', userId };
  }
}

/** Where a record is, as placement filters test it. */
export interface Placement {
  areaPath: string | null;
  team: string | null;
  assigneeId: string | null;
  list: string | null;
}

/** Evaluates a placement filter in memory; agrees with `placementSql` (NULL never matches). */
export function placed(filter: PlacementFilter, at: Placement): boolean {
  switch (filter.kind) {
    case 'all':
      return true;
    case 'none':
    case 'creator':
      return false;
    case 'areas':
      return at.areaPath !== null && filter.pathPrefixes.some((p) => at.areaPath?.startsWith(p) === true);
    case 'assignee':
      return at.assigneeId === filter.userId;
    case 'team':
      return at.team !== null && filter.teams.includes(at.team);
    case 'lists':
      return at.list !== null && filter.names.includes(at.list);
    case 'anyOf':
      return filter.filters.some((f) => placed(f, at));
    case 'allOf':
      return filter.filters.every((f) => placed(f, at));
    case 'not':
      return !placed(filter.filter, at);
  }
}

/**
 * The properties a pulled record carries: its answers as core's `redact` lets them through, plus
 * the envelope under reserved `__` names (the PulledRecord tuple has no slot for them). The area
 * goes as the redacted path, so a role without exact locations learns no finer area than allowed.
 * `redactor` is core's `redactorFor` the reach's actor and project, or a redaction with the view
 * already worked out (see pulledCases.ts).
 */
export function redactRecord(
  reach: Pick<ProjectReach, 'projectId'>,
  row: SyncEntityRow,
  redactor: Redactor,
): RecordProperties {
  const seen = redactEntityWith(
    redactor,
    {
      id: row.id,
      project_id: reach.projectId,
      list_name: row.list,
      label: row.label,
      properties: row.properties,
      team: row.team,
      assignee_id: row.assignee_id,
    },
    row.area_path,
    { status: row.status, conflict: row.conflict, categories: row.categories, updatedAt: row.updated_at },
  );
  const properties: RecordProperties = {};
  for (const [name, value] of Object.entries(seen.properties)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) {
      properties[name] = value;
    } else {
      // Coarsened locations come back as objects; the wire carries them as JSON text.
      properties[name] = JSON.stringify(value);
    }
  }
  return {
    ...properties,
    __label: seen.label,
    __status: carriedValue(seen.carried['status'], row.status),
    __areaPath: seen.areaPath,
    __team: row.team,
    __assigneeId: row.assignee_id,
    __conflict: carriedValue(seen.carried['conflict'], row.conflict),
    // The categories as a select_multiple answer is written: codes separated by spaces.
    __categories: carriedValue(seen.carried['categories'], row.categories.join(' ')),
    __updatedAt: carriedValue(seen.carried['updatedAt'], row.updated_at),
  };
}

/** A carried value as redaction let it through (the same type as stored), or null when removed. */
function carriedValue<T>(seen: unknown, stored: T): T | null {
  return seen === undefined ? null : stored;
}

/** A label and properties as this reader may see them (conflict inbox). */
export function redactAnswers(
  reach: ProjectReach,
  row: { id: string; list: string; area_path: string | null; team: string | null; assignee_id: string | null },
  label: string,
  properties: Readonly<Record<string, string>>,
  catalogue: PolicyCatalogue,
): { label: string | null; properties: Record<string, string> } {
  const seen = redactEntity(
    reach.actor,
    {
      id: row.id,
      project_id: reach.projectId,
      list_name: row.list,
      label,
      properties,
      team: row.team,
      assignee_id: row.assignee_id,
    },
    row.area_path,
    catalogue,
  );
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(seen.properties))
    out[name] = typeof value === 'string' ? value : JSON.stringify(value);
  return { label: seen.label, properties: out };
}

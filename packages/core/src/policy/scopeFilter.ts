import type { PolicyActor, PolicyRecord, RecordKind, Scope } from './actor.js';
import type { Action } from './can.js';
import type { Grant } from './projectGrants.js';
import { projectGrants } from './projectGrants.js';

/**
 * Which records of a project an actor reaches, as data a storage query translates to SQL. It is
 * the set-level form of `can(actor, action, record)` and must agree with it record by record.
 *
 * - `areas`: `area_path` starts with one of the prefixes. Compare with
 *   `substr(area_path, 1, length(?)) = ?` (or escape `%` and `_` for LIKE); null never matches.
 * - `assignee` / `creator`: `assignee_id` / `created_by` equals the user id.
 * - `team`: `team` is one of the names; `lists`: the record's entity list is one of the names.
 */
export type ScopeFilter =
  | { kind: 'all' }
  | { kind: 'none' }
  | { kind: 'areas'; pathPrefixes: readonly string[] }
  | { kind: 'assignee'; userId: string }
  | { kind: 'creator'; userId: string }
  | { kind: 'team'; teams: readonly string[] }
  | { kind: 'lists'; names: readonly string[] }
  | { kind: 'anyOf'; filters: readonly ScopeFilter[] }
  | { kind: 'allOf'; filters: readonly ScopeFilter[] };

export interface ScopeFilterOptions {
  /** Default `cases.read`. */
  action?: Action;
  /** Which table the filter is for; `own` also covers what the user sent, except for entities. Default `entity`. */
  recordKind?: RecordKind;
}

const all: ScopeFilter = { kind: 'all' };
const none: ScopeFilter = { kind: 'none' };

/**
 * The filter for listing `projectId`'s records. Attachments are also checked one by one with
 * `can`, which additionally looks at the class of the field they belong to.
 */
export function scopeFilter(actor: PolicyActor, projectId: string, options: ScopeFilterOptions = {}): ScopeFilter {
  const action = options.action ?? 'cases.read';
  const recordKind = options.recordKind ?? 'entity';
  const perGrant = projectGrants(actor, projectId).map((g) => grantFilter(g, action, recordKind, actor.userId));
  return anyOf(perGrant);
}

/** Evaluates a filter against one record in memory (the web store and the tests use it). */
export function matchesScopeFilter(filter: ScopeFilter, record: PolicyRecord): boolean {
  switch (filter.kind) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'areas':
      return record.areaPath !== null && filter.pathPrefixes.some((p) => record.areaPath?.startsWith(p) === true);
    case 'assignee':
      return record.assigneeId === filter.userId;
    case 'creator':
      return record.createdBy === filter.userId;
    case 'team':
      return record.team !== null && filter.teams.includes(record.team);
    case 'lists':
      return record.listName !== null && filter.names.includes(record.listName);
    case 'anyOf':
      return filter.filters.some((f) => matchesScopeFilter(f, record));
    case 'allOf':
      return filter.filters.every((f) => matchesScopeFilter(f, record));
  }
}

function grantFilter(grant: Grant, action: Action, recordKind: RecordKind, userId: string): ScopeFilter {
  const listLimits: ScopeFilter[] = [];
  if (grant.lists !== null) listLimits.push({ kind: 'lists', names: [...grant.lists].sort() });
  const evidenceOnly =
    (action === 'cases.read' && !grant.capabilities.has('cases.read')) || action === 'incidents.evidence.read';
  const capability = action === 'cases.read' ? 'incidents.evidence.read' : action;
  if (evidenceOnly || !grant.capabilities.has(action)) {
    if (!evidenceOnly || !grant.capabilities.has(capability)) return none;
    listLimits.push({ kind: 'lists', names: [...grant.evidenceLists].sort() });
  }
  return allOf([...listLimits, anyOf(grant.scopes.map((s) => scopeToFilter(s, recordKind, userId)))]);
}

function scopeToFilter(scope: Scope, recordKind: RecordKind, userId: string): ScopeFilter {
  switch (scope.kind) {
    case 'project':
      return all;
    case 'area':
      return { kind: 'areas', pathPrefixes: [scope.path] };
    case 'team':
      return { kind: 'team', teams: [scope.team] };
    case 'own':
      return recordKind === 'entity'
        ? { kind: 'assignee', userId }
        : anyOf([
            { kind: 'assignee', userId },
            { kind: 'creator', userId },
          ]);
  }
}

/** Union, simplified: `all` absorbs, `none` drops out, area prefixes and teams merge. */
function anyOf(filters: readonly ScopeFilter[]): ScopeFilter {
  const flat = filters.flatMap((f) => (f.kind === 'anyOf' ? f.filters : [f])).filter((f) => f.kind !== 'none');
  if (flat.some((f) => f.kind === 'all')) return all;
  const prefixes = flat.flatMap((f) => (f.kind === 'areas' ? f.pathPrefixes : []));
  const teams = flat.flatMap((f) => (f.kind === 'team' ? f.teams : []));
  const rest = dedupe(flat.filter((f) => f.kind !== 'areas' && f.kind !== 'team'));
  const merged: ScopeFilter[] = [];
  if (prefixes.length > 0) merged.push({ kind: 'areas', pathPrefixes: minimalPrefixes(prefixes) });
  if (teams.length > 0) merged.push({ kind: 'team', teams: [...new Set(teams)].sort() });
  merged.push(...rest);
  if (merged.length === 0) return none;
  const [only] = merged;
  return merged.length === 1 && only ? only : { kind: 'anyOf', filters: merged };
}

/** Intersection, simplified: `none` absorbs, `all` drops out, list limits intersect. */
function allOf(filters: readonly ScopeFilter[]): ScopeFilter {
  const flat = filters.flatMap((f) => (f.kind === 'allOf' ? f.filters : [f])).filter((f) => f.kind !== 'all');
  if (flat.some((f) => f.kind === 'none')) return none;
  let lists: string[] | null = null;
  for (const f of flat) {
    if (f.kind === 'lists') lists = lists === null ? [...f.names] : lists.filter((n) => f.names.includes(n));
  }
  if (lists !== null && lists.length === 0) return none;
  const rest = dedupe(flat.filter((f) => f.kind !== 'lists'));
  const merged: ScopeFilter[] = lists === null ? rest : [{ kind: 'lists', names: [...new Set(lists)].sort() }, ...rest];
  if (merged.length === 0) return all;
  const [only] = merged;
  return merged.length === 1 && only ? only : { kind: 'allOf', filters: merged };
}

/** Drops prefixes inside another prefix's subtree (`/a/b/` is covered by `/a/`). */
function minimalPrefixes(prefixes: readonly string[]): string[] {
  const sorted = [...new Set(prefixes)].sort();
  return sorted.filter((p) => !sorted.some((q) => q !== p && p.startsWith(q)));
}

function dedupe(filters: readonly ScopeFilter[]): ScopeFilter[] {
  const seen = new Set<string>();
  return filters.filter((f) => {
    const key = JSON.stringify(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

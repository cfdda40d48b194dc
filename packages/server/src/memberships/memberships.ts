import type { ProblemCode, Role } from '@outpost/core';
import { isRole, roles } from '@outpost/core';
import type { Area } from '../storage/queries/areas.js';
import { listAreas } from '../storage/queries/areas.js';
import { appendAuditEvent } from '../storage/queries/audit.js';
import { addMembership, findMembership, listMemberships, removeMembership } from '../storage/queries/memberships.js';
import type { Membership } from '../storage/queries/memberships.js';
import { userRowById } from '../storage/queries/users.js';
import type { Store } from '../storage/store.js';

// Project membership as an administrator manages it (web app and CLI alike): who is in a project,
// with which role, reaching which part of it. Every change is audited in the same transaction.

/** An area as the membership screens show it: its code, level and names by language. */
export interface AreaRef {
  code: string;
  level: string;
  names: Record<string, string>;
}

export interface MemberView {
  projectId: string;
  userId: string;
  username: string;
  displayName: string;
  /** A built-in role id (see core/policy roles). */
  role: string;
  /** True: the whole project. False: `areas`, `team` and the member's own assignments (only those when both are empty). */
  wholeProject: boolean;
  areas: AreaRef[];
  team: string | null;
  createdAt: string;
}

export interface MembershipInput {
  role: string;
  /** Area codes of the project's area list; each reaches its subtree. */
  areas?: readonly string[];
  team?: string | null;
  /** Own assignments only; cannot be combined with areas or a team. */
  own?: boolean;
}

export type MembershipFailure = {
  ok: false;
  code: Extract<ProblemCode, 'membership.invalid' | 'membership.unknown-area' | 'request.not-found'>;
  detail: string;
  field?: string;
};

export type MembershipResult = { ok: true; created: boolean; member: MemberView } | MembershipFailure;

export const maxMembershipAreas = 200;
const maxTeamLength = 100;

/** The members of a project, by username. */
export async function listProjectMembers(projectId: string, store: Store): Promise<MemberView[]> {
  const [rows, areas] = await Promise.all([listMemberships(projectId, store), listAreas(projectId, null, store)]);
  const byId = new Map(areas.map((a) => [a.id, a]));
  return rows.map((row) => view(row, { username: row.username, displayName: row.display_name }, byId));
}

/**
 * Adds `userId` to the project, or changes their role and scope there. Unknown roles and area
 * codes are refused before anything is written.
 */
export async function setProjectMember(
  projectId: string,
  userId: string,
  input: MembershipInput,
  actorId: string | null,
  store: Store,
): Promise<MembershipResult> {
  const checked = checkInput(input);
  if (!checked.ok) return checked;
  return store.transaction(async (tx) => {
    const user = await userRowById(userId, tx);
    if (user === undefined) return { ok: false, code: 'request.not-found', detail: 'No such user.' };
    const areas = await listAreas(projectId, null, tx);
    const resolved = resolveAreas(checked.areas, areas);
    if (!resolved.ok) return resolved;
    const before = await findMembership(userId, projectId, tx);
    const stored = await addMembership(
      {
        userId,
        projectId,
        roleId: checked.role,
        areaIds: resolved.ids,
        team: checked.team,
        own: checked.own,
        ...(before === undefined ? {} : { createdAt: before.created_at }),
      },
      tx,
    );
    const byId = new Map(areas.map((a) => [a.id, a]));
    await appendAuditEvent(
      {
        actorId,
        action: before === undefined ? 'membership.added' : 'membership.changed',
        subject: `user:${userId}`,
        details: {
          projectId,
          ...auditScope(stored, byId),
          ...(before === undefined ? {} : { previous: auditScope(before, byId) }),
        },
      },
      tx,
    );
    return {
      ok: true,
      created: before === undefined,
      member: view(stored, { username: user.username, displayName: user.display_name }, byId),
    };
  });
}

/** Takes `userId` out of the project; false when they were not in it. */
export async function removeProjectMember(
  projectId: string,
  userId: string,
  actorId: string | null,
  store: Store,
): Promise<boolean> {
  return store.transaction(async (tx) => {
    const before = await findMembership(userId, projectId, tx);
    if (before === undefined) return false;
    await removeMembership(userId, projectId, tx);
    const areas = await listAreas(projectId, null, tx);
    await appendAuditEvent(
      {
        actorId,
        action: 'membership.removed',
        subject: `user:${userId}`,
        details: { projectId, previous: auditScope(before, new Map(areas.map((a) => [a.id, a]))) },
      },
      tx,
    );
    return true;
  });
}

function checkInput(
  input: MembershipInput,
): { ok: true; role: Role; areas: string[]; team: string | null; own: boolean } | MembershipFailure {
  if (!isRole(input.role)) {
    return {
      ok: false,
      code: 'membership.invalid',
      field: 'role',
      detail: `The role must be one of ${roles.join(', ')}; got "${input.role}".`,
    };
  }
  const areas = [...new Set((input.areas ?? []).map((code) => code.trim()))];
  if (areas.length > maxMembershipAreas) {
    return {
      ok: false,
      code: 'membership.invalid',
      field: 'areas',
      detail: `A membership reaches at most ${maxMembershipAreas} areas; pick a larger area instead.`,
    };
  }
  const team = input.team === undefined || input.team === null ? null : input.team.trim();
  if (team !== null && (team === '' || team.length > maxTeamLength)) {
    return {
      ok: false,
      code: 'membership.invalid',
      field: 'team',
      detail: `The team name must have 1–${maxTeamLength} characters.`,
    };
  }
  const own = input.own === true;
  if (own && (areas.length > 0 || team !== null)) {
    return {
      ok: false,
      code: 'membership.invalid',
      field: 'own',
      detail: 'Own assignments only cannot be combined with areas or a team (those include own assignments).',
    };
  }
  return { ok: true, role: input.role, areas, team, own };
}

/** Area codes to ids, in the newest list version that has each code. */
function resolveAreas(
  codes: readonly string[],
  areas: readonly Area[],
): { ok: true; ids: string[] } | MembershipFailure {
  const byCode = new Map<string, Area>();
  for (const area of areas) {
    const known = byCode.get(area.code);
    if (known === undefined || known.list_version < area.list_version) byCode.set(area.code, area);
  }
  const unknown = codes.filter((code) => !byCode.has(code));
  if (unknown.length > 0) {
    return {
      ok: false,
      code: 'membership.unknown-area',
      field: 'areas',
      detail: `Not in the project's area list: ${unknown.slice(0, 20).join(', ')}${unknown.length > 20 ? ', …' : ''}.`,
    };
  }
  return { ok: true, ids: codes.map((code) => byCode.get(code)?.id ?? '') };
}

/** Role and scope for the audit log: codes only, no names. */
function auditScope(
  m: Membership,
  areas: ReadonlyMap<string, Area>,
): { role: string; scope: string; areas: string[]; team: string | null } {
  const codes = m.area_ids.map((id) => areas.get(id)?.code ?? id).sort();
  const scope = m.whole_project ? 'project' : codes.length === 0 && m.team === null ? 'own' : 'limited';
  return { role: m.role_id, scope, areas: codes, team: m.team };
}

function view(
  m: Membership,
  user: { username: string; displayName: string },
  areas: ReadonlyMap<string, Area>,
): MemberView {
  const refs = m.area_ids.flatMap((id) => {
    const area = areas.get(id);
    return area === undefined ? [] : [{ code: area.code, level: area.level, names: area.names }];
  });
  refs.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return {
    projectId: m.project_id,
    userId: m.user_id,
    username: user.username,
    displayName: user.displayName,
    role: m.role_id,
    wholeProject: m.whole_project,
    areas: refs,
    team: m.team,
    createdAt: m.created_at,
  };
}

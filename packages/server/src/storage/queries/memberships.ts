import type { Selectable } from 'kysely';
import type { MembershipsTable } from '../schema.js';
import type { Store } from '../store.js';

export type MembershipRow = Selectable<MembershipsTable>;

/** A membership with the area subtrees it reaches (ids). */
export interface Membership {
  user_id: string;
  project_id: string;
  role_id: string;
  /** True when it reaches the whole project; otherwise its areas, team and the member's own assignments. */
  whole_project: boolean;
  area_ids: string[];
  team: string | null;
  created_at: string;
}

export interface NewMembership {
  userId: string;
  projectId: string;
  roleId: string;
  /** Area subtrees the member works in. */
  areaIds?: readonly string[];
  /** Shorthand for one area subtree (`areaIds: [areaId]`); null or absent for none. */
  areaId?: string | null;
  team?: string | null;
  /**
   * Own assignments only. Without areas, team or `own`, the membership reaches the whole project;
   * with areas or a team it also reaches the member's own assignments.
   */
  own?: boolean;
  createdAt?: string;
}

/**
 * Gives a user a role and scope in a project. A user has one membership per project, so setting
 * it again replaces the role and scope (keeping the original creation time). Runs in the caller's
 * transaction when there is one.
 */
export async function addMembership(input: NewMembership, store: Store): Promise<Membership> {
  const areaIds = [...new Set([...(input.areaIds ?? []), ...(input.areaId ? [input.areaId] : [])])].sort();
  const team = input.team === undefined || input.team === '' ? null : input.team;
  const wholeProject = areaIds.length === 0 && team === null && input.own !== true ? 1 : 0;
  return store.transaction(async (tx) => {
    const row = await tx.db
      .insertInto('memberships')
      .values({
        user_id: input.userId,
        project_id: input.projectId,
        role_id: input.roleId,
        whole_project: wholeProject,
        team,
        created_at: input.createdAt ?? new Date().toISOString(),
      })
      .onConflict((oc) =>
        oc.columns(['user_id', 'project_id']).doUpdateSet({ role_id: input.roleId, whole_project: wholeProject, team }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    await tx.db
      .deleteFrom('membership_areas')
      .where('user_id', '=', input.userId)
      .where('project_id', '=', input.projectId)
      .execute();
    if (areaIds.length > 0) {
      await tx.db
        .insertInto('membership_areas')
        .values(areaIds.map((areaId) => ({ user_id: input.userId, project_id: input.projectId, area_id: areaId })))
        .execute();
    }
    return toMembership(row, areaIds);
  });
}

export interface MembershipWithNames extends Membership {
  username: string;
  display_name: string;
  role_name: string;
}

/** The members of a project with their usernames and role names, ordered by username. */
export async function listMemberships(projectId: string, store: Store): Promise<MembershipWithNames[]> {
  const rows = await store.db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .innerJoin('roles', 'roles.id', 'memberships.role_id')
    .selectAll('memberships')
    .select(['users.username', 'users.display_name', 'roles.name as role_name'])
    .where('memberships.project_id', '=', projectId)
    .orderBy('users.username')
    .execute();
  const areas = await areaIdsOf({ projectId }, store);
  return rows.map((row) => ({
    ...toMembership(row, areas.get(`${row.user_id} ${row.project_id}`) ?? []),
    username: row.username,
    display_name: row.display_name,
    role_name: row.role_name,
  }));
}

export async function findMembership(userId: string, projectId: string, store: Store): Promise<Membership | undefined> {
  const row = await store.db
    .selectFrom('memberships')
    .selectAll()
    .where('user_id', '=', userId)
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const areas = await areaIdsOf({ userId, projectId }, store);
  return toMembership(row, areas.get(`${userId} ${projectId}`) ?? []);
}

export async function removeMembership(userId: string, projectId: string, store: Store): Promise<boolean> {
  return store.transaction(async (tx) => {
    await tx.db
      .deleteFrom('membership_areas')
      .where('user_id', '=', userId)
      .where('project_id', '=', projectId)
      .execute();
    const result = await tx.db
      .deleteFrom('memberships')
      .where('user_id', '=', userId)
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  });
}

/** A user's memberships as the policy reads them: role, reach, and the paths of their areas. */
export interface MembershipReach {
  project_id: string;
  role_id: string;
  whole_project: boolean;
  team: string | null;
  /** Materialised paths of the areas (see `areas.path`); an area that no longer exists is left out. */
  area_paths: string[];
}

export async function membershipReachOf(userId: string, store: Store): Promise<MembershipReach[]> {
  const rows = await store.db
    .selectFrom('memberships')
    .select(['project_id', 'role_id', 'whole_project', 'team'])
    .where('user_id', '=', userId)
    .orderBy('project_id')
    .execute();
  if (rows.length === 0) return [];
  const paths = await store.db
    .selectFrom('membership_areas')
    .innerJoin('areas', 'areas.id', 'membership_areas.area_id')
    .select(['membership_areas.project_id', 'areas.path'])
    .where('membership_areas.user_id', '=', userId)
    .orderBy('areas.path')
    .execute();
  return rows.map((row) => ({
    project_id: row.project_id,
    role_id: row.role_id,
    whole_project: Number(row.whole_project) === 1,
    team: row.team,
    area_paths: paths.filter((p) => p.project_id === row.project_id).map((p) => p.path),
  }));
}

async function areaIdsOf(where: { projectId: string; userId?: string }, store: Store): Promise<Map<string, string[]>> {
  let query = store.db
    .selectFrom('membership_areas')
    .select(['user_id', 'project_id', 'area_id'])
    .where('project_id', '=', where.projectId);
  if (where.userId !== undefined) query = query.where('user_id', '=', where.userId);
  const rows = await query.orderBy('area_id').execute();
  const out = new Map<string, string[]>();
  for (const row of rows) {
    const key = `${row.user_id} ${row.project_id}`;
    out.set(key, [...(out.get(key) ?? []), row.area_id]);
  }
  return out;
}

function toMembership(row: MembershipRow, areaIds: readonly string[]): Membership {
  return {
    user_id: row.user_id,
    project_id: row.project_id,
    role_id: row.role_id,
    whole_project: Number(row.whole_project) === 1,
    area_ids: [...areaIds],
    team: row.team,
    created_at: row.created_at,
  };
}

/** The id of the project member with this username; undefined when no such user is a member. */
export async function findMemberIdByUsername(
  projectId: string,
  username: string,
  store: Store,
): Promise<string | undefined> {
  const row = await store.db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select('users.id')
    .where('memberships.project_id', '=', projectId)
    .where('users.username', '=', username)
    .executeTakeFirst();
  return row?.id;
}

/** A project member by username with the account role (whom a case may be assigned to). */
export async function findMemberByUsername(
  projectId: string,
  username: string,
  store: Store,
): Promise<{ id: string; role: string; disabled: boolean } | undefined> {
  const row = await store.db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id', 'users.role', 'users.disabled_at'])
    .where('memberships.project_id', '=', projectId)
    .where('users.username', '=', username.toLowerCase())
    .executeTakeFirst();
  return row === undefined ? undefined : { id: row.id, role: row.role, disabled: row.disabled_at !== null };
}

/** The display names of these users, by id (for lists that show who a case is assigned to). */
export async function displayNamesOf(userIds: readonly string[], store: Store): Promise<Map<string, string>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Map();
  const rows = await store.db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

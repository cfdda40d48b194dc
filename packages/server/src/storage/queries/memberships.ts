import type { Selectable } from 'kysely';
import type { MembershipsTable } from '../schema.js';
import type { Store } from '../store.js';

export type Membership = Selectable<MembershipsTable>;

export interface NewMembership {
  userId: string;
  projectId: string;
  roleId: string;
  /** Scope: the root of the area subtree the member works in; null for the whole project. */
  areaId?: string | null;
  team?: string | null;
  createdAt?: string;
}

/**
 * Gives a user a role in a project. A user has one membership per project, so adding it again
 * replaces the role and scope (keeping the original creation time).
 */
export async function addMembership(input: NewMembership, store: Store): Promise<Membership> {
  const row: Membership = {
    user_id: input.userId,
    project_id: input.projectId,
    role_id: input.roleId,
    area_id: input.areaId ?? null,
    team: input.team ?? null,
    created_at: input.createdAt ?? new Date().toISOString(),
  };
  return store.db
    .insertInto('memberships')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['user_id', 'project_id']).doUpdateSet({ role_id: row.role_id, area_id: row.area_id, team: row.team }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface MembershipWithNames extends Membership {
  username: string;
  display_name: string;
  role_name: string;
}

/** The members of a project with their usernames and role names, ordered by username. */
export async function listMemberships(projectId: string, store: Store): Promise<MembershipWithNames[]> {
  return store.db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .innerJoin('roles', 'roles.id', 'memberships.role_id')
    .selectAll('memberships')
    .select(['users.username', 'users.display_name', 'roles.name as role_name'])
    .where('memberships.project_id', '=', projectId)
    .orderBy('users.username')
    .execute();
}

export async function findMembership(userId: string, projectId: string, store: Store): Promise<Membership | undefined> {
  return store.db
    .selectFrom('memberships')
    .selectAll()
    .where('user_id', '=', userId)
    .where('project_id', '=', projectId)
    .executeTakeFirst();
}

export async function removeMembership(userId: string, projectId: string, store: Store): Promise<boolean> {
  const result = await store.db
    .deleteFrom('memberships')
    .where('user_id', '=', userId)
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

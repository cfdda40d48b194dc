import type { Store } from '../store.js';

/** An app user of a project as the administration screen lists it: its key's device. */
export interface AppUserRow {
  /** The device id, which is the app user's id. */
  id: string;
  displayName: string;
  /** Area codes its membership reaches; empty for the whole project or a team. */
  areas: string[];
  team: string | null;
  createdAt: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
}

/**
 * The app users of a project, newest first: the devices of the accounts `addAppUser` creates
 * (usernames `app-` and twelve letters or digits, a field-worker membership of this project).
 */
export async function listAppUsers(projectId: string, store: Store): Promise<AppUserRow[]> {
  const rows = await store.db
    .selectFrom('devices')
    .innerJoin('users', 'users.id', 'devices.user_id')
    .innerJoin('memberships', 'memberships.user_id', 'users.id')
    .select([
      'devices.id',
      'devices.name',
      'devices.created_at',
      'devices.last_seen_at',
      'devices.revoked_at',
      'users.username',
      'memberships.team',
      'users.id as user_id',
    ])
    .where('memberships.project_id', '=', projectId)
    .where('memberships.role_id', '=', 'fieldworker')
    .where('users.username', 'like', 'app-%')
    .orderBy('devices.created_at', 'desc')
    .execute();
  const appRows = rows.filter((r) => /^app-[a-z0-9]{12}$/.test(r.username));
  const areas =
    appRows.length === 0
      ? []
      : await store.db
          .selectFrom('membership_areas')
          .innerJoin('areas', 'areas.id', 'membership_areas.area_id')
          .select(['membership_areas.user_id', 'areas.code'])
          .where('membership_areas.project_id', '=', projectId)
          .where(
            'membership_areas.user_id',
            'in',
            appRows.map((r) => r.user_id),
          )
          .execute();
  return appRows.map((r) => ({
    id: r.id,
    displayName: r.name,
    areas: areas.filter((a) => a.user_id === r.user_id).map((a) => a.code),
    team: r.team,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    revokedAt: r.revoked_at,
  }));
}

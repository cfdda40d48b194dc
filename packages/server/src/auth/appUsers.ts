import { listAreas } from '../storage/queries/areas.js';
import { addMembership } from '../storage/queries/memberships.js';
import type { Store } from '../storage/store.js';
import type { Clock } from './clock.js';
import { registerDevice, revokeDevice } from './sessions.js';
import { newToken } from './tokens.js';
import { addUser } from './users.js';

export interface NewAppUser {
  projectId: string;
  displayName: string;
  /** The area code the app user works in; none for the whole project. */
  areaCode: string | null;
  team: string | null;
}

export type AppUserResult =
  | { ok: true; id: string; userId: string; token: string }
  | { ok: false; field: 'area' | 'displayName'; detail: string };

/**
 * An app user, as ODK Central has them: a device credential for one project and an area or team,
 * with no password anyone types. In Outpost it is a field-worker account whose password is random
 * and never shown, a membership scoped like any field worker's, and one device key: so the same
 * policy, sync and audit apply to it, and revoking the key (the app user's id) ends its access.
 */
export async function addAppUser(input: NewAppUser, clock: Clock, store: Store): Promise<AppUserResult> {
  const displayName = input.displayName.trim();
  if (displayName === '' || displayName.length > 100) {
    return { ok: false, field: 'displayName', detail: 'The display name must be 1 to 100 characters.' };
  }
  let areaId: string | null = null;
  if (input.areaCode !== null) {
    const areas = (await listAreas(input.projectId, null, store)).filter((a) => a.code === input.areaCode);
    const newest = areas[areas.length - 1];
    if (newest === undefined)
      return { ok: false, field: 'area', detail: `The project has no area "${input.areaCode}".` };
    areaId = newest.id;
  }
  const user = await addUser(
    {
      username: `app-${newToken()
        .slice(0, 12)
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '0')}`,
      displayName,
      role: 'fieldworker',
      password: newToken(),
    },
    null,
    clock,
    store,
  );
  if (!user.ok) return { ok: false, field: 'displayName', detail: user.detail };
  await addMembership(
    { userId: user.user.id, projectId: input.projectId, roleId: 'fieldworker', areaId, team: input.team },
    store,
  );
  const device = await registerDevice({ userId: user.user.id, name: displayName }, clock, store);
  return { ok: true, id: device.deviceId, userId: user.user.id, token: device.token };
}

/** Revokes an app user's key: its next request is refused (403). False when there is no such key. */
export function revokeAppUser(id: string, clock: Clock, store: Store): Promise<boolean> {
  return revokeDevice(id, clock, store);
}

/** The Collect server URL of an app user: the key travels in the path, as Central's does. */
export function appUserServerUrl(publicUrl: string, token: string, projectId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/v1/key/${token}/projects/${projectId}`;
}

import { isRole, roleHas } from '@outpost/core';

/** Who sees the administration screens: the role that may manage users (the server checks again). */
export function isAdministrator(role: string | undefined): boolean {
  return role !== undefined && isRole(role) && roleHas(role, 'users.manage');
}

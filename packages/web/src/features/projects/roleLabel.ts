import type { I18n } from '../../i18n/createI18n.js';

/** Roles in the user's language; a role added on the server later reads "Other role", never its code. */
export function roleLabel(i18n: I18n, role: string): string {
  return i18n.find(`role.${role}`) ?? i18n.t('role.other');
}

/** The line under a project's name: the user's role in it, or that they manage it without one. */
export function projectRoleText(i18n: I18n, role: string | null): string {
  return role === null ? i18n.t('projects.noRole') : i18n.t('projects.role', { role: roleLabel(i18n, role) });
}

import type { I18n } from '../../i18n/createI18n.js';

/** Roles the catalog knows are translated; a role added on the server later shows as its code. */
export function roleLabel(i18n: I18n, role: string): string {
  return i18n.find(`role.${role}`) ?? role;
}

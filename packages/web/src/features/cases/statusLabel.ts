import type { I18n } from '../../i18n/createI18n.js';

/** Statuses the catalog knows are translated; one a template adds later shows as its code. */
export function statusLabel(i18n: I18n, status: string): string {
  return i18n.find(`status.${status}`) ?? status;
}

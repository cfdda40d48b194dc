import type { AuditEvent, DeviceSummary, UserAccount } from '../../api/OutpostApi.js';
import type { I18n } from '../../i18n/createI18n.js';

/** What the audit table shows for an event: people and devices by name, actions in the user's language. */
export interface AuditRow {
  readonly actor: string;
  /** The translated action; "Other action" for one this version does not know (never the raw code). */
  readonly action: string;
  readonly code: string;
  readonly subject: string;
}

export function auditRow(
  i18n: I18n,
  event: AuditEvent,
  users: readonly UserAccount[],
  devices: readonly DeviceSummary[],
): AuditRow {
  const username = (id: string): string => users.find((u) => u.id === id)?.username ?? id;
  return {
    actor: event.actorId === null ? i18n.t('audit.system') : username(event.actorId),
    action: i18n.find(`audit.action.${event.action}`) ?? i18n.t('audit.action.other'),
    code: event.action,
    subject: subjectName(i18n, event.subject, username, devices),
  };
}

function subjectName(
  i18n: I18n,
  subject: string,
  username: (id: string) => string,
  devices: readonly DeviceSummary[],
): string {
  const colon = subject.indexOf(':');
  const kind = subject.slice(0, colon);
  const id = subject.slice(colon + 1);
  if (colon > 0 && kind === 'user') return i18n.t('audit.subject.user', { name: username(id) });
  if (colon > 0 && kind === 'device') {
    const device = devices.find((d) => d.id === id);
    return i18n.t('audit.subject.device', { name: device ? `${device.name} (${device.username})` : id });
  }
  // Projects, forms, submissions: their ids are what an investigator searches for.
  return subject;
}

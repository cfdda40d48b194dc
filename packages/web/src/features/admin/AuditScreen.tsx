import { For, Show, type JSX } from 'solid-js';
import type { MessageKey } from '../../i18n/en.js';
import { useApp } from '../../app/AppContext.js';
import { DataTable } from '../../app/DataTable.jsx';
import { auditRow } from './auditNames.js';
import { createAuditLog } from './createAuditLog.js';
import { createLoadable } from './createLoadable.js';
import { ProblemAlert } from './ProblemAlert.jsx';

/** What the filter offers: a family of actions each (the server matches `auth.` as a prefix). */
const filters = [
  { action: '', key: 'audit.filter.all' },
  { action: 'auth.', key: 'audit.filter.auth' },
  { action: 'user.', key: 'audit.filter.user' },
  { action: 'device.', key: 'audit.filter.device' },
  { action: 'case.', key: 'audit.filter.case' },
  { action: 'attachment.', key: 'audit.filter.attachment' },
  { action: 'form.', key: 'audit.filter.form' },
  { action: 'submission.', key: 'audit.filter.submission' },
  { action: 'submissions.', key: 'audit.filter.export' },
  { action: 'cases.', key: 'audit.filter.import' },
  { action: 'entity.', key: 'audit.filter.entity' },
  { action: 'sync.', key: 'audit.filter.sync' },
] as const satisfies readonly { action: string; key: MessageKey }[];

export function AuditScreen(): JSX.Element {
  const { api, i18n } = useApp();
  const { t } = i18n;
  const log = createAuditLog(api);
  void log.start();
  // Names for the ids in the log; the log still shows (with ids) if these fail.
  const names = createLoadable(async () => {
    const [users, devices] = await Promise.all([api.listUsers(), api.listDevices()]);
    return { users, devices };
  });
  const rows = () => {
    const known = names.value() ?? { users: [], devices: [] };
    return log.items().map((event) => ({ event, row: auditRow(i18n, event, known.users, known.devices) }));
  };
  const range = () => {
    const items = log.items();
    const newest = items[0];
    const oldest = items.at(-1);
    return newest && oldest ? t('audit.range', { from: oldest.seq, to: newest.seq }) : '';
  };

  return (
    <div class="admin-section">
      <div class="admin-section__top">
        <h2 class="admin-section__title">{t('admin.tab.audit')}</h2>
        <button type="button" class="button" disabled={log.verifying()} onClick={() => void log.verify()}>
          {log.verifying() ? t('audit.verifying') : t('audit.verify')}
        </button>
      </div>
      <label class="audit-filter">
        <span>{t('audit.filter')}</span>
        <select value={log.filter()} onChange={(event) => void log.setFilter(event.currentTarget.value)}>
          <For each={filters}>{(f) => <option value={f.action}>{t(f.key)}</option>}</For>
        </select>
      </label>
      <Show when={log.verdict()}>
        {(verdict) => {
          const v = verdict();
          return v.ok ? (
            <p class="verdict verdict--intact" role="status">
              {t('audit.intact', { count: v.count })}
            </p>
          ) : (
            <div class="alert verdict--broken" role="alert">
              <p>{t('audit.broken', { seq: v.seq })}</p>
              <p class="alert__detail">{v.reason}</p>
            </div>
          );
        }}
      </Show>
      <Show when={log.verifyError()}>{(error) => <ProblemAlert error={error()} />}</Show>
      <Show when={log.error()}>
        {(error) => <ProblemAlert error={error()} lead={t('admin.loadError')} onRetry={() => void log.reload()} />}
      </Show>

      <Show
        when={log.items().length > 0}
        fallback={<p class="empty">{log.loading() ? t('app.loading') : t('audit.empty')}</p>}
      >
        <DataTable
          class="admin-table audit-table"
          columns={[
            '#',
            t('audit.column.time'),
            t('audit.column.actor'),
            t('audit.column.action'),
            t('audit.column.subject'),
          ]}
          items={rows()}
        >
          {({ event, row }) => (
            <tr data-seq={event.seq} data-action={event.action}>
              <th scope="row" class="audit-table__seq">
                {event.seq}
              </th>
              <td data-label={t('audit.column.time')}>
                <time datetime={event.at}>{i18n.formatDateTime(event.at)}</time>
              </td>
              <td data-label={t('audit.column.actor')}>{row.actor}</td>
              <td data-label={t('audit.column.action')} title={row.code}>
                {row.action}
              </td>
              <td data-label={t('audit.column.subject')}>{row.subject}</td>
            </tr>
          )}
        </DataTable>
      </Show>

      <nav class="pager" aria-label={t('admin.tab.audit')}>
        <button
          type="button"
          class="button"
          disabled={!log.hasNewer() || log.loading()}
          onClick={() => void log.newest()}
        >
          {t('audit.newest')}
        </button>
        <button
          type="button"
          class="button"
          disabled={!log.hasNewer() || log.loading()}
          onClick={() => void log.newer()}
        >
          {t('audit.newer')}
        </button>
        <span class="pager__range" aria-live="polite">
          {range()}
        </span>
        <button
          type="button"
          class="button"
          disabled={!log.hasOlder() || log.loading()}
          onClick={() => void log.older()}
        >
          {t('audit.older')}
        </button>
      </nav>
    </div>
  );
}

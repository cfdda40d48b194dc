import { Show, type JSX } from 'solid-js';
import { useApp } from '../../app/AppContext.js';
import { DataTable } from '../../app/DataTable.jsx';
import { auditRow } from './auditNames.js';
import { createAuditLog } from './createAuditLog.js';
import { createLoadable } from './createLoadable.js';
import { ProblemAlert } from './ProblemAlert.jsx';

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
    const first = items[0];
    const last = items.at(-1);
    return first && last ? t('audit.range', { from: first.seq, to: last.seq }) : '';
  };

  return (
    <div class="admin-section">
      <div class="admin-section__top">
        <h2 class="admin-section__title">{t('admin.tab.audit')}</h2>
        <button type="button" class="button" disabled={log.verifying()} onClick={() => void log.verify()}>
          {log.verifying() ? t('audit.verifying') : t('audit.verify')}
        </button>
      </div>
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
              <td data-label={t('audit.column.action')}>
                {row.action}
                <Show when={row.action !== row.code}>
                  <code class="admin-table__sub">{row.code}</code>
                </Show>
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
          disabled={!log.hasPrevious() || log.loading()}
          onClick={() => void log.previous()}
        >
          {t('audit.previous')}
        </button>
        <span class="pager__range" aria-live="polite">
          {range()}
        </span>
        <button type="button" class="button" disabled={!log.hasNext() || log.loading()} onClick={() => void log.next()}>
          {t('audit.next')}
        </button>
        <button
          type="button"
          class="button"
          disabled={!log.hasNext() || log.loading()}
          onClick={() => void log.newest()}
        >
          {t('audit.newest')}
        </button>
      </nav>
    </div>
  );
}

import { Show, type JSX } from 'solid-js';
import { useApp } from '../../app/AppContext.js';
import { DataTable } from '../../app/DataTable.jsx';
import type { Loadable } from './createLoadable.js';
import { ProblemAlert } from './ProblemAlert.jsx';

/**
 * An administration list in each of its states: why it failed to load (with a retry), loading,
 * `empty`, or the table. The last good list stays on screen while a reload runs.
 */
export function AdminTable<T>(props: {
  list: Loadable<readonly T[]>;
  columns: readonly string[];
  empty: string;
  children: (item: T) => JSX.Element;
}): JSX.Element {
  const { t } = useApp().i18n;
  return (
    <>
      <Show when={props.list.error()}>
        {(error) => (
          <ProblemAlert error={error()} lead={t('admin.loadError')} onRetry={() => void props.list.reload()} />
        )}
      </Show>
      <Show
        when={props.list.value()}
        fallback={
          <p class="status-message" role="status">
            {t('app.loading')}
          </p>
        }
      >
        {(items) => (
          <Show when={items().length > 0} fallback={<p class="empty">{props.empty}</p>}>
            <DataTable class="admin-table" columns={props.columns} items={items()}>
              {(item) => props.children(item)}
            </DataTable>
          </Show>
        )}
      </Show>
    </>
  );
}

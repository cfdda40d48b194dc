import { Show, createSignal, type JSX } from 'solid-js';
import type { DeviceSummary } from '../../api/OutpostApi.js';
import { useApp } from '../../app/AppContext.js';
import { AdminActionOutcome } from './AdminActionOutcome.jsx';
import { AdminTable } from './AdminTable.jsx';
import { ConfirmDialog } from './ConfirmDialog.jsx';
import { createAdminAction } from './createAdminAction.js';
import { createLoadable } from './createLoadable.js';

export function DevicesScreen(): JSX.Element {
  const { api, i18n } = useApp();
  const { t } = i18n;
  const devices = createLoadable(() => api.listDevices());
  const action = createAdminAction(() => devices.reload());
  const [revoking, setRevoking] = createSignal<DeviceSummary | undefined>(undefined);

  const revoke = async (): Promise<void> => {
    const device = revoking();
    if (!device) return;
    await action.run(device.id, () => api.revokeDevice(device.id), t('devices.revokedDone', { name: device.name }));
    setRevoking(undefined);
  };

  return (
    <div class="admin-section">
      <h2 class="visually-hidden">{t('admin.tab.devices')}</h2>
      <AdminActionOutcome action={action} />
      <AdminTable
        list={devices}
        empty={t('devices.empty')}
        columns={[
          t('devices.column.name'),
          t('devices.column.user'),
          t('devices.column.lastSeen'),
          t('devices.column.status'),
          t('devices.column.actions'),
        ]}
      >
        {(device) => (
          <tr data-device-id={device.id} classList={{ 'admin-table__row--off': device.revokedAt !== null }}>
            <th scope="row">
              <span class="admin-table__name">{device.name}</span>
            </th>
            <td data-label={t('devices.column.user')}>{device.username}</td>
            <td data-label={t('devices.column.lastSeen')}>
              <Show when={device.lastSeenAt} fallback={t('devices.never')}>
                {(at) => <time datetime={at()}>{i18n.formatDateTime(at())}</time>}
              </Show>
            </td>
            <td data-label={t('devices.column.status')}>
              <Show when={device.revokedAt} fallback={<span class="badge badge--open">{t('devices.active')}</span>}>
                {(at) => (
                  <>
                    <span class="badge badge--revoked">{t('devices.revoked')}</span>{' '}
                    <time class="admin-table__sub" datetime={at()}>
                      {i18n.formatDateTime(at())}
                    </time>
                  </>
                )}
              </Show>
            </td>
            <td>
              <Show when={device.revokedAt === null}>
                <div class="admin-table__actions">
                  <button type="button" class="button button--danger-quiet" onClick={() => setRevoking(device)}>
                    {t('devices.revoke')}
                  </button>
                </div>
              </Show>
            </td>
          </tr>
        )}
      </AdminTable>
      <ConfirmDialog
        open={revoking() !== undefined}
        message={t('devices.revokeConfirm', { name: revoking()?.name ?? '', user: revoking()?.username ?? '' })}
        confirmLabel={t('devices.revoke')}
        busy={action.busy() !== undefined}
        onConfirm={() => void revoke()}
        onCancel={() => setRevoking(undefined)}
      />
    </div>
  );
}

import { Show, createSignal, type JSX } from 'solid-js';
import { arrangeDevices } from './arrangeDevices.js';
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
  const all = createLoadable(() => api.listDevices());
  const action = createAdminAction(() => all.reload());
  const [revoking, setRevoking] = createSignal<DeviceSummary | undefined>(undefined);
  const [renaming, setRenaming] = createSignal<string | undefined>(undefined);
  const [showRevoked, setShowRevoked] = createSignal(false);
  const arranged = () => {
    const list = all.value();
    return list === undefined ? undefined : arrangeDevices(list, showRevoked());
  };
  const devices = { ...all, value: () => arranged()?.shown };

  const rename = async (device: DeviceSummary, name: string): Promise<void> => {
    if (name.trim() === '' || name.trim() === device.name) {
      setRenaming(undefined);
      return;
    }
    await action.run(
      device.id,
      () => api.renameDevice(device.id, name),
      () => t('devices.renamedDone', { name: name.trim() }),
    );
    setRenaming(undefined);
  };

  const revoke = async (): Promise<void> => {
    const device = revoking();
    if (!device) return;
    await action.run(
      device.id,
      () => api.revokeDevice(device.id),
      () => t('devices.revokedDone', { name: device.name }),
    );
    setRevoking(undefined);
  };

  return (
    <div class="admin-section">
      <h2 class="visually-hidden">{t('admin.tab.devices')}</h2>
      <AdminActionOutcome action={action} />
      <label class="devices-revoked-toggle">
        <input type="checkbox" checked={showRevoked()} onChange={(e) => setShowRevoked(e.currentTarget.checked)} />
        <span>
          {showRevoked()
            ? t('devices.showRevoked')
            : t('devices.showRevokedCount', { count: arranged()?.hiddenRevoked ?? 0 })}
        </span>
      </label>
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
              <Show
                when={renaming() === device.id}
                fallback={
                  <span class="device-name">
                    <span class="admin-table__name">{device.name}</span>
                    <Show when={device.revokedAt === null}>
                      <button type="button" class="button" onClick={() => setRenaming(device.id)}>
                        {t('devices.rename')}
                      </button>
                    </Show>
                  </span>
                }
              >
                <form
                  class="device-rename"
                  onSubmit={(event) => {
                    event.preventDefault();
                    const input = event.currentTarget.elements.namedItem('name');
                    if (input instanceof HTMLInputElement) void rename(device, input.value);
                  }}
                >
                  <label class="visually-hidden" for={`device-name-${device.id}`}>
                    {t('devices.newName')}
                  </label>
                  <input
                    id={`device-name-${device.id}`}
                    name="name"
                    value={device.name}
                    maxLength={100}
                    required
                    autocomplete="off"
                  />
                  <button type="submit" class="button button--primary" disabled={action.busy() === device.id}>
                    {t('devices.saveName')}
                  </button>
                  <button type="button" class="button" onClick={() => setRenaming(undefined)}>
                    {t('admin.cancel')}
                  </button>
                </form>
              </Show>
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

import { For, Show, createSignal, type JSX } from 'solid-js';
import type { DeviceSummary } from '../../api/OutpostApi.js';
import { useApp } from '../../app/AppContext.js';
import { ConfirmDialog } from './ConfirmDialog.jsx';
import { createLoadable } from './createLoadable.js';
import { ProblemAlert } from './ProblemAlert.jsx';

export function DevicesScreen(): JSX.Element {
  const { api, i18n } = useApp();
  const { t } = i18n;
  const devices = createLoadable(() => api.listDevices());
  const [revoking, setRevoking] = createSignal<DeviceSummary | undefined>(undefined);
  const [busy, setBusy] = createSignal(false);
  const [failure, setFailure] = createSignal<unknown>(undefined);
  const [notice, setNotice] = createSignal<string | undefined>(undefined);

  const revoke = async (): Promise<void> => {
    const device = revoking();
    if (!device) return;
    setBusy(true);
    setFailure(undefined);
    setNotice(undefined);
    try {
      await api.revokeDevice(device.id);
      setNotice(t('devices.revokedDone', { name: device.name }));
      await devices.reload();
    } catch (error) {
      setFailure(() => error);
    } finally {
      setBusy(false);
      setRevoking(undefined);
    }
  };

  return (
    <div class="admin-section">
      <h2 class="visually-hidden">{t('admin.tab.devices')}</h2>
      <Show when={notice()}>
        {(text) => (
          <p class="notice" role="status">
            {text()}
          </p>
        )}
      </Show>
      <Show when={failure()}>{(error) => <ProblemAlert error={error()} />}</Show>
      <Show when={devices.error()}>
        {(error) => <ProblemAlert error={error()} lead={t('admin.loadError')} onRetry={() => void devices.reload()} />}
      </Show>
      <Show
        when={devices.value()}
        fallback={
          <p class="status-message" role="status">
            {t('app.loading')}
          </p>
        }
      >
        {(list) => (
          <Show when={list().length > 0} fallback={<p class="empty">{t('devices.empty')}</p>}>
            <table class="admin-table">
              <thead>
                <tr>
                  <th scope="col">{t('devices.column.name')}</th>
                  <th scope="col">{t('devices.column.user')}</th>
                  <th scope="col">{t('devices.column.lastSeen')}</th>
                  <th scope="col">{t('devices.column.status')}</th>
                  <th scope="col">{t('devices.column.actions')}</th>
                </tr>
              </thead>
              <tbody>
                <For each={list()}>
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
                        <Show
                          when={device.revokedAt}
                          fallback={<span class="badge badge--open">{t('devices.active')}</span>}
                        >
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
                            <button
                              type="button"
                              class="button button--danger-quiet"
                              onClick={() => setRevoking(device)}
                            >
                              {t('devices.revoke')}
                            </button>
                          </div>
                        </Show>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </Show>
        )}
      </Show>
      <ConfirmDialog
        open={revoking() !== undefined}
        message={t('devices.revokeConfirm', { name: revoking()?.name ?? '', user: revoking()?.username ?? '' })}
        confirmLabel={t('devices.revoke')}
        busy={busy()}
        onConfirm={() => void revoke()}
        onCancel={() => setRevoking(undefined)}
      />
    </div>
  );
}

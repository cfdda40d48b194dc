import { A } from '@solidjs/router';
import { createMemo, createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { useApp } from '../../app/AppContext.js';
import { problemText } from '../../app/problemMessage.js';
import type { MessageKey } from '../../i18n/en.js';
import type { DeviceRecord, RecordSyncState } from '../../sync/listDeviceRecords.js';
import { listOpenedRecords } from '../../sync/openedRecords.js';
import { casePath } from './followUpForms.js';
import { statusLabel } from './statusLabel.js';
import { useSync } from '../../device/SyncContext.js';
import './deviceCases.css';

const stateKey = {
  pending: 'sync.record.pending',
  sent: 'sync.record.sent',
  rejected: 'sync.record.rejected',
  synced: 'sync.record.synced',
} as const satisfies Readonly<Record<RecordSyncState, MessageKey>>;

/** At most this many rows at once; the device may hold a whole caseload. */
const shownLimit = 200;

/**
 * The cases of one project as this device holds them, each with its sync state. Cases not yet on
 * the server are always listed; the rest on request, or by themselves when the device is offline
 * and the server's list cannot load.
 */
export function DeviceCases(props: { projectId: string }): JSX.Element {
  const { i18n } = useApp();
  const { t } = i18n;
  const device = () => useSync();
  const [expanded, setExpanded] = createSignal(false);
  const [records] = createResource(
    () => {
      const sync = device();
      return sync === undefined ? undefined : { sync, revision: sync.revision(), projectId: props.projectId };
    },
    ({ sync, projectId }) => listOpenedRecords(sync, projectId),
  );
  const offline = () => device()?.status().phase === 'offline';
  const showAll = () => expanded() || offline();
  const unsynced = createMemo(() => (records() ?? []).filter((r) => r.state !== 'synced'));
  // What still needs the network comes first, so a device full of synced cases does not hide it.
  const shown = createMemo<readonly DeviceRecord[]>(() => {
    const synced = showAll() ? (records() ?? []).filter((r) => r.state === 'synced') : [];
    return [...unsynced(), ...synced].slice(0, shownLimit);
  });

  return (
    <Show when={device() !== undefined && (records()?.length ?? 0) > 0}>
      <section class="device-cases" aria-labelledby="device-cases-title">
        <div class="device-cases__top">
          <h2 id="device-cases-title">{t('sync.device.title')}</h2>
          <p>{t('sync.device.count', { count: records()?.length ?? 0 })}</p>
          <Show when={!offline()}>
            <button type="button" class="button" onClick={() => setExpanded(!expanded())}>
              {expanded() ? t('sync.device.hide') : t('sync.device.showAll')}
            </button>
          </Show>
        </div>
        <Show when={offline()}>
          <p class="status-message">{t('sync.device.offlineNote')}</p>
        </Show>
        <Show when={shown().length > 0}>
          <table class="case-table device-cases__table">
            <thead>
              <tr>
                <th scope="col">{t('cases.column.label')}</th>
                <th scope="col">{t('cases.column.status')}</th>
                <th scope="col">{t('sync.title')}</th>
              </tr>
            </thead>
            <tbody>
              <For each={shown()}>
                {(record) => (
                  <tr class="case-row" data-device-case-id={record.id} data-sync-state={record.state}>
                    <th scope="row" class="case-row__label">
                      <A href={casePath(props.projectId, record.id)}>{record.label}</A>
                    </th>
                    <td data-label={t('cases.column.status')} data-status={record.status ?? ''}>
                      {record.status === null ? '' : statusLabel(i18n, record.status)}
                    </td>
                    <td data-label={t('sync.title')}>
                      <span class={`badge sync-badge sync-badge--${record.state}`}>{t(stateKey[record.state])}</span>
                      <Show when={record.rejection}>
                        {(rejection) => (
                          <span class="sync-badge__reason">
                            {' '}
                            {problemText(i18n, rejection().code, rejection().field)}
                          </span>
                        )}
                      </Show>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </Show>
      </section>
    </Show>
  );
}

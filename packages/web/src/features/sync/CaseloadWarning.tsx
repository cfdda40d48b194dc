import { createSignal, Show, type JSX } from 'solid-js';
import { useApp } from '../../app/AppContext.js';
import { caseloadText } from './caseloadText.js';
import { useSync } from '../../device/SyncContext.js';
import './sync.css';

/**
 * R13: shown while the first download waits because the caseload is more than one device is meant
 * to hold. Nothing was downloaded; the user asks a supervisor to narrow the area (the next sync then
 * goes ahead by itself) or continues anyway.
 */
export function CaseloadWarning(): JSX.Element {
  const { i18n } = useApp();
  const [busy, setBusy] = createSignal(false);
  return (
    <Show when={useSync()}>
      {(device) => (
        <Show when={device().status().caseload}>
          {(warning) => (
            <div class="alert" role="alert" data-testid="sync-caseload">
              <p>
                <strong>{i18n.t('sync.caseload.title')}</strong>
              </p>
              <p>{caseloadText(i18n.t, warning(), i18n.language())}</p>
              <p class="alert__detail">{i18n.t('sync.caseload.detail')}</p>
              <button
                type="button"
                class="button"
                disabled={busy() || device().status().phase === 'syncing'}
                onClick={() => {
                  setBusy(true);
                  void device()
                    .engine.continueLargeCaseload()
                    .finally(() => setBusy(false));
                }}
              >
                {i18n.t('sync.caseload.continue')}
              </button>
            </div>
          )}
        </Show>
      )}
    </Show>
  );
}

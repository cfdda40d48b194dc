import { A } from '@solidjs/router';
import { Show, type JSX } from 'solid-js';
import { useApp } from '../../app/AppContext.js';
import { useSync } from '../../device/SyncContext.js';
import { summaryText, syncSummary } from './syncSummary.js';
import './sync.css';

/** The header's one-line sync state; opens the sync screen. */
export function SyncIndicator(): JSX.Element {
  const { i18n } = useApp();
  const device = () => useSync();
  return (
    <Show when={device()}>
      {(sync) => {
        const summary = () => syncSummary(sync().status(), i18n.formatDateTime);
        return (
          <A href="/sync" class={`sync-indicator sync-indicator--${summary().tone}`} title={i18n.t('sync.title')}>
            <span class="sync-indicator__dot" aria-hidden="true" />
            <span role="status" aria-live="polite">
              {summaryText(i18n.find, summary())}
            </span>
          </A>
        );
      }}
    </Show>
  );
}

import { useNavigate } from '@solidjs/router';
import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { useApp } from '../../app/AppContext.js';
import { problemText } from '../../app/problemMessage.js';
import { loadProjectVocabulary } from '../forms/formVocabulary.js';
import type { I18n } from '../../i18n/createI18n.js';
import { listRejected, nextBatch, type OutboxEntry } from '../../store/outbox.js';
import { declaredEntity } from '../../sync/submissionFor.js';
import type { SyncProblem } from '../../sync/SyncStatus.js';
import { CaseloadWarning } from './CaseloadWarning.js';
import { downloadText } from './downloadText.js';
import { draftOfRejected, fixRoute } from './fixRejected.js';
import { useSync } from '../../device/SyncContext.js';
import { formatBytes, formatDuration, summaryText, syncSummary } from './syncSummary.js';
import './sync.css';

/** `/sync`: what this device holds that the server does not, and how the last sync went. */
export function SyncScreen(): JSX.Element {
  const { i18n } = useApp();
  const { t } = i18n;
  return (
    <section class="sync-screen" aria-labelledby="sync-title">
      <h1 id="sync-title">{t('sync.title')}</h1>
      <Show when={useSync()} fallback={<p class="status-message">{t('sync.unavailable')}</p>}>
        {(device) => <SyncDetails i18n={i18n} device={device()} />}
      </Show>
    </section>
  );
}

function SyncDetails(props: { i18n: I18n; device: NonNullable<ReturnType<typeof useSync>> }): JSX.Element {
  const { t } = props.i18n;
  const { api } = useApp();
  const status = () => props.device.status();
  const [busy, setBusy] = createSignal(false);
  const [entries] = createResource(
    () => props.device.revision(),
    async () => {
      const { store, codec } = props.device;
      const [rejected, pending] = await Promise.all([
        listRejected(store, { codec }),
        nextBatch(store, 500, Number.MAX_SAFE_INTEGER, { codec }),
      ]);
      return { rejected, pending };
    },
  );
  // Form titles instead of form ids: the words of every project that has something here.
  const [titles] = createResource(entries, async ({ rejected, pending }) => {
    const projects = [...new Set([...rejected, ...pending].map((e) => e.item.projectId))];
    const vocabularies = await Promise.all(projects.map((id) => loadProjectVocabulary(api, id)));
    return (formId: string): string | undefined => vocabularies.map((v) => v.formTitle(formId)).find(Boolean);
  });
  const formTitle = (formId: string): string => titles()?.(formId) ?? t('sync.entry.form');
  const act = async (action: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    try {
      await action();
    } finally {
      setBusy(false);
    }
  };
  const navigate = useNavigate();
  // Opens the refused form as a draft; saving it again replaces the refused entry.
  const fix = async (entry: OutboxEntry): Promise<void> => {
    const label = declaredEntity(entry.item.xml)?.label ?? '';
    const draft = await draftOfRejected(entry, formTitle(entry.item.formId), label, new Date(), {
      queued: (sha256) => props.device.queuedFile(sha256),
      sent: (sha256) => api.getSubmissionFile(entry.item.projectId, sha256),
    });
    if (draft === null) return;
    await props.device.drafts.save(draft);
    navigate(fixRoute(draft));
  };
  const exportUnsent = async (): Promise<void> => {
    const text = await props.device.engine.exportUnsent();
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    downloadText(`outpost-unsent-${stamp}.json`, text);
  };

  return (
    <>
      <p class={`sync-summary sync-summary--${syncSummary(status(), props.i18n.formatDateTime).tone}`} role="status">
        {summaryText(props.i18n.find, syncSummary(status(), props.i18n.formatDateTime))}
      </p>
      <dl class="sync-facts">
        <div>
          <dt>{t('sync.waiting.title')}</dt>
          <dd data-testid="sync-pending">{status().pending}</dd>
        </div>
        <div>
          <dt>{t('sync.notSent.title')}</dt>
          <dd data-testid="sync-rejected">{status().rejected}</dd>
        </div>
      </dl>
      <p class="sync-last" data-testid="sync-last-success">
        {status().lastSuccessAt === null
          ? t('sync.lastSuccessNever')
          : t('sync.lastSuccess', { time: props.i18n.formatDateTime(status().lastSuccessAt ?? '') })}
      </p>

      <Show when={status().progress}>
        {(progress) => (
          <div class="sync-progress">
            <p>{t(`sync.progress.stage.${progress().stage}`)}</p>
            <progress
              max={Math.max(progress().recordsTotal, 1)}
              value={progress().recordsDone}
              aria-label={t('sync.progress.label')}
            />
            <p class="sync-progress__numbers">
              {t('sync.progress.records', { done: progress().recordsDone, total: progress().recordsTotal })}
              {' · '}
              {t('sync.progress.bytes', { done: formatBytes(progress().bytesDone, props.i18n.language()) })}
              <Show when={progress().etaMs}>
                {(eta) => (
                  <>
                    {' · '}
                    {t('sync.progress.eta', { time: formatDuration(eta(), props.i18n.language()) })}
                  </>
                )}
              </Show>
            </p>
          </div>
        )}
      </Show>

      <CaseloadWarning />

      <Show when={status().error}>
        {(error) => (
          <div class="alert" role="alert">
            <p>{t('sync.error.title')}</p>
            <p>{syncProblemText(props.i18n, error())}</p>
            <Show when={props.i18n.language() === 'en' && error().detail}>
              {(detail) => <p class="alert__detail">{detail()}</p>}
            </Show>
            <Show when={status().nextAttemptAt}>
              {(at) => <p>{t('sync.error.nextAttempt', { time: props.i18n.formatDateTime(at()) })}</p>}
            </Show>
            <button
              type="button"
              class="button"
              disabled={busy() || status().phase === 'syncing'}
              onClick={() => void act(() => props.device.engine.syncNow())}
            >
              {t('sync.retry')}
            </button>
          </div>
        )}
      </Show>

      <div class="sync-actions">
        <button
          type="button"
          class="button button--primary"
          disabled={busy() || status().phase === 'syncing' || status().phase === 'wiped'}
          onClick={() => void act(() => props.device.engine.syncNow())}
        >
          {t('sync.now')}
        </button>
        <button type="button" class="button" onClick={() => void act(exportUnsent)}>
          {t('sync.export')}
        </button>
      </div>
      <p class="sync-hint">{t('sync.exportHint')}</p>

      <h2>{t('sync.notSent.title')}</h2>
      <Show when={(entries()?.rejected.length ?? 0) > 0} fallback={<p class="empty">{t('sync.notSent.empty')}</p>}>
        <ul class="sync-entries" aria-label={t('sync.notSent.title')}>
          <For each={entries()?.rejected}>
            {(entry) => (
              <li class="sync-entry sync-entry--rejected" data-seq={entry.seq}>
                <EntryHeading i18n={props.i18n} entry={entry} formTitle={formTitle} />
                <p class="sync-entry__reason">
                  {t('sync.notSent.reason', { reason: rejectionText(props.i18n, entry.rejection) })}
                </p>
                <div class="sync-entry__actions">
                  <button type="button" class="button" disabled={busy()} onClick={() => void act(() => fix(entry))}>
                    {t('sync.notSent.fix')}
                  </button>
                  <button
                    type="button"
                    class="button"
                    disabled={busy()}
                    onClick={() => void act(() => props.device.engine.retryRejected([entry.seq]))}
                  >
                    {t('sync.notSent.retry')}
                  </button>
                  <button
                    type="button"
                    class="button"
                    disabled={busy()}
                    onClick={() => {
                      if (window.confirm(t('sync.notSent.confirmDiscard'))) {
                        void act(() => props.device.engine.discardRejected([entry.seq]));
                      }
                    }}
                  >
                    {t('sync.notSent.discard')}
                  </button>
                </div>
              </li>
            )}
          </For>
        </ul>
      </Show>

      <h2>{t('sync.waiting.title')}</h2>
      <Show when={(entries()?.pending.length ?? 0) > 0} fallback={<p class="empty">{t('sync.waiting.empty')}</p>}>
        <ul class="sync-entries" aria-label={t('sync.waiting.title')}>
          <For each={entries()?.pending}>
            {(entry) => (
              <li class="sync-entry" data-seq={entry.seq}>
                <EntryHeading i18n={props.i18n} entry={entry} formTitle={formTitle} />
              </li>
            )}
          </For>
        </ul>
      </Show>
    </>
  );
}

function EntryHeading(props: { i18n: I18n; entry: OutboxEntry; formTitle: (formId: string) => string }): JSX.Element {
  const title = () => props.formTitle(props.entry.item.formId);
  const label = () => declaredEntity(props.entry.item.xml)?.label || title();
  return (
    <p class="sync-entry__title" data-form-id={props.entry.item.formId}>
      <strong>{label()}</strong>{' '}
      <span class="sync-entry__meta">
        {title()} · {props.i18n.t('sync.entry.saved', { time: props.i18n.formatDateTime(props.entry.savedAt) })}
      </span>
    </p>
  );
}

/** Why the server refused an item, in the user's words; the server's English detail only in English. */
export function rejectionText(i18n: I18n, rejection: OutboxEntry['rejection']): string {
  if (rejection === null) return '';
  const message = problemText(i18n, rejection.code, rejection.field);
  if (i18n.language() !== 'en') return message;
  const parts = [message, rejection.detail, rejection.field].filter(
    (part): part is string => part !== undefined && part !== '',
  );
  return [...new Set(parts)].join(' — ');
}

/** The failure in the user's words; in English the server's detail is shown beneath. */
export function syncProblemText(i18n: I18n, problem: SyncProblem): string {
  switch (problem.code) {
    case 'device.storage-full':
      return i18n.t('sync.error.storageFull');
    case 'network.unreachable':
    case 'network.offline':
      return i18n.t('sync.error.offline');
    case 'auth.required':
    case 'auth.session-expired':
      return i18n.t('sync.error.signIn');
    default:
      return problemText(i18n, problem.code);
  }
}

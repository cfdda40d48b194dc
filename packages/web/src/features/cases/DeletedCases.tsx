import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import type { DeletedCase } from '../../api/OutpostApi.js';
import { useApp } from '../../app/AppContext.js';
import { problemMessage } from '../../app/problemMessage.js';

/**
 * The case list's "Deleted cases" view, for roles that may restore them (supervisors and
 * administrators): the project's deleted cases in the user's reach, asked of the server when
 * opened (a deleted case is on no device), each with "Restore" and a confirmation. A restored case
 * leaves this list and comes back to the device at the sync `onRestored` starts.
 */
export function DeletedCases(props: { projectId: string; onRestored: () => void }): JSX.Element {
  const { api, i18n } = useApp();
  const { t } = i18n;
  const [open, setOpen] = createSignal(false);
  const [confirming, setConfirming] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [restored, setRestored] = createSignal<string | null>(null);
  const [cases, { refetch }] = createResource(
    () => (open() ? props.projectId : null),
    (projectId) => api.listDeletedCases(projectId),
  );
  const nameOf = (item: DeletedCase) => item.label ?? t('cases.labelHidden');

  const restore = async (item: DeletedCase): Promise<void> => {
    setBusy(true);
    setError(null);
    setRestored(null);
    try {
      await api.restoreCase(props.projectId, item.id);
      setRestored(nameOf(item));
      setConfirming(null);
      props.onRestored();
      await refetch();
    } catch (caught) {
      setError(problemMessage(i18n, caught).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <details class="deleted-cases" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary class="button button--subtle">{t('deletedCases.title')}</summary>
      <Show when={restored()}>
        {(name) => (
          <p class="status-message" role="status">
            {t('deletedCases.restored', { name: name() })}
          </p>
        )}
      </Show>
      <Show when={error() ?? (cases.error === undefined ? null : problemMessage(i18n, cases.error).message)}>
        {(message) => (
          <p class="alert" role="alert">
            {message()}
          </p>
        )}
      </Show>
      <Show when={cases.loading}>
        <p>{t('app.loading')}</p>
      </Show>
      <Show when={cases.state === 'ready' ? cases() : undefined}>
        {(items) => (
          <Show when={items().length > 0} fallback={<p>{t('deletedCases.empty')}</p>}>
            <ul class="deleted-cases__list" aria-label={t('deletedCases.title')}>
              <For each={items()}>
                {(item) => (
                  <li class="deleted-cases__item" data-case-id={item.id}>
                    <strong>{nameOf(item)}</strong>{' '}
                    <time datetime={item.deletedAt}>
                      {t('deletedCases.deletedAt', { when: i18n.formatDateTime(item.deletedAt) })}
                    </time>{' '}
                    <Show
                      when={confirming() === item.id}
                      fallback={
                        <button type="button" class="button" disabled={busy()} onClick={() => setConfirming(item.id)}>
                          {t('deletedCases.restore')}
                        </button>
                      }
                    >
                      <button
                        type="button"
                        class="button button--primary"
                        disabled={busy()}
                        onClick={() => void restore(item)}
                      >
                        {t('deletedCases.restoreConfirm')}
                      </button>
                    </Show>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        )}
      </Show>
    </details>
  );
}

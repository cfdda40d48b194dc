import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import type { MergedCase } from '../../api/OutpostApi.js';
import { useApp } from '../../app/AppContext.js';
import { problemMessage } from '../../app/problemMessage.js';

/**
 * On a case's page, for roles that may merge: the duplicates merged into this case, asked of the
 * server (a merged case is on no device), each with "Undo merge", which makes it a separate case
 * again and gives this case back what it had before.
 */
export function MergedCases(props: { projectId: string; caseId: string; onChanged: () => void }): JSX.Element {
  const { api, i18n } = useApp();
  const { t } = i18n;
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [undone, setUndone] = createSignal<string | null>(null);
  const [detail, { refetch }] = createResource(
    () => ({ projectId: props.projectId, caseId: props.caseId }),
    ({ projectId, caseId }) => api.getCase(projectId, caseId).catch(() => null),
  );
  const nameOf = (m: MergedCase) => m.label ?? t('cases.labelHidden');
  const undo = async (m: MergedCase): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await api.unmergeCase(props.projectId, m.id);
      setUndone(nameOf(m));
      props.onChanged();
      await refetch();
    } catch (caught) {
      setError(problemMessage(i18n, caught).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Show when={undone()}>
        {(name) => (
          <p class="status-message" role="status">
            {t('mergedCases.undone', { name: name() })}
          </p>
        )}
      </Show>
      <Show when={error()}>
        {(message) => (
          <p class="alert" role="alert">
            {message()}
          </p>
        )}
      </Show>
      <Show when={(detail()?.merged ?? []).length > 0}>
        <section class="merged-cases" aria-labelledby="merged-cases-title">
          <h2 id="merged-cases-title">{t('mergedCases.title')}</h2>
          <ul>
            <For each={detail()?.merged ?? []}>
              {(m) => (
                <li data-case-id={m.id}>
                  <strong>{nameOf(m)}</strong> <time datetime={m.mergedAt}>{i18n.formatDateTime(m.mergedAt)}</time>{' '}
                  <button type="button" class="button" disabled={busy()} onClick={() => void undo(m)}>
                    {t('mergedCases.undo')}
                  </button>
                </li>
              )}
            </For>
          </ul>
        </section>
      </Show>
    </>
  );
}

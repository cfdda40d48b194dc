import { A, useParams, useSearchParams } from '@solidjs/router';
import { createEffect, createMemo, createResource, For, on, onCleanup, Show, useContext, type JSX } from 'solid-js';
import { DataTable } from '../../app/DataTable.jsx';
import { ShellContext, useApp } from '../../app/AppContext.js';
import { problemMessage } from '../../app/problemMessage.js';
import { createCaseList } from './createCaseList.js';
import { casePath, followUpPath, listFollowUpForms } from './followUpForms.js';
import { statusLabel } from './statusLabel.js';
import { emptyVocabulary, loadProjectVocabulary } from '../forms/formVocabulary.js';
import { DeviceCases } from '../sync/DeviceCases.jsx';
import { savedNotice } from '../sync/savedNotice.js';
import { useSync } from '../sync/SyncContext.js';

// Long enough to skip the searches in the middle of a word, short enough to feel instant.
const searchDelayMs = 250;

export function CaseListScreen(): JSX.Element {
  const { api, i18n } = useApp();
  const { t } = i18n;
  const params = useParams<{ projectId: string }>();
  const [search] = useSearchParams<{ sent?: string; saved?: string }>();
  // The form was saved just before this screen opened; a sync finished after that has sent it.
  const savedAt = new Date(Date.now() - 1000).toISOString();
  // The router reuses this component when only the project changes; a fresh model per project.
  const model = createMemo(() => createCaseList(api, params.projectId));
  createEffect(on(model, (m) => void m.reload()));
  // What each case offers to record for itself: the forms that update its list.
  const [followUps] = createResource(
    () => params.projectId,
    (projectId) => listFollowUpForms(api, projectId),
  );
  const followUpsOf = (list: string) => (followUps() ?? []).filter((form) => form.dataset === list);
  // A finished sync may have changed what the server lists (a visit just sent): show it.
  createEffect(
    on(
      () => useSync()?.status().lastSuccessAt,
      () => void model().reload(),
      { defer: true },
    ),
  );
  const shell = useContext(ShellContext);
  const mayFill = (): boolean => shell?.projects()?.find((p) => p.id === params.projectId)?.canSubmit !== false;
  // Status words come from the project's forms (the device's copies when offline).
  const [vocabulary] = createResource(
    () => params.projectId,
    (projectId) => loadProjectVocabulary(api, projectId),
  );
  // Area names come from the server in the app's language: a switch fetches them again.
  createEffect(on(i18n.language, () => void model().reload(), { defer: true }));

  let timer: ReturnType<typeof setTimeout> | undefined;
  const scheduleSearch = (q: string): void => {
    clearTimeout(timer);
    // A space typed or removed at either end asks nothing new of the server (nor of its audit log).
    if (q.trim() === model().query().trim()) return;
    timer = setTimeout(() => void model().search(q), searchDelayMs);
  };
  onCleanup(() => clearTimeout(timer));

  return (
    <section class="cases" aria-labelledby="cases-title">
      <div class="cases__top">
        <h1 id="cases-title">{t('cases.title')}</h1>
        <A class="button" href={`/projects/${encodeURIComponent(params.projectId)}/tasks`}>
          {t('tasks.nav')}
        </A>
        <Show when={mayFill()}>
          <A class="button button--primary" href={`/projects/${encodeURIComponent(params.projectId)}/forms`}>
            {t('cases.fillForm')}
          </A>
        </Show>
        <A class="button" href={`/projects/${encodeURIComponent(params.projectId)}/review`}>
          {t('review.link')}
        </A>
        <form
          class="search"
          role="search"
          onSubmit={(event) => {
            event.preventDefault();
            clearTimeout(timer);
            const input = event.currentTarget.elements.namedItem('q');
            if (input instanceof HTMLInputElement) void model().search(input.value);
          }}
        >
          <label class="search__field">
            <span class="visually-hidden">{t('cases.search')}</span>
            <input
              name="q"
              type="search"
              placeholder={`${t('cases.search')}: ${t('cases.searchHint')}`}
              autocomplete="off"
              onInput={(event) => scheduleSearch(event.currentTarget.value)}
            />
          </label>
        </form>
      </div>

      <Show when={search.sent === '1'}>
        <p class="status-message" role="status">
          {t('form.sent')}
        </p>
      </Show>
      <Show when={search.saved === '1'}>
        <p class="status-message" role="status">
          {t(savedNotice(useSync()?.status(), savedAt))}
        </p>
      </Show>

      <DeviceCases projectId={params.projectId} />

      <Show when={model().error()}>
        {(error) => (
          <div class="alert" role="alert">
            <p>{t('cases.error')}</p>
            <p class="alert__detail">{problemMessage(i18n, error()).message}</p>
            <button type="button" class="button" onClick={() => void model().reload()}>
              {t('cases.retry')}
            </button>
          </div>
        )}
      </Show>

      <p class="cases__count" aria-live="polite">
        <Show when={!model().loading() || model().items().length > 0} fallback={t('app.loading')}>
          {model().total() === 0
            ? t('cases.empty')
            : t('cases.showing', { shown: model().items().length, total: model().total() })}
        </Show>
      </p>

      <Show when={model().items().length > 0}>
        <DataTable
          class="case-table"
          columns={[
            t('cases.column.label'),
            t('cases.column.status'),
            t('cases.column.area'),
            t('cases.column.assignee'),
            t('cases.column.updated'),
            t('cases.column.actions'),
          ]}
          items={model().items()}
        >
          {(item) => (
            <tr class="case-row" data-case-id={item.id}>
              <th scope="row" class="case-row__label">
                <A href={casePath(params.projectId, item.id)}>
                  {item.label ?? <span class="case-row__hidden">{t('cases.labelHidden')}</span>}
                </A>
              </th>
              <td data-label={t('cases.column.status')}>
                <span class={`badge badge--${badgeTone(item.status)}`}>
                  {statusLabel(i18n, item.status, { vocabulary: vocabulary() ?? emptyVocabulary, list: item.list })}
                </span>
              </td>
              <td data-label={t('cases.column.area')}>{item.area?.name ?? '—'}</td>
              <td data-label={t('cases.column.assignee')}>{item.assignee ?? '—'}</td>
              <td data-label={t('cases.column.updated')}>
                <time datetime={item.updatedAt}>{i18n.formatDateTime(item.updatedAt)}</time>
              </td>
              <td data-label={t('cases.column.actions')}>
                <Show when={followUpsOf(item.list).length > 0}>
                  <details class="case-actions">
                    <summary class="button button--subtle">{t('cases.record')}</summary>
                    <ul class="case-actions__menu">
                      <For each={followUpsOf(item.list)}>
                        {(form) => (
                          <li>
                            <A href={followUpPath(params.projectId, form, item.id)}>{form.title}</A>
                          </li>
                        )}
                      </For>
                    </ul>
                  </details>
                </Show>
              </td>
            </tr>
          )}
        </DataTable>
      </Show>

      <Show when={model().hasMore()}>
        <button
          type="button"
          class="button button--wide"
          disabled={model().loading()}
          onClick={() => void model().loadMore()}
        >
          {model().loading() ? t('app.loading') : t('cases.more')}
        </button>
      </Show>
    </section>
  );
}

/** Colour classes for the statuses we know; anything else stays neutral. */
function badgeTone(status: string): 'open' | 'progress' | 'closed' | 'moved' | 'neutral' {
  switch (status) {
    case 'open':
      return 'open';
    case 'in_progress':
      return 'progress';
    case 'closed':
      return 'closed';
    case 'referred':
    case 'transferred':
      return 'moved';
    default:
      return 'neutral';
  }
}

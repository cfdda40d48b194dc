import { A, useParams } from '@solidjs/router';
import { createResource, For, Show, type JSX } from 'solid-js';
import { useApp } from '../../app/AppContext.js';
import { problemMessage } from '../../app/problemMessage.js';
import { useDrafts } from './useDrafts.js';
import '../../forms/forms.css';

/** `/projects/:projectId/forms`: the project's forms to start, and the drafts kept on this device. */
export function FormListScreen(): JSX.Element {
  const { api, i18n } = useApp();
  const { t } = i18n;
  const params = useParams<{ projectId: string }>();
  const drafts = useDrafts();
  const [forms] = createResource(
    () => params.projectId,
    (projectId) => api.listForms(projectId),
  );
  const [kept, { refetch }] = createResource(
    () => params.projectId,
    (projectId) => drafts.list(projectId),
  );
  const base = (): string => `/projects/${encodeURIComponent(params.projectId)}/forms`;
  const fillPath = (formId: string, version: string): string =>
    `${base()}/${encodeURIComponent(formId)}/versions/${encodeURIComponent(version)}`;

  return (
    <section class="forms-screen" aria-labelledby="forms-title">
      <div class="forms-screen__top">
        <h1 id="forms-title">{t('forms.title')}</h1>
        <A class="button" href={`/projects/${encodeURIComponent(params.projectId)}/cases`}>
          {t('cases.title')}
        </A>
      </div>
      <p>{t('forms.intro')}</p>

      <Show when={forms.error as unknown}>
        {(error) => (
          <div class="alert" role="alert">
            <p>{t('forms.error')}</p>
            <p class="alert__detail">{problemMessage(i18n, error()).message}</p>
          </div>
        )}
      </Show>
      <Show
        when={forms()}
        fallback={
          <Show when={!forms.error}>
            <p class="status-message">{t('app.loading')}</p>
          </Show>
        }
      >
        {(list) => (
          <ul class="form-list">
            <For each={list()} fallback={<li class="empty">{t('forms.empty')}</li>}>
              {(form) => (
                <li class="form-card" data-form-id={form.formId}>
                  <span>
                    <span class="form-card__name">{form.title}</span>
                    <span class="form-card__meta">{t('forms.version', { version: form.version })}</span>
                  </span>
                  <A
                    class="button button--primary"
                    href={fillPath(form.formId, form.version)}
                    aria-label={`${t('forms.start')}: ${form.title}`}
                  >
                    {t('forms.start')}
                  </A>
                </li>
              )}
            </For>
          </ul>
        )}
      </Show>

      <h2>{t('forms.drafts')}</h2>
      <ul class="draft-list">
        <For each={kept() ?? []} fallback={<li class="empty">{t('forms.noDrafts')}</li>}>
          {(draft) => (
            <li class="draft-card" data-draft-id={draft.id}>
              <span>
                <span class="draft-card__name">{draft.label || t('forms.untitled')}</span>
                <span class="draft-card__meta">
                  {draft.formTitle} · {t('forms.savedAt', { time: i18n.formatDateTime(draft.savedAt) })}
                </span>
              </span>
              <span class="draft-card__actions">
                <A
                  class="button button--primary"
                  href={`${fillPath(draft.formId, draft.version)}?draft=${encodeURIComponent(draft.id)}`}
                >
                  {t('forms.continue')}
                </A>
                <button
                  type="button"
                  class="button button--subtle"
                  onClick={() => void drafts.remove(draft.id).then(refetch)}
                >
                  {t('forms.deleteDraft')}
                </button>
              </span>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}

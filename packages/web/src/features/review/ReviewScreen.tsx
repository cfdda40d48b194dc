import { useParams, useSearchParams } from '@solidjs/router';
import { createEffect, createResource, createSignal, For, Show, type JSX } from 'solid-js';
import type { ReviewedSubmission, ReviewState, SettableReviewState } from '../../api/ReviewApi.js';
import { useApp } from '../../app/AppContext.js';
import { ProblemAlert } from '../admin/ProblemAlert.jsx';
import { noFormLabels, readFormLabels, type FormLabels } from './questionLabels.js';
import { settable, stateKeys } from './reviewStates.js';
import { SubmissionPanel } from './SubmissionPanel.jsx';
import './review.css';

const PAGE = 100;

/**
 * Review and cleaning of a form's submissions (issue 12): a filtered table, a selection to set a
 * review state on at once, and one submission opened beside it with its versions and comments.
 */
export function ReviewScreen(): JSX.Element {
  const { api, i18n } = useApp();
  const { t } = i18n;
  const params = useParams<{ projectId: string }>();
  // `?form=…&open=…`: where an edit in the form returns to, with its new version opened.
  const [search] = useSearchParams<{ form?: string; open?: string }>();
  const [forms] = createResource(
    () => params.projectId,
    (id) => api.listProjectForms(id),
  );
  const [formId, setFormId] = createSignal(typeof search.form === 'string' ? search.form : '');
  const [state, setState] = createSignal<ReviewState | 'received' | ''>('');
  const [from, setFrom] = createSignal('');
  const [to, setTo] = createSignal('');
  const [selected, setSelected] = createSignal<ReadonlySet<string>>(new Set());
  const [opened, setOpened] = createSignal<string | null>(typeof search.open === 'string' ? search.open : null);
  const [bulkError, setBulkError] = createSignal<unknown>(null);

  createEffect(() => {
    const first = forms()?.[0];
    if (formId() === '' && first !== undefined) setFormId(first.formId);
  });
  const query = () =>
    formId() === '' ? null : { projectId: params.projectId, formId: formId(), state: state(), from: from(), to: to() };
  const [page, { refetch }] = createResource(query, (q) =>
    api.listSubmissions(q.projectId, q.formId, {
      ...(q.state === '' ? {} : { states: [q.state] }),
      from: q.from,
      to: q.to,
      limit: PAGE,
    }),
  );
  const [labels] = createResource(
    () => {
      const form = forms()?.find((f) => f.formId === formId());
      return form?.latestVersion == null ? null : { formId: form.formId, version: form.latestVersion };
    },
    async (f): Promise<FormLabels> => readFormLabels(await api.getFormXml(params.projectId, f.formId, f.version)),
  );
  createEffect(() => {
    query();
    setSelected(new Set<string>());
  });
  const [notice, setNotice] = createSignal(typeof search.open === 'string' ? t('review.edited') : '');

  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected());
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  const items = (): readonly ReviewedSubmission[] => page()?.items ?? [];
  const allSelected = () => items().length > 0 && items().every((s) => selected().has(s.instanceId));

  const bulk = async (target: SettableReviewState) => {
    setBulkError(null);
    setNotice('');
    try {
      const done = await api.reviewSelection(params.projectId, formId(), [...selected()], target);
      setNotice(t('review.bulkDone', { count: done.updated, state: t(stateKeys[target]) }));
      setSelected(new Set<string>());
      void refetch();
    } catch (error) {
      setBulkError(error);
    }
  };

  return (
    <section class="review" aria-labelledby="review-title">
      <h1 id="review-title">{t('review.title')}</h1>
      <div class="review__filters">
        <label class="field">
          <span class="field__label">{t('review.form')}</span>
          <select aria-label={t('review.form')} value={formId()} onChange={(e) => setFormId(e.currentTarget.value)}>
            <For each={forms() ?? []}>{(f) => <option value={f.formId}>{f.title}</option>}</For>
          </select>
        </label>
        <label class="field">
          <span class="field__label">{t('review.filter.state')}</span>
          <select
            aria-label={t('review.filter.state')}
            value={state()}
            onChange={(e) => setState(e.currentTarget.value as ReviewState | 'received' | '')}
          >
            <option value="">{t('review.filter.any')}</option>
            <For each={Object.entries(stateKeys)}>{([value, key]) => <option value={value}>{t(key)}</option>}</For>
          </select>
        </label>
        <label class="field">
          <span class="field__label">{t('review.filter.from')}</span>
          <input
            type="date"
            aria-label={t('review.filter.from')}
            value={from()}
            onChange={(e) => setFrom(e.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span class="field__label">{t('review.filter.to')}</span>
          <input
            type="date"
            aria-label={t('review.filter.to')}
            value={to()}
            onChange={(e) => setTo(e.currentTarget.value)}
          />
        </label>
      </div>
      <Show when={forms.error as unknown}>{(error) => <ProblemAlert error={error()} />}</Show>
      <Show when={page.error as unknown}>{(error) => <ProblemAlert error={error()} />}</Show>
      <Show when={forms() !== undefined && forms()?.length === 0}>
        <p class="empty">{t('review.noForms')}</p>
      </Show>
      <div class="review__bulk" role="group" aria-label={t('review.bulk')}>
        <span>{t('review.selected', { count: selected().size })}</span>
        <For each={settable}>
          {(s) => (
            <button type="button" class="button" disabled={selected().size === 0} onClick={() => void bulk(s)}>
              {t('review.bulkSet', { state: t(stateKeys[s]) })}
            </button>
          )}
        </For>
      </div>
      <Show when={notice() !== ''}>
        <p class="status-message" role="status">
          {notice()}
        </p>
      </Show>
      <Show when={bulkError()}>{(error) => <ProblemAlert error={error()} />}</Show>
      <div class="review__body">
        <Show when={page()}>
          {(p) => (
            <div class="review__list">
              <p class="review__count">{t('review.count', { count: p().total })}</p>
              <Show when={p().items.length > 0} fallback={<p class="empty">{t('review.empty')}</p>}>
                <table class="data-table review__table">
                  <thead>
                    <tr>
                      <th scope="col">
                        <input
                          type="checkbox"
                          aria-label={t('review.selectAll')}
                          checked={allSelected()}
                          onChange={(e) => {
                            const on = e.currentTarget.checked;
                            setSelected(new Set(on ? items().map((s) => s.instanceId) : []));
                          }}
                        />
                      </th>
                      <th scope="col">{t('review.column.received')}</th>
                      <th scope="col">{t('review.column.submitter')}</th>
                      <th scope="col">{t('review.column.state')}</th>
                      <th scope="col">
                        <span class="visually-hidden">{t('review.open')}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={p().items}>
                      {(s) => (
                        <tr
                          classList={{ 'review__row--open': opened() === s.instanceId }}
                          data-instance-id={s.instanceId}
                        >
                          <td>
                            <input
                              type="checkbox"
                              aria-label={t('review.select', { date: i18n.formatDateTime(s.receivedAt) })}
                              checked={selected().has(s.instanceId)}
                              onChange={(e) => toggle(s.instanceId, e.currentTarget.checked)}
                            />
                          </td>
                          <td data-label={t('review.column.received')}>{i18n.formatDateTime(s.receivedAt)}</td>
                          <td data-label={t('review.column.submitter')}>{s.submitter ?? t('review.hiddenName')}</td>
                          <td data-label={t('review.column.state')}>{t(stateKeys[s.reviewState ?? 'received'])}</td>
                          <td>
                            <button type="button" class="button" onClick={() => setOpened(s.instanceId)}>
                              {t('review.open')}
                            </button>
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </Show>
            </div>
          )}
        </Show>
        <Show when={opened()}>
          {(id) => (
            <SubmissionPanel
              projectId={params.projectId}
              formId={formId()}
              instanceId={id()}
              labels={labels() ?? noFormLabels}
              onChanged={() => void refetch()}
              onClose={() => setOpened(null)}
            />
          )}
        </Show>
      </div>
    </section>
  );
}

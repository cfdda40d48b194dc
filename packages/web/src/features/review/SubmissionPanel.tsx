import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import type { FieldChange, ReviewedSubmission, SettableReviewState, SubmissionFile } from '../../api/ReviewApi.js';
import { useApp } from '../../app/AppContext.js';
import { ProblemAlert } from '../admin/ProblemAlert.jsx';
import { answersOf, answerText, questionLabel, type FormLabels } from './questionLabels.js';
import { settable, stateKeys } from './reviewStates.js';

/**
 * One submission opened for review: its answers under the form's question labels, its review
 * state with the buttons to change it, every earlier version with what each edit changed, and the
 * comments with a box to add one.
 */
export function SubmissionPanel(props: {
  projectId: string;
  formId: string;
  instanceId: string;
  labels: FormLabels;
  onChanged: () => void;
  onClose: () => void;
}): JSX.Element {
  const { api, i18n } = useApp();
  const { t } = i18n;
  const [detail, { refetch }] = createResource(
    () => ({ projectId: props.projectId, formId: props.formId, instanceId: props.instanceId }),
    (k) => api.getSubmission(k.projectId, k.formId, k.instanceId),
  );
  const [error, setError] = createSignal<unknown>(null);
  const [comment, setComment] = createSignal('');
  // A question the form does not label (a calculation, a note) is shown under "Other answer".
  const label = (path: string) =>
    questionLabel(props.labels.questions, path, i18n.language()) ?? t('review.otherAnswer');
  // A select answer by its choice labels in the chosen language, never its raw value.
  const shown = (path: string, value: string | null) =>
    value === null || value === '' ? t('review.noAnswer') : answerText(props.labels, path, value, i18n.language());

  // A photo answer is its file's name: shown as the file's thumbnail, the way the reader may have it.
  const fileOf = (version: ReviewedSubmission | undefined, value: string | null): SubmissionFile | undefined =>
    value === null ? undefined : version?.attachments?.find((file) => file.name === value);
  const photo = (file: SubmissionFile) => (
    <img
      class="review__photo"
      src={api.submissionFileThumbnailUrl(props.projectId, file.sha256)}
      alt={t('review.photo', { name: file.name })}
      loading="lazy"
    />
  );
  const photoChange = (before: SubmissionFile | undefined, after: SubmissionFile | undefined): string | null => {
    if (before === undefined && after === undefined) return null;
    if (before === undefined) return t('review.photoAdded');
    if (after === undefined) return t('review.photoRemoved');
    return t('review.photoChanged');
  };
  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      void refetch();
      props.onChanged();
    } catch (e) {
      setError(e);
    }
  };
  const review = (state: SettableReviewState) =>
    act(() => api.setReviewState(props.projectId, props.formId, props.instanceId, state));
  const send = (event: SubmitEvent) => {
    event.preventDefault();
    const body = comment().trim();
    if (body === '') return;
    void act(async () => {
      await api.addComment(props.projectId, props.formId, props.instanceId, body);
      setComment('');
    });
  };

  return (
    <aside class="review__panel" aria-labelledby="review-panel-title">
      <div class="review__panel-top">
        <h2 id="review-panel-title">{t('review.submission')}</h2>
        <button type="button" class="button" onClick={() => props.onClose()}>
          {t('review.close')}
        </button>
      </div>
      <Show when={detail.error as unknown}>{(e) => <ProblemAlert error={e()} />}</Show>
      <Show when={error()}>{(e) => <ProblemAlert error={e()} />}</Show>
      <Show when={detail()}>
        {(d) => (
          <>
            <p class="review__state" role="status">
              {t('review.currentState', { state: t(stateKeys[d().submission.reviewState ?? 'received']) })}
            </p>
            <Show when={d().mayReview}>
              <div class="review__actions" role="group" aria-label={t('review.setState')}>
                <For each={settable}>
                  {(s) => (
                    <button type="button" class="button" onClick={() => void review(s)}>
                      {t(stateKeys[s])}
                    </button>
                  )}
                </For>
              </div>
            </Show>
            <Show when={d().mayEdit === true}>
              <div class="review__edit">
                <a
                  class="button"
                  href={`/projects/${encodeURIComponent(props.projectId)}/forms/${encodeURIComponent(props.formId)}/submissions/${encodeURIComponent(d().submission.instanceId)}/edit`}
                >
                  {t('review.edit')}
                </a>
                <p class="review__hint">{t('review.editNote')}</p>
              </div>
            </Show>
            <dl class="review__answers">
              <For each={answersOf(d().submission.data)}>
                {([path, value]) => (
                  <div class="review__answer">
                    <dt>{label(path)}</dt>
                    <dd>
                      <Show when={fileOf(d().submission, value)} fallback={shown(path, value)}>
                        {(file) => photo(file())}
                      </Show>
                    </dd>
                  </div>
                )}
              </For>
            </dl>
            <Show when={d().versions.length > 1}>
              <h3>{t('review.versions')}</h3>
              <ol class="review__versions">
                <For each={d().versions}>
                  {(v, i) => (
                    <li>
                      <p>
                        {i() === 0
                          ? t('review.version.original', { date: i18n.formatDateTime(v.receivedAt) })
                          : t('review.version.edit', { date: i18n.formatDateTime(v.receivedAt) })}
                      </p>
                      <Show when={(v.attachments ?? []).length > 0}>
                        <ul class="review__photos" aria-label={t('review.version.photos')}>
                          <For each={v.attachments}>{(file) => <li>{photo(file)}</li>}</For>
                        </ul>
                      </Show>
                      <Show when={v.changes.length > 0}>
                        <table class="data-table review__diff">
                          <thead>
                            <tr>
                              <th scope="col">{t('review.diff.question')}</th>
                              <th scope="col">{t('review.diff.before')}</th>
                              <th scope="col">{t('review.diff.after')}</th>
                            </tr>
                          </thead>
                          <tbody>
                            <For each={v.changes}>
                              {(c: FieldChange) => {
                                const before = fileOf(d().versions[i() - 1], c.before);
                                const after = fileOf(v, c.after);
                                const note = photoChange(before, after);
                                return (
                                  <tr>
                                    <td>
                                      {label(c.path)}
                                      <Show when={note}>
                                        {(text) => <strong class="review__photo-change">{text()}</strong>}
                                      </Show>
                                    </td>
                                    <td>{before === undefined ? shown(c.path, c.before) : photo(before)}</td>
                                    <td>{after === undefined ? shown(c.path, c.after) : photo(after)}</td>
                                  </tr>
                                );
                              }}
                            </For>
                          </tbody>
                        </table>
                      </Show>
                    </li>
                  )}
                </For>
              </ol>
            </Show>
            <h3>{t('review.comments')}</h3>
            <Show when={d().comments.length > 0} fallback={<p class="empty">{t('review.noComments')}</p>}>
              <ul class="review__comments">
                <For each={d().comments}>
                  {(c) => (
                    <li>
                      <p class="review__comment-meta">
                        {c.author ?? t('review.hiddenName')} · {i18n.formatDateTime(c.createdAt)}
                      </p>
                      <p>{c.body}</p>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
            <Show when={d().mayReview}>
              <form class="review__comment-form" onSubmit={send}>
                <label class="field">
                  <span class="field__label">{t('review.comment')}</span>
                  <textarea value={comment()} maxLength={10000} onInput={(e) => setComment(e.currentTarget.value)} />
                </label>
                <button type="submit" class="button button--primary" disabled={comment().trim() === ''}>
                  {t('review.addComment')}
                </button>
              </form>
            </Show>
          </>
        )}
      </Show>
    </aside>
  );
}

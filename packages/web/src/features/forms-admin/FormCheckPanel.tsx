import { For, Show, type JSX } from 'solid-js';
import type { FormCheck, FormIssue, FormQuestion } from '../../api/FormsAdminApi.js';
import { useApp } from '../../app/AppContext.js';
import { DataTable } from '../../app/DataTable.jsx';
import { aspectName, changeValue, issueCells, questionLabel } from './formChangeText.js';

/** Every problem of a workbook, one row each: sheet, row, column and the compiler's words. */
export function FormIssueTable(props: { issues: readonly FormIssue[]; kind: 'error' | 'warning' }): JSX.Element {
  const { t } = useApp().i18n;
  const columns = [
    t('formsAdmin.issue.sheet'),
    t('formsAdmin.issue.row'),
    t('formsAdmin.issue.column'),
    t('formsAdmin.issue.message'),
  ];
  return (
    <DataTable class={`admin-table form-issues form-issues--${props.kind}`} columns={columns} items={props.issues}>
      {(issue) => (
        <tr data-kind={props.kind}>
          <td data-label={columns[0]}>{issue.sheet}</td>
          <td data-label={columns[1]}>{issueCells(issue).row}</td>
          <td data-label={columns[2]}>{issueCells(issue).column}</td>
          <td data-label={columns[3]}>{issueCells(issue).message}</td>
        </tr>
      )}
    </DataTable>
  );
}

function QuestionName(props: { question: FormQuestion }): JSX.Element {
  const { i18n } = useApp();
  return (
    <>
      <span class="form-diff__label">{questionLabel(props.question, i18n.language())}</span>{' '}
      <code class="form-diff__name">{props.question.name}</code>
    </>
  );
}

function QuestionList(props: { title: string; questions: readonly FormQuestion[]; kind: string }): JSX.Element {
  return (
    <Show when={props.questions.length > 0}>
      <section class={`form-diff__group form-diff__group--${props.kind}`} data-diff={props.kind}>
        <h4>{props.title}</h4>
        <ul>
          <For each={props.questions}>
            {(question) => (
              <li data-question={question.name}>
                <QuestionName question={question} />
              </li>
            )}
          </For>
        </ul>
      </section>
    </Show>
  );
}

/**
 * What publishing the checked workbook would change, and the button that does it; `children` is
 * the media panel. For a version already published, `canAddMedia` offers to add attached files.
 */
export function FormCheckPanel(props: {
  check: FormCheck;
  publishing: boolean;
  onPublish: () => void;
  canAddMedia: boolean;
  children?: JSX.Element;
}): JSX.Element {
  const { i18n } = useApp();
  const { t } = i18n;
  const diff = () => props.check.diff;
  const nothingDiffers = () => diff().added.length === 0 && diff().removed.length === 0 && diff().changed.length === 0;
  return (
    <section class="card form-check" aria-labelledby="form-check-title">
      <h3 id="form-check-title" class="admin-add__title">
        {t('formsAdmin.checked', {
          title: props.check.title,
          formId: props.check.formId,
          version: props.check.version,
        })}
      </h3>
      <Show when={props.check.warnings.length > 0}>
        <p class="form-check__lead">{t('formsAdmin.warnings')}</p>
        <FormIssueTable issues={props.check.warnings} kind="warning" />
      </Show>

      <Show when={props.check.outcome === 'conflict'}>
        <div class="alert" role="alert">
          <p>{t('formsAdmin.outcome.conflict', { version: props.check.version })}</p>
        </div>
      </Show>
      <Show when={props.check.outcome === 'published'}>
        <p class="notice" role="status">
          {t('formsAdmin.outcome.published')}
        </p>
        {props.children}
        <Show when={props.canAddMedia}>
          <button
            type="button"
            class="button button--primary"
            disabled={props.publishing}
            onClick={() => props.onPublish()}
          >
            {props.publishing ? t('formsAdmin.publishing') : t('formsAdmin.media.add')}
          </button>
        </Show>
      </Show>
      <Show when={props.check.outcome === 'new'}>
        <p class="form-check__lead">
          {diff().previousVersion === null
            ? t('formsAdmin.outcome.first')
            : t('formsAdmin.outcome.new', { previous: diff().previousVersion ?? '' })}
        </p>
        <Show when={diff().previousVersion !== null && nothingDiffers()}>
          <p class="empty">{t('formsAdmin.diff.none')}</p>
        </Show>
        <div class="form-diff">
          <QuestionList
            kind="added"
            title={t('formsAdmin.diff.added', { count: diff().added.length })}
            questions={diff().added}
          />
          <QuestionList
            kind="removed"
            title={t('formsAdmin.diff.removed', { count: diff().removed.length })}
            questions={diff().removed}
          />
          <Show when={diff().changed.length > 0}>
            <section class="form-diff__group form-diff__group--changed" data-diff="changed">
              <h4>{t('formsAdmin.diff.changed', { count: diff().changed.length })}</h4>
              <ul>
                <For each={diff().changed}>
                  {(question) => (
                    <li data-question={question.name}>
                      <QuestionName question={question} />
                      <ul class="form-diff__changes">
                        <For each={question.changes}>
                          {(change) => (
                            <li>
                              <span class="form-diff__aspect">{aspectName(i18n, change)}</span>{' '}
                              <del>{changeValue(i18n, change.aspect, change.before)}</del>
                              {' → '}
                              <ins>{changeValue(i18n, change.aspect, change.after)}</ins>
                            </li>
                          )}
                        </For>
                      </ul>
                    </li>
                  )}
                </For>
              </ul>
            </section>
          </Show>
        </div>
        {props.children}
        <button
          type="button"
          class="button button--primary"
          disabled={props.publishing}
          onClick={() => props.onPublish()}
        >
          {props.publishing ? t('formsAdmin.publishing') : t('formsAdmin.publish', { version: props.check.version })}
        </button>
      </Show>
    </section>
  );
}

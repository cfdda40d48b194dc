import type { FormLanguage } from '@getodk/xforms-engine';
import { childrenOf, type FormNode } from './engineTypes.js';
import { createEffect, createMemo, createSignal, For, on, Show, type JSX } from 'solid-js';
import type { I18n } from '../i18n/createI18n.js';
import { formLanguageFor, formLanguageName } from './formLanguage.js';
import { formPages, type FormPage } from './formPages.js';
import { FormUiContext, type FormUi } from './FormUi.js';
import type { OpenedForm } from './openForm.js';
import { NodeView } from './QuestionView.jsx';
import './forms.css';

export interface FormNotice {
  readonly tone: 'ok' | 'error';
  readonly text: string;
  readonly detail?: string | undefined;
}

/** The server refused the submission because of this question. */
export interface QuestionProblem {
  readonly reference: string;
  readonly message: string;
}

export interface FormViewProps {
  readonly form: OpenedForm;
  readonly i18n: I18n;
  readonly busy: 'saving' | 'sending' | null;
  readonly notice: FormNotice | null;
  readonly serverProblem: QuestionProblem | null;
  readonly onSaveDraft: () => void;
  /** Called only once the engine finds nothing left to fix. */
  readonly onFinalize: () => void;
}

/** A page that is one group shows the group's questions under the page heading, not the heading twice. */
function pageContent(page: FormPage): readonly FormNode[] {
  const only = page.nodes.length === 1 ? page.nodes[0] : undefined;
  return only?.nodeType === 'group' ? childrenOf(only) : page.nodes;
}

/** A form page by page, with its own language menu, "Save draft" and "Finalize". */
export function FormView(props: FormViewProps): JSX.Element {
  const { t } = props.i18n;
  const root = props.form.root;
  const pages = formPages(root);
  const visible = createMemo(() => pages.filter((p) => p.relevant()));
  const [currentKey, setCurrentKey] = createSignal(pages[0]?.key ?? '');
  const current = createMemo<FormPage | undefined>(() => {
    const shown = visible();
    return shown.find((p) => p.key === currentKey()) ?? shown[0];
  });
  const index = (): number =>
    Math.max(
      0,
      visible().findIndex((p) => p === current()),
    );

  const [revealed, setRevealed] = createSignal<ReadonlySet<string>>(new Set());
  const [revealAll, setRevealAll] = createSignal(false);
  const [dismissed, setDismissed] = createSignal<QuestionProblem | null>(null);
  const [localNotice, setLocalNotice] = createSignal<FormNotice | null>(null);
  let top: HTMLDivElement | undefined;

  const ui: FormUi = {
    i18n: props.i18n,
    revealed: (reference) => revealAll() || revealed().has(reference),
    reveal(reference) {
      if (!revealed().has(reference)) setRevealed(new Set([...revealed(), reference]));
      if (props.serverProblem?.reference === reference) setDismissed(props.serverProblem);
    },
    serverProblem(reference) {
      const problem = props.serverProblem;
      return problem && problem !== dismissed() && problem.reference === reference ? problem.message : undefined;
    },
  };

  const violationsOn = (page: FormPage | undefined): number =>
    page === undefined ? 0 : root.validationState.violations.filter((v) => page.contains(v.reference)).length;

  const goTo = (page: FormPage | undefined): void => {
    if (!page) return;
    setCurrentKey(page.key);
    setLocalNotice(null);
    top?.scrollIntoView({ block: 'start' });
  };

  const revealPage = (page: FormPage | undefined): void => {
    if (!page) return;
    const references = root.validationState.violations.map((v) => v.reference).filter((r) => page.contains(r));
    setRevealed(new Set([...revealed(), ...references]));
  };

  const next = (): void => {
    const page = current();
    if (violationsOn(page) > 0) {
      revealPage(page);
      setLocalNotice({ tone: 'error', text: t('form.pageErrors') });
      return;
    }
    goTo(visible()[index() + 1]);
  };

  const finalize = (): void => {
    const violations = root.validationState.violations;
    if (violations.length > 0) {
      setRevealAll(true);
      const first = violations[0];
      goTo(visible().find((p) => first !== undefined && p.contains(first.reference)));
      setLocalNotice({ tone: 'error', text: t('form.fixErrors', { count: violations.length }) });
      return;
    }
    props.onFinalize();
  };

  // A refusal from the server opens the page of the question it names.
  createEffect(
    on(
      () => props.serverProblem,
      (problem) => {
        if (problem) goTo(visible().find((p) => p.contains(problem.reference)));
      },
    ),
  );

  // The form follows the app language whenever the form has it; the menu can still override.
  const [formLanguage, setFormLanguage] = createSignal<FormLanguage | undefined>(undefined);
  const chooseLanguage = (language: FormLanguage | undefined): void => {
    if (!language) return;
    props.form.setLanguage(language);
    setFormLanguage(language);
  };
  createEffect(on(props.i18n.language, (app) => chooseLanguage(formLanguageFor(root.languages, app))));
  const realLanguages = (): FormLanguage[] =>
    root.languages.filter((l): l is FormLanguage => l.isSyntheticDefault !== true);

  const notice = (): FormNotice | null => localNotice() ?? props.notice;

  return (
    <FormUiContext.Provider value={ui}>
      <div class="form-view" ref={top}>
        <div class="form-view__top">
          <h1 class="form-view__title">{props.form.title}</h1>
          <Show when={realLanguages().length > 1}>
            <label class="form-view__language">
              <span>{t('form.language')}</span>
              <select
                name="form-language"
                onChange={(e) => chooseLanguage(realLanguages().find((l) => l.language === e.currentTarget.value))}
              >
                <For each={realLanguages()}>
                  {(language) => (
                    <option
                      value={language.language}
                      selected={(formLanguage() ?? root.currentState.activeLanguage).language === language.language}
                    >
                      {formLanguageName(language)}
                    </option>
                  )}
                </For>
              </select>
            </label>
          </Show>
        </div>

        <nav class="form-steps" aria-label={t('form.sections')}>
          <ol>
            <For each={visible()}>
              {(page, i) => (
                <li>
                  <button
                    type="button"
                    class="form-steps__step"
                    classList={{ 'form-steps__step--invalid': revealAll() && violationsOn(page) > 0 }}
                    aria-current={page === current() ? 'step' : undefined}
                    onClick={() => goTo(page)}
                  >
                    <span class="form-steps__number">{i() + 1}</span>
                    <span class="form-steps__name">{page.heading() ?? props.form.title}</span>
                  </button>
                </li>
              )}
            </For>
          </ol>
        </nav>

        <section class="form-page" aria-labelledby="form-page-title">
          <p class="form-page__where">{t('form.pageOf', { page: index() + 1, total: visible().length })}</p>
          <h2 id="form-page-title" class="form-page__title">
            {current()?.heading() ?? props.form.title}
          </h2>
          <Show when={current()} keyed>
            {(page) => <For each={pageContent(page)}>{(node) => <NodeView node={node} />}</For>}
          </Show>
        </section>

        <Show when={notice()}>
          {(n) => (
            <div class={n().tone === 'error' ? 'alert' : 'notice'} role={n().tone === 'error' ? 'alert' : 'status'}>
              <p>{n().text}</p>
              <Show when={n().detail}>{(detail) => <p class="alert__detail">{detail()}</p>}</Show>
            </div>
          )}
        </Show>

        <div class="form-actions">
          <button type="button" class="button" disabled={index() === 0} onClick={() => goTo(visible()[index() - 1])}>
            {t('form.previous')}
          </button>
          <Show when={index() < visible().length - 1}>
            <button type="button" class="button" onClick={next}>
              {t('form.next')}
            </button>
          </Show>
          <span class="form-actions__gap" />
          <button type="button" class="button" disabled={props.busy !== null} onClick={() => props.onSaveDraft()}>
            {props.busy === 'saving' ? t('form.saving') : t('form.saveDraft')}
          </button>
          <button type="button" class="button button--primary" disabled={props.busy !== null} onClick={finalize}>
            {props.busy === 'sending' ? t('form.sending') : t('form.finalize')}
          </button>
        </div>
      </div>
    </FormUiContext.Provider>
  );
}

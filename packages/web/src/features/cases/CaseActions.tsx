import { createMemo, createSignal, For, Show, type JSX } from 'solid-js';
import type { CaseCategoryDefinition } from '../../api/FoldersApi.js';
import type { CaseActionRequest, CaseDetail } from '../../api/OutpostApi.js';
import { useApp } from '../../app/AppContext.js';
import { problemMessage } from '../../app/problemMessage.js';
import type { ProjectVocabulary } from '../forms/formVocabulary.js';
import { CaseEditForm, CaseMoveForms } from './CaseActionForms.jsx';
import { changedValues, editFields } from './caseEditFields.js';
import type { CaseView } from './loadCase.js';

/** The name of a category in the app's language (another language's name rather than its code). */
export function categoryName(category: CaseCategoryDefinition, language: string): string {
  return category.names[language] ?? category.names['en'] ?? Object.values(category.names)[0] ?? '';
}

/**
 * What a supervisor (or a field worker, where the policy lets her write the case) does to a case
 * from its page: edit its details and name, close or reopen it, tag it with the project's
 * categories, assign it to a colleague, transfer it to another area, delete it. Each is sent with
 * the version the page shows; when the case changed meanwhile the server refuses it and the page
 * says so (reload and try again). Needs a connection: the server decides, as for ODK Central edits.
 */
export function CaseActions(props: {
  projectId: string;
  view: CaseView;
  role: string | null | undefined;
  vocabulary: ProjectVocabulary;
  categories: readonly CaseCategoryDefinition[];
  onChanged: (detail: CaseDetail | null) => void;
}): JSX.Element {
  const { api, i18n } = useApp();
  const { t } = i18n;
  const [editing, setEditing] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [confirmDelete, setConfirmDelete] = createSignal(false);
  const supervises = () => ['admin', 'supervisor'].includes(props.role ?? '');
  const writes = () => supervises() || props.role === 'fieldworker';
  const fields = createMemo(() =>
    editFields(props.view.properties, props.view.list, props.vocabulary, i18n.language()),
  );
  const tagged = () => new Set(props.view.categories ?? []);

  const run = async (send: (version: number) => Promise<CaseDetail | null>): Promise<void> => {
    const version = props.view.version;
    if (version === null) return;
    setBusy(true);
    setError(null);
    try {
      props.onChanged(await send(version));
      setEditing(false);
      setConfirmDelete(false);
    } catch (caught) {
      setError(problemMessage(i18n, caught).message);
    } finally {
      setBusy(false);
    }
  };
  const act = (action: CaseActionRequest) =>
    run((version) => api.caseAction(props.projectId, props.view.id, version, action));
  const save = (name: string | null, edited: Readonly<Record<string, string>>) =>
    run((version) => {
      const data = changedValues(fields(), edited);
      return api.editCase(props.projectId, props.view.id, version, {
        ...(name !== null && name.trim() !== '' && name !== props.view.label ? { label: name.trim() } : {}),
        data,
      });
    });
  const toggleCategory = (code: string, on: boolean) => {
    const next = new Set(tagged());
    if (on) next.add(code);
    else next.delete(code);
    void act({ action: 'tag', categories: [...next].sort() });
  };

  return (
    <Show when={writes() && props.view.version !== null}>
      <section class="case-actions-panel" aria-labelledby="case-actions-title">
        <h2 id="case-actions-title">{t('caseActions.title')}</h2>
        <div class="case-actions-panel__buttons">
          <button type="button" class="button" disabled={busy()} onClick={() => setEditing(!editing())}>
            {t('caseActions.edit')}
          </button>
          <Show
            when={props.view.status === 'closed'}
            fallback={
              <button type="button" class="button" disabled={busy()} onClick={() => void act({ action: 'close' })}>
                {t('caseActions.close')}
              </button>
            }
          >
            <button type="button" class="button" disabled={busy()} onClick={() => void act({ action: 'reopen' })}>
              {t('caseActions.reopen')}
            </button>
          </Show>
          <Show when={supervises()}>
            <Show
              when={confirmDelete()}
              fallback={
                <button type="button" class="button button--subtle" onClick={() => setConfirmDelete(true)}>
                  {t('caseActions.delete')}
                </button>
              }
            >
              <button
                type="button"
                class="button button--danger"
                disabled={busy()}
                onClick={() =>
                  void run(async () => {
                    await api.deleteCase(props.projectId, props.view.id);
                    return null;
                  })
                }
              >
                {t('caseActions.deleteConfirm')}
              </button>
            </Show>
          </Show>
        </div>
        <Show when={error()}>
          {(message) => (
            <p class="alert" role="alert">
              {message()}
            </p>
          )}
        </Show>

        <Show when={editing()}>
          <CaseEditForm
            view={props.view}
            fields={fields()}
            busy={busy()}
            onSave={(label, edited) => void save(label, edited)}
            onCancel={() => setEditing(false)}
          />
        </Show>

        <Show when={props.categories.length > 0 && props.view.categories !== null}>
          <fieldset class="case-categories">
            <legend>{t('caseActions.categories')}</legend>
            <For each={props.categories}>
              {(category) => (
                <label class="case-categories__choice">
                  <input
                    type="checkbox"
                    value={category.code}
                    checked={tagged().has(category.code)}
                    disabled={busy()}
                    onChange={(event) => toggleCategory(category.code, event.currentTarget.checked)}
                  />
                  <span>{categoryName(category, i18n.language())}</span>
                </label>
              )}
            </For>
          </fieldset>
        </Show>

        <Show when={supervises()}>
          <CaseMoveForms
            projectId={props.projectId}
            caseId={props.view.id}
            busy={busy()}
            onAct={(action) => void act(action)}
          />
        </Show>
      </section>
    </Show>
  );
}

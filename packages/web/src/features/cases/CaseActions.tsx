import { createMemo, createResource, createSignal, For, Show, type JSX } from 'solid-js';
import type { CaseCategoryDefinition } from '../../api/FoldersApi.js';
import type { CaseActionRequest, CaseDetail } from '../../api/OutpostApi.js';
import { useApp } from '../../app/AppContext.js';
import { problemMessage } from '../../app/problemMessage.js';
import type { ProjectVocabulary } from '../forms/formVocabulary.js';
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
  const [edited, setEdited] = createSignal<Record<string, string>>({});
  const [label, setLabel] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [assignee, setAssignee] = createSignal('');
  const [area, setArea] = createSignal('');
  const [confirmDelete, setConfirmDelete] = createSignal(false);
  const supervises = () => ['admin', 'supervisor'].includes(props.role ?? '');
  const writes = () => supervises() || props.role === 'fieldworker';
  const fields = createMemo(() =>
    editFields(props.view.properties, props.view.list, props.vocabulary, i18n.language()),
  );
  const [areas] = createResource(
    () => (supervises() ? props.projectId : undefined),
    (projectId) => api.listAreas(projectId).catch(() => []),
  );
  // Areas no other area lies in: the kind a case is placed in (bag, khoroo, ward).
  const leafAreas = createMemo(() => {
    const all = areas() ?? [];
    const parents = new Set(all.map((a) => a.parentCode));
    return all.filter((a) => !parents.has(a.code));
  });
  const tagged = () => new Set(props.view.categories ?? []);

  const run = async (send: (version: number) => Promise<CaseDetail | null>): Promise<void> => {
    const version = props.view.version;
    if (version === null) return;
    setBusy(true);
    setError(null);
    try {
      props.onChanged(await send(version));
      setEditing(false);
      setEdited({});
      setLabel(null);
      setConfirmDelete(false);
    } catch (caught) {
      setError(problemMessage(i18n, caught).message);
    } finally {
      setBusy(false);
    }
  };
  const act = (action: CaseActionRequest) =>
    run((version) => api.caseAction(props.projectId, props.view.id, version, action));
  const save = () =>
    run((version) => {
      const data = changedValues(fields(), edited());
      const name = label();
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
          <form
            class="case-edit"
            onSubmit={(event) => {
              event.preventDefault();
              void save();
            }}
          >
            <Show when={props.view.label !== null}>
              <label class="field">
                <span>{t('caseActions.name')}</span>
                <input
                  name="__label"
                  value={label() ?? props.view.label ?? ''}
                  onInput={(event) => setLabel(event.currentTarget.value)}
                />
              </label>
            </Show>
            <For each={fields()}>
              {(field) => (
                <label class="field" data-property={field.property}>
                  <span>{field.label}</span>
                  <Show
                    when={field.kind === 'choice'}
                    fallback={
                      <input
                        name={field.property}
                        type={field.kind === 'date' ? 'date' : 'text'}
                        value={edited()[field.property] ?? field.value}
                        onInput={(event) => setEdited({ ...edited(), [field.property]: event.currentTarget.value })}
                      />
                    }
                  >
                    <select
                      name={field.property}
                      onChange={(event) => setEdited({ ...edited(), [field.property]: event.currentTarget.value })}
                    >
                      <option value="" selected={(edited()[field.property] ?? field.value) === ''} />
                      <For each={field.choices}>
                        {(choice) => (
                          <option
                            value={choice.value}
                            selected={(edited()[field.property] ?? field.value) === choice.value}
                          >
                            {choice.label}
                          </option>
                        )}
                      </For>
                    </select>
                  </Show>
                </label>
              )}
            </For>
            <div class="case-edit__buttons">
              <button type="submit" class="button button--primary" disabled={busy()}>
                {t('caseActions.save')}
              </button>
              <button type="button" class="button button--subtle" onClick={() => setEditing(false)}>
                {t('caseActions.cancel')}
              </button>
            </div>
          </form>
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
          <form
            class="case-assign"
            onSubmit={(event) => {
              event.preventDefault();
              const chosen = assignee().trim();
              void act({ action: 'assign', assignee: chosen === '' ? null : chosen });
            }}
          >
            <label class="field">
              <span>{t('caseActions.assignTo')}</span>
              <input name="assignee" value={assignee()} onInput={(event) => setAssignee(event.currentTarget.value)} />
            </label>
            <button type="submit" class="button" disabled={busy()}>
              {t('caseActions.assign')}
            </button>
          </form>
          <Show when={leafAreas().length > 0}>
            <form
              class="case-transfer"
              onSubmit={(event) => {
                event.preventDefault();
                if (area() !== '') void act({ action: 'transfer', area: area() });
              }}
            >
              <label class="field">
                <span>{t('caseActions.transferTo')}</span>
                <select name="area" onChange={(event) => setArea(event.currentTarget.value)}>
                  <option value="" selected={area() === ''} />
                  <For each={leafAreas()}>
                    {(option) => (
                      <option value={option.code} selected={area() === option.code}>
                        {option.names[i18n.language()] ?? option.names['en'] ?? Object.values(option.names)[0]}
                      </option>
                    )}
                  </For>
                </select>
              </label>
              <button type="submit" class="button" disabled={busy() || area() === ''}>
                {t('caseActions.transfer')}
              </button>
            </form>
          </Show>
        </Show>
      </section>
    </Show>
  );
}

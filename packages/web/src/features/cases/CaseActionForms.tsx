import { createMemo, createResource, createSignal, For, Show, type JSX } from 'solid-js';
import type { CaseActionRequest } from '../../api/OutpostApi.js';
import { useApp } from '../../app/AppContext.js';
import type { EditField } from './caseEditFields.js';
import type { CaseView } from './loadCase.js';

/** The case page's edit form: the name and each property its forms save, in their words. */
export function CaseEditForm(props: {
  view: CaseView;
  fields: readonly EditField[];
  busy: boolean;
  onSave: (label: string | null, edited: Readonly<Record<string, string>>) => void;
  onCancel: () => void;
}): JSX.Element {
  const { t } = useApp().i18n;
  const [edited, setEdited] = createSignal<Record<string, string>>({});
  const [label, setLabel] = createSignal<string | null>(null);
  return (
    <form
      class="case-edit"
      onSubmit={(event) => {
        event.preventDefault();
        props.onSave(label(), edited());
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
      <For each={props.fields}>
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
                    <option value={choice.value} selected={(edited()[field.property] ?? field.value) === choice.value}>
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
        <button type="submit" class="button button--primary" disabled={props.busy}>
          {t('caseActions.save')}
        </button>
        <button type="button" class="button button--subtle" onClick={() => props.onCancel()}>
          {t('caseActions.cancel')}
        </button>
      </div>
    </form>
  );
}

/** A supervisor's assign and transfer forms: to a member by username, to another area of the same kind. */
export function CaseMoveForms(props: {
  projectId: string;
  caseId: string;
  busy: boolean;
  onAct: (action: CaseActionRequest) => void;
}): JSX.Element {
  const { api, i18n } = useApp();
  const { t } = i18n;
  // '' nobody chosen yet, `none` to unassign, else `user:<username>`.
  const [assignee, setAssignee] = createSignal('');
  const [area, setArea] = createSignal('');
  const [areas] = createResource(
    () => props.projectId,
    (projectId) => api.listAreas(projectId).catch(() => []),
  );
  // Only members the server would accept for this case; names only where the reader sees names.
  const [members] = createResource(
    () => ({ projectId: props.projectId, caseId: props.caseId }),
    (k) => api.listCaseAssignees(k.projectId, k.caseId).catch(() => []),
  );
  // Areas no other area lies in: the kind a case is placed in (bag, khoroo, ward).
  const leafAreas = createMemo(() => {
    const all = areas() ?? [];
    const parents = new Set(all.map((a) => a.parentCode));
    return all.filter((a) => !parents.has(a.code));
  });
  return (
    <>
      <form
        class="case-assign"
        onSubmit={(event) => {
          event.preventDefault();
          const chosen = assignee();
          if (chosen === '') return;
          props.onAct({ action: 'assign', assignee: chosen.startsWith('user:') ? chosen.slice(5) : null });
        }}
      >
        <label class="field">
          <span>{t('caseActions.assignTo')}</span>
          <select name="assignee" onChange={(event) => setAssignee(event.currentTarget.value)}>
            <option value="" selected={assignee() === ''}>
              {t('caseActions.assignChoose')}
            </option>
            <For each={members() ?? []}>
              {(member) => (
                <option value={`user:${member.username}`} selected={assignee() === `user:${member.username}`}>
                  {member.displayName === null ? member.username : `${member.displayName} (${member.username})`}
                </option>
              )}
            </For>
            <option value="none" selected={assignee() === 'none'}>
              {t('caseActions.assignNobody')}
            </option>
          </select>
        </label>
        <button type="submit" class="button" disabled={props.busy || assignee() === ''}>
          {t('caseActions.assign')}
        </button>
        <Show when={members.state === 'ready' && members()?.length === 0}>
          <p class="field__hint">{t('caseActions.assignNone')}</p>
        </Show>
      </form>
      <Show when={leafAreas().length > 0}>
        <form
          class="case-transfer"
          onSubmit={(event) => {
            event.preventDefault();
            if (area() !== '') props.onAct({ action: 'transfer', area: area() });
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
          <button type="submit" class="button" disabled={props.busy || area() === ''}>
            {t('caseActions.transfer')}
          </button>
        </form>
      </Show>
    </>
  );
}

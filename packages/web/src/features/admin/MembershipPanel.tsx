import { For, Show, createResource, createSignal, createUniqueId, onMount, type JSX } from 'solid-js';
import { roles } from '@outpost/core';
import type { MembershipChange, ProjectMember, ProjectSummary, UserAccount } from '../../api/OutpostApi.js';
import { useApp } from '../../app/AppContext.js';
import { roleLabel } from '../projects/roleLabel.js';
import { AreaPicker } from './AreaPicker.jsx';
import { ProblemAlert } from './ProblemAlert.jsx';

type ScopeKind = 'project' | 'areas' | 'team' | 'own';
const scopeKinds: readonly ScopeKind[] = ['project', 'areas', 'team', 'own'];

function kindOf(member: ProjectMember | undefined): ScopeKind {
  if (member === undefined) return 'areas';
  if (member.wholeProject) return 'project';
  if (member.areas.length > 0) return 'areas';
  return member.team !== null ? 'team' : 'own';
}

/**
 * Adds a user to a project, or changes their role and what they see there: the whole project,
 * chosen areas (from the project's area list), one team, or only the cases assigned to them.
 */
export function MembershipPanel(props: {
  user: UserAccount;
  /** The membership to change; absent to add the user to one of `projects`. */
  member?: ProjectMember;
  projects: readonly ProjectSummary[];
  /** After the server saved it; `project` is where. */
  onSaved: (project: ProjectSummary | undefined) => void;
  onCancel: () => void;
}): JSX.Element {
  const { api, i18n } = useApp();
  const { t } = i18n;
  const [projectId, setProjectId] = createSignal(props.member?.projectId ?? props.projects[0]?.id ?? '');
  const [role, setRole] = createSignal(props.member?.role ?? 'fieldworker');
  const [kind, setKind] = createSignal<ScopeKind>(kindOf(props.member));
  const [chosen, setChosen] = createSignal<ReadonlySet<string>>(new Set(props.member?.areas.map((a) => a.code)));
  const [team, setTeam] = createSignal(props.member?.team ?? '');
  const [missing, setMissing] = createSignal<'areas' | 'team' | undefined>(undefined);
  const [failure, setFailure] = createSignal<unknown>(undefined);
  const [saving, setSaving] = createSignal(false);
  const [areas] = createResource(projectId, (id) => (id === '' ? Promise.resolve([]) : api.listAreas(id)));
  const areaFailure = (): unknown => areas.error as unknown;
  const project = (): ProjectSummary | undefined => props.projects.find((p) => p.id === projectId());
  // Labels point at their selects, so a select is named by its label alone (not its chosen option too).
  const ids = { project: createUniqueId(), role: createUniqueId() };
  let heading: HTMLHeadingElement | undefined;
  onMount(() => heading?.focus());

  const toggle = (code: string, on: boolean): void => {
    setMissing(undefined);
    const next = new Set(chosen());
    if (on) next.add(code);
    else next.delete(code);
    setChosen(next);
  };

  const change = (): MembershipChange | undefined => {
    switch (kind()) {
      case 'project':
        return { role: role() };
      case 'areas':
        if (chosen().size === 0) return (setMissing('areas'), undefined);
        return { role: role(), areas: [...chosen()].sort() };
      case 'team':
        if (team().trim() === '') return (setMissing('team'), undefined);
        return { role: role(), team: team().trim() };
      case 'own':
        return { role: role(), own: true };
    }
  };

  const save = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    setMissing(undefined);
    setFailure(undefined);
    const wanted = change();
    if (wanted === undefined || projectId() === '') return;
    setSaving(true);
    try {
      await api.setMember(projectId(), props.user.id, wanted);
      props.onSaved(project());
    } catch (error) {
      setFailure(() => error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section class="card membership-panel" aria-labelledby="membership-title">
      <h3 id="membership-title" class="admin-add__title" tabindex="-1" ref={heading}>
        {props.member
          ? t('members.titleChange', { name: props.user.displayName, project: project()?.name ?? '' })
          : t('members.titleAdd', { name: props.user.displayName })}
      </h3>
      <form class="membership-panel__form" onSubmit={(event) => void save(event)} novalidate>
        <Show when={props.member === undefined}>
          <div class="field">
            <label class="field__label" for={ids.project}>
              {t('members.project')}
            </label>
            <select
              id={ids.project}
              class="admin-select"
              value={projectId()}
              onChange={(e) => {
                setProjectId(e.currentTarget.value);
                setChosen(new Set<string>());
              }}
            >
              <For each={props.projects}>{(p) => <option value={p.id}>{p.name}</option>}</For>
            </select>
          </div>
        </Show>
        <div class="field">
          <label class="field__label" for={ids.role}>
            {t('members.role')}
          </label>
          <select id={ids.role} class="admin-select" value={role()} onChange={(e) => setRole(e.currentTarget.value)}>
            <For each={roles}>{(r) => <option value={r}>{roleLabel(i18n, r)}</option>}</For>
          </select>
        </div>
        <fieldset class="membership-panel__scope">
          <legend class="field__label">{t('members.scope')}</legend>
          <For each={scopeKinds}>
            {(k) => (
              <label class="membership-panel__choice">
                <input
                  type="radio"
                  name="scope"
                  value={k}
                  checked={kind() === k}
                  onChange={() => {
                    setKind(k);
                    setMissing(undefined);
                  }}
                />
                <span>{t(`members.scope.${k}`)}</span>
              </label>
            )}
          </For>
        </fieldset>
        <Show when={kind() === 'areas'}>
          <Show
            when={areas.state === 'ready' ? areas() : undefined}
            fallback={
              <Show when={areas.state !== 'errored'}>
                <p class="status-message" role="status">
                  {t('members.areasLoading')}
                </p>
              </Show>
            }
          >
            {(list) => <AreaPicker areas={list()} chosen={chosen()} onToggle={toggle} />}
          </Show>
          <Show when={areaFailure()}>{(error) => <ProblemAlert error={error()} />}</Show>
        </Show>
        <Show when={kind() === 'team'}>
          <label class="field membership-panel__wide">
            <span class="field__label">{t('members.team')}</span>
            <input type="text" autocomplete="off" value={team()} onInput={(e) => setTeam(e.currentTarget.value)} />
          </label>
        </Show>
        <div class="admin-add__end">
          <Show when={missing()}>
            {(what) => (
              <div class="alert" role="alert">
                <p>{what() === 'areas' ? t('members.areasNone') : t('members.teamMissing')}</p>
              </div>
            )}
          </Show>
          <Show when={failure()}>{(error) => <ProblemAlert error={error()} />}</Show>
          <div class="membership-panel__actions">
            <button type="button" class="button" onClick={() => props.onCancel()}>
              {t('admin.cancel')}
            </button>
            <button type="submit" class="button button--primary" disabled={saving()}>
              {saving() ? t('members.saving') : t('members.save')}
            </button>
          </div>
        </div>
      </form>
    </section>
  );
}

import { For, Show, createSignal, type JSX } from 'solid-js';
import { roles } from '@outpost/core';
import type { ProjectMember, UserAccount } from '../../api/OutpostApi.js';
import { useApp } from '../../app/AppContext.js';
import { roleLabel } from '../projects/roleLabel.js';
import { AdminActionOutcome } from './AdminActionOutcome.jsx';
import { AdminTable } from './AdminTable.jsx';
import { ConfirmDialog } from './ConfirmDialog.jsx';
import { createAdminAction } from './createAdminAction.js';
import { createLoadable } from './createLoadable.js';
import { createMemberships } from './createMemberships.js';
import { MembershipPanel } from './MembershipPanel.jsx';
import { scopeText } from './membershipText.js';
import { ProblemAlert } from './ProblemAlert.jsx';

// Preselected: of the everyday roles, the one with the least power.
const defaultRole = 'fieldworker';

export function UsersScreen(): JSX.Element {
  const { api, i18n, session } = useApp();
  const { t } = i18n;
  const users = createLoadable(() => api.listUsers());
  const [adding, setAdding] = createSignal(false);
  const [addFailure, setAddFailure] = createSignal<unknown>(undefined);
  const [missingField, setMissingField] = createSignal(false);
  const action = createAdminAction(() => users.reload());
  const [resetting, setResetting] = createSignal<UserAccount | undefined>(undefined);
  const memberships = createMemberships(api);
  const [editing, setEditing] = createSignal<{ user: UserAccount; member?: ProjectMember } | undefined>(undefined);
  const [removing, setRemoving] = createSignal<{ user: UserAccount; member: ProjectMember } | undefined>(undefined);
  const projectName = (projectId: string): string =>
    memberships.value()?.projects.find((p) => p.id === projectId)?.name ?? '';
  const membershipsOf = (userId: string): readonly ProjectMember[] => memberships.value()?.of(userId) ?? [];
  /** Projects the user is not in yet. */
  const joinable = (userId: string) =>
    (memberships.value()?.projects ?? []).filter((p) => !membershipsOf(userId).some((m) => m.projectId === p.id));

  const confirmRemove = async (): Promise<void> => {
    const target = removing();
    if (!target) return;
    await action.run(
      target.user.username,
      async () => {
        await api.removeMember(target.member.projectId, target.user.id);
        await memberships.reload();
      },
      () => t('members.removed', { name: target.user.displayName, project: projectName(target.member.projectId) }),
    );
    setRemoving(undefined);
  };

  const me = (): string | undefined => {
    const state = session.state();
    return state.kind === 'signed-in' ? state.user.username : undefined;
  };

  const add = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const input = {
      username: text(data.get('username')).trim(),
      displayName: text(data.get('displayName')).trim(),
      role: text(data.get('role')),
      password: text(data.get('password')),
    };
    action.announce(undefined);
    setAddFailure(undefined);
    const missing = Object.values(input).some((value) => value === '');
    setMissingField(missing);
    if (missing) return;
    setAdding(true);
    try {
      const created = await api.addUser(input);
      form.reset();
      // reset() falls back to the first role (administrator); the safe default is set again.
      const role = form.elements.namedItem('role');
      if (role instanceof HTMLSelectElement) role.value = defaultRole;
      action.announce(() => t('users.created', { username: created.username }));
      await users.reload();
    } catch (error) {
      setAddFailure(() => error);
    } finally {
      setAdding(false);
    }
  };

  const confirmReset = async (): Promise<void> => {
    const user = resetting();
    if (!user) return;
    await action.run(
      user.username,
      () => api.resetUserTotp(user.username),
      () => t('users.resetTotpDone', { name: user.displayName }),
    );
    setResetting(undefined);
  };

  return (
    <div class="admin-section">
      <h2 class="visually-hidden">{t('admin.tab.users')}</h2>
      <section class="card admin-add" aria-labelledby="users-add-title">
        <h3 id="users-add-title" class="admin-add__title">
          {t('users.add')}
        </h3>
        <form class="admin-add__form" onSubmit={(event) => void add(event)} novalidate>
          <label class="field">
            <span class="field__label">{t('users.username')}</span>
            <input name="username" type="text" autocomplete="off" autocapitalize="none" spellcheck={false} required />
          </label>
          <label class="field">
            <span class="field__label">{t('users.displayName')}</span>
            <input name="displayName" type="text" autocomplete="off" required />
          </label>
          <label class="field">
            <span class="field__label">{t('users.role')}</span>
            <select name="role" class="admin-select" required>
              <For each={roles}>
                {(role) => (
                  <option value={role} selected={role === defaultRole}>
                    {roleLabel(i18n, role)}
                  </option>
                )}
              </For>
            </select>
          </label>
          <label class="field">
            <span class="field__label">{t('users.password')}</span>
            <input name="password" type="text" autocomplete="off" spellcheck={false} required />
            <span class="field__hint">{t('users.passwordHint')}</span>
          </label>
          <div class="admin-add__end">
            <Show when={missingField()}>
              <div class="alert" role="alert">
                <p>{t('users.fillAll')}</p>
              </div>
            </Show>
            <Show when={addFailure()}>{(error) => <ProblemAlert error={error()} />}</Show>
            <button type="submit" class="button button--primary" disabled={adding()}>
              {adding() ? t('users.creating') : t('users.create')}
            </button>
          </div>
        </form>
      </section>

      <AdminActionOutcome action={action} />
      <Show when={memberships.error()}>
        {(error) => (
          <ProblemAlert error={error()} lead={t('members.loadError')} onRetry={() => void memberships.reload()} />
        )}
      </Show>
      <Show when={editing()} keyed>
        {(target) => (
          <MembershipPanel
            user={target.user}
            {...(target.member === undefined ? {} : { member: target.member })}
            projects={target.member === undefined ? joinable(target.user.id) : (memberships.value()?.projects ?? [])}
            onCancel={() => setEditing(undefined)}
            onSaved={(project) => {
              setEditing(undefined);
              action.announce(() =>
                t('members.saved', { name: target.user.displayName, project: project?.name ?? '' }),
              );
              void memberships.reload();
            }}
          />
        )}
      </Show>
      <AdminTable
        list={users}
        empty={t('users.empty')}
        columns={[
          t('users.column.user'),
          t('users.column.role'),
          t('users.column.projects'),
          t('users.column.status'),
          t('users.column.actions'),
        ]}
      >
        {(user) => (
          <tr data-username={user.username} classList={{ 'admin-table__row--off': user.disabled }}>
            <th scope="row">
              <span class="admin-table__name">{user.displayName}</span>
              <span class="admin-table__sub">{user.username}</span>
            </th>
            <td data-label={t('users.column.role')}>{roleLabel(i18n, user.role)}</td>
            <td data-label={t('users.column.projects')} class="user-projects">
              <Show when={user.role === 'admin'}>
                <span class="user-projects__none">{t('members.everyProject')}</span>
              </Show>
              <Show when={memberships.value() && user.role !== 'admin'}>
                <Show
                  when={membershipsOf(user.id).length > 0}
                  fallback={<span class="user-projects__none">{t('members.none')}</span>}
                >
                  <ul class="user-projects__list">
                    <For each={membershipsOf(user.id)}>
                      {(member) => (
                        <li class="user-projects__item" data-project-id={member.projectId}>
                          <span class="user-projects__project">{projectName(member.projectId)}</span>
                          <span class="admin-table__sub">
                            {roleLabel(i18n, member.role)} · {scopeText(i18n, member)}
                          </span>
                          <span class="user-projects__actions">
                            <button type="button" class="button" onClick={() => setEditing({ user, member })}>
                              {t('members.change')}
                            </button>
                            <button type="button" class="button" onClick={() => setRemoving({ user, member })}>
                              {t('members.remove')}
                            </button>
                          </span>
                        </li>
                      )}
                    </For>
                  </ul>
                </Show>
                <Show when={joinable(user.id).length > 0}>
                  <button type="button" class="button" onClick={() => setEditing({ user })}>
                    {t('members.add')}
                  </button>
                </Show>
              </Show>
            </td>
            <td data-label={t('users.column.status')}>
              <span class={`badge ${user.disabled ? 'badge--closed' : 'badge--open'}`}>
                {user.disabled ? t('users.disabled') : t('users.active')}
              </span>
            </td>
            <td>
              <Show when={user.username !== me()}>
                <div class="admin-table__actions">
                  <button
                    type="button"
                    class="button"
                    disabled={action.busy() === user.username}
                    onClick={() =>
                      void action.run(user.username, () => api.setUserDisabled(user.username, !user.disabled))
                    }
                  >
                    {user.disabled ? t('users.enable') : t('users.disable')}
                  </button>
                  <button
                    type="button"
                    class="button"
                    disabled={action.busy() === user.username}
                    onClick={() => setResetting(user)}
                  >
                    {t('users.resetTotp')}
                  </button>
                </div>
              </Show>
            </td>
          </tr>
        )}
      </AdminTable>

      <ConfirmDialog
        open={resetting() !== undefined}
        message={t('users.resetTotpConfirm', { name: resetting()?.displayName ?? '' })}
        confirmLabel={t('users.resetTotp')}
        busy={action.busy() !== undefined}
        onConfirm={() => void confirmReset()}
        onCancel={() => setResetting(undefined)}
      />
      <ConfirmDialog
        open={removing() !== undefined}
        message={t('members.removeConfirm', {
          name: removing()?.user.displayName ?? '',
          project: projectName(removing()?.member.projectId ?? ''),
        })}
        confirmLabel={t('members.remove')}
        busy={action.busy() !== undefined}
        onConfirm={() => void confirmRemove()}
        onCancel={() => setRemoving(undefined)}
      />
    </div>
  );
}

function text(value: FormDataEntryValue | null): string {
  return typeof value === 'string' ? value : '';
}

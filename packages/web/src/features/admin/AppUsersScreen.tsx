import { For, Show, createEffect, createMemo, createResource, createSignal, on, type JSX } from 'solid-js';
import type { AppUser, AreaOption, NewAppUserKey } from '../../api/OutpostApi.js';
import { useApp } from '../../app/AppContext.js';
import { qrCodeDataUrl } from '../auth/qrCodeDataUrl.js';
import { AdminActionOutcome } from './AdminActionOutcome.jsx';
import { AdminTable } from './AdminTable.jsx';
import { ConfirmDialog } from './ConfirmDialog.jsx';
import { createAdminAction } from './createAdminAction.js';
import { createLoadable } from './createLoadable.js';
import { areaChoices, areaName } from './membershipText.js';
import { ProblemAlert } from './ProblemAlert.jsx';
import { brands } from './brands.js';

/**
 * ODK Collect app users of one project: the list, a new one for the whole project or one area
 * (its QR code shown once, as ODK Central shows it, with the server URL to type instead), and
 * revoking one, which stops its next request.
 */
export function AppUsersScreen(): JSX.Element {
  const { api, i18n } = useApp();
  const { t } = i18n;
  const [projects] = createResource(() => api.listProjects());
  const [chosen, setChosen] = createSignal<string | undefined>(undefined);
  const projectId = (): string | undefined => chosen() ?? projects()?.[0]?.id;
  const [areas] = createResource(projectId, (id) => api.listAreas(id));
  const appUsers = createLoadable(async () => {
    const id = projectId();
    return id === undefined ? [] : api.listAppUsers(id);
  });
  // Loaded again for each project chosen (and once the project list is in).
  createEffect(on(projectId, () => void appUsers.reload(), { defer: true }));
  const action = createAdminAction(() => appUsers.reload());
  const [created, setCreated] = createSignal<{ key: NewAppUserKey; name: string; qr: string } | undefined>();
  const [addFailure, setAddFailure] = createSignal<unknown>(undefined);
  const [adding, setAdding] = createSignal(false);
  const [revoking, setRevoking] = createSignal<AppUser | undefined>(undefined);
  const choices = createMemo(() => areaChoices(i18n, areas() ?? []));
  const areaLabel = (code: string): string => {
    const area = (areas() ?? []).find((a: AreaOption) => a.code === code);
    return area === undefined ? code : areaName(i18n, area);
  };

  const pickProject = (id: string): void => {
    setChosen(id);
    setCreated(undefined);
  };

  const add = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const id = projectId();
    if (id === undefined) return;
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const displayName = text(data.get('displayName')).trim();
    const area = text(data.get('area'));
    setAddFailure(undefined);
    setCreated(undefined);
    action.announce(undefined);
    setAdding(true);
    try {
      const key = await api.addAppUser(id, { displayName, ...(area === '' ? {} : { area }) });
      setCreated({ key, name: displayName, qr: await qrCodeDataUrl(key.collectSettings) });
      form.reset();
      await appUsers.reload();
    } catch (error) {
      setAddFailure(() => error);
    } finally {
      setAdding(false);
    }
  };

  const revoke = async (): Promise<void> => {
    const target = revoking();
    if (!target) return;
    await action.run(
      target.id,
      () => api.revokeDevice(target.id),
      () => t('appUsers.revokedDone', { name: target.displayName }),
    );
    if (created()?.key.id === target.id) setCreated(undefined);
    setRevoking(undefined);
  };

  return (
    <div class="admin-section">
      <h2 class="visually-hidden">{t('admin.tab.appUsers', brands)}</h2>
      <p class="admin-lead">{t('appUsers.lead', brands)}</p>
      <label class="field">
        <span class="field__label">{t('appUsers.project')}</span>
        <select
          class="admin-select"
          name="project"
          value={projectId() ?? ''}
          onChange={(e) => pickProject(e.currentTarget.value)}
        >
          <For each={projects() ?? []}>{(project) => <option value={project.id}>{project.name}</option>}</For>
        </select>
      </label>

      <section class="card admin-add" aria-labelledby="app-users-add-title">
        <h3 id="app-users-add-title" class="admin-add__title">
          {t('appUsers.add')}
        </h3>
        <form class="admin-add__form" onSubmit={(event) => void add(event)}>
          <label class="field">
            <span class="field__label">{t('appUsers.displayName')}</span>
            <input name="displayName" type="text" autocomplete="off" maxLength={100} required />
          </label>
          <label class="field">
            <span class="field__label">{t('appUsers.area')}</span>
            <select name="area" class="admin-select">
              <option value="">{t('appUsers.wholeProject')}</option>
              <For each={choices()}>
                {(choice) => (
                  <option value={choice.code}>
                    {'\u00a0'.repeat(choice.depth * 2)}
                    {choice.name}
                  </option>
                )}
              </For>
            </select>
          </label>
          <div class="admin-add__end">
            <Show when={addFailure()}>{(error) => <ProblemAlert error={error()} />}</Show>
            <button type="submit" class="button button--primary" disabled={adding() || projectId() === undefined}>
              {adding() ? t('appUsers.creating') : t('appUsers.create')}
            </button>
          </div>
        </form>
      </section>

      <Show when={created()}>
        {(made) => (
          <section class="card app-user-key" aria-labelledby="app-user-key-title" data-app-user-id={made().key.id}>
            <h3 id="app-user-key-title">{t('appUsers.keyTitle', { ...brands, name: made().name })}</h3>
            <p>{t('appUsers.scan', brands)}</p>
            <img class="app-user-key__qr" src={made().qr} alt={t('appUsers.qrAlt', { ...brands, name: made().name })} />
            <p>{t('appUsers.orType')}</p>
            <p>
              <code class="app-user-key__url" data-reference="app-user-server-url">
                {made().key.serverUrl}
              </code>
            </p>
            <p class="field__hint">{t('appUsers.onlyOnce')}</p>
          </section>
        )}
      </Show>

      <AdminActionOutcome action={action} />
      <AdminTable
        list={appUsers}
        empty={t('appUsers.empty')}
        columns={[
          t('appUsers.column.name'),
          t('appUsers.column.reach'),
          t('appUsers.column.lastSeen'),
          t('appUsers.column.status'),
          t('appUsers.column.actions'),
        ]}
      >
        {(appUser) => (
          <tr data-app-user-id={appUser.id} classList={{ 'admin-table__row--off': appUser.revokedAt !== null }}>
            <th scope="row">
              <span class="admin-table__name">{appUser.displayName}</span>
            </th>
            <td data-label={t('appUsers.column.reach')}>
              <Show when={appUser.areas.length > 0} fallback={t('appUsers.wholeProject')}>
                {appUser.areas.map(areaLabel).join(', ')}
              </Show>
            </td>
            <td data-label={t('appUsers.column.lastSeen')}>
              <Show when={appUser.lastSeenAt} fallback={t('devices.never')}>
                {(at) => <time datetime={at()}>{i18n.formatDateTime(at())}</time>}
              </Show>
            </td>
            <td data-label={t('appUsers.column.status')}>
              <Show when={appUser.revokedAt} fallback={<span class="badge badge--open">{t('devices.active')}</span>}>
                <span class="badge badge--revoked">{t('devices.revoked')}</span>
              </Show>
            </td>
            <td>
              <Show when={appUser.revokedAt === null}>
                <div class="admin-table__actions">
                  <button
                    type="button"
                    class="button button--danger-quiet"
                    disabled={action.busy() === appUser.id}
                    onClick={() => setRevoking(appUser)}
                  >
                    {t('devices.revoke')}
                  </button>
                </div>
              </Show>
            </td>
          </tr>
        )}
      </AdminTable>
      <ConfirmDialog
        open={revoking() !== undefined}
        message={t('appUsers.revokeConfirm', { name: revoking()?.displayName ?? '' })}
        confirmLabel={t('devices.revoke')}
        busy={action.busy() !== undefined}
        onConfirm={() => void revoke()}
        onCancel={() => setRevoking(undefined)}
      />
    </div>
  );
}

function text(value: FormDataEntryValue | null): string {
  return typeof value === 'string' ? value : '';
}

import { A, useMatch } from '@solidjs/router';
import { createSignal, For, Show, type JSX } from 'solid-js';
import { useApp, useShell } from '../app/AppContext.js';
import { isAdministrator } from '../features/admin/isAdministrator.js';
import { LogoutDialog } from '../features/auth/LogoutDialog.jsx';
import { isLanguage, languages } from '../i18n/createI18n.js';
import { SyncIndicator } from '../features/sync/SyncIndicator.jsx';

export function Header(): JSX.Element {
  const { i18n, session } = useApp();
  const { projects } = useShell();
  const projectMatch = useMatch(() => '/projects/:projectId/*');
  const { t } = i18n;

  const user = () => {
    const state = session.state();
    return state.kind === 'signed-in' ? state.user : undefined;
  };
  // Someone still enrolling an authenticator is signed in enough to see their name and log out.
  const who = () => {
    const state = session.state();
    return state.kind === 'signed-in' || state.kind === 'enrolment-required' ? state.user : undefined;
  };
  const project = () => {
    const id = projectMatch()?.params['projectId'];
    return id === undefined ? undefined : projects()?.find((p) => p.id === id);
  };

  const [leaving, setLeaving] = createSignal(false);

  return (
    <header class="app-header">
      <div class="app-header__where">
        <A href="/" class="brand" end>
          {t('app.name')}
        </A>
        <Show when={user()}>
          <nav class="breadcrumbs" aria-label={t('header.projects')}>
            <A href="/" end>
              {t('header.projects')}
            </A>
            <Show when={project()}>
              {(p) => (
                <span class="breadcrumbs__current" aria-current="page">
                  {p().name}
                </span>
              )}
            </Show>
          </nav>
        </Show>
      </div>
      <div class="app-header__who">
        <SyncIndicator />
        <Show when={user() !== undefined && isAdministrator(user()?.role)}>
          <A href="/admin" class="header-link">
            {t('header.admin')}
          </A>
        </Show>
        <Show when={who()}>
          {(u) => (
            <span class="current-user" title={u().username}>
              {t('header.signedInAs', { name: u().displayName })}
            </span>
          )}
        </Show>
        <label class="language-switch">
          <span class="visually-hidden">{t('header.language')}</span>
          <select
            name="language"
            value={i18n.language()}
            onChange={(event) => {
              const value = event.currentTarget.value;
              if (isLanguage(value)) i18n.setLanguage(value);
            }}
          >
            <For each={languages}>
              {(language) => (
                <option value={language.code} lang={language.code}>
                  {language.name}
                </option>
              )}
            </For>
          </select>
        </label>
        <Show when={who()}>
          <button type="button" class="button button--quiet" onClick={() => setLeaving(true)}>
            {t('header.logout')}
          </button>
        </Show>
        <LogoutDialog open={leaving()} onClose={() => setLeaving(false)} />
      </div>
    </header>
  );
}

import { useLocation, useNavigate, type RouteSectionProps } from '@solidjs/router';
import { createEffect, createResource, Match, Switch, type JSX } from 'solid-js';
import { ShellContext, useApp } from '../app/AppContext.js';
import { EnrolmentScreen } from '../features/auth/EnrolmentScreen.jsx';
import { UnlockScreen } from '../features/auth/UnlockScreen.jsx';
import { SyncProvider } from '../device/SyncProvider.jsx';
import { FolderOutbox } from '../features/cases/FolderOutbox.jsx';
import { Header } from './Header.jsx';

/** Root layout and the only place that decides who may see which route. */
export function AppShell(props: RouteSectionProps): JSX.Element {
  const { api, session, i18n } = useApp();
  const location = useLocation();
  const navigate = useNavigate();

  const userId = () => {
    const state = session.state();
    return state.kind === 'signed-in' ? state.user.id : undefined;
  };
  // Keyed by user so a different login never sees the previous user's projects.
  const [projects] = createResource(userId, () => api.listProjects());

  void session.restore();

  createEffect(() => {
    const state = session.state();
    const path = location.pathname;
    if (state.kind === 'anonymous' && path !== '/login') {
      const next = path === '/' ? '' : `?next=${encodeURIComponent(path + location.search)}`;
      navigate(`/login${next}`, { replace: true });
    } else if ((state.kind === 'signed-in' || state.kind === 'enrolment-required') && path === '/login') {
      navigate(safeNext(location.query['next']), { replace: true });
    }
  });

  return (
    <ShellContext.Provider value={{ projects }}>
      <SyncProvider>
        <FolderOutbox />
        <a class="skip-link" href="#main">
          {i18n.t('app.skipToContent')}
        </a>
        <Header />
        <main id="main" class="main" tabindex="-1">
          <Switch>
            <Match when={session.state().kind === 'unknown'}>
              <p class="status-message" role="status">
                {i18n.t('app.loading')}
              </p>
            </Match>
            {/* Whatever the route: the device's data stays sealed until its user unlocks it. */}
            <Match when={session.state().kind === 'locked'}>
              <UnlockScreen />
            </Match>
            {/* Whatever the route: the server answers nothing else until an authenticator is enrolled. */}
            <Match when={session.state().kind === 'enrolment-required'}>
              <EnrolmentScreen />
            </Match>
            <Match when={session.state().kind === 'signed-in' || location.pathname === '/login'}>
              {props.children}
            </Match>
          </Switch>
        </main>
      </SyncProvider>
    </ShellContext.Provider>
  );
}

/** Only same-origin paths, so a crafted link cannot send the user elsewhere after signing in. */
function safeNext(next: string | string[] | undefined): string {
  const value = Array.isArray(next) ? next[0] : next;
  return value !== undefined && value.startsWith('/') && !value.startsWith('//') ? value : '/';
}

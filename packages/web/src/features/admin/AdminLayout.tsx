import { A, type RouteSectionProps } from '@solidjs/router';
import { Show, type JSX } from 'solid-js';
import { useApp } from '../../app/AppContext.js';
import { brands } from './brands.js';
import { isAdministrator } from './isAdministrator.js';
import './admin.css';

/** The frame of the administration screens: a heading and one tab per section. */
export function AdminLayout(props: RouteSectionProps): JSX.Element {
  const { i18n, session } = useApp();
  const { t } = i18n;
  const allowed = (): boolean => {
    const state = session.state();
    return state.kind === 'signed-in' && isAdministrator(state.user.role);
  };
  return (
    <section class="admin" aria-labelledby="admin-title">
      <h1 id="admin-title">{t('admin.title')}</h1>
      <Show
        when={allowed()}
        fallback={
          <div class="alert" role="alert">
            <p>{t('admin.forbidden')}</p>
          </div>
        }
      >
        <nav class="admin-tabs" aria-label={t('admin.sections')}>
          <A href="/admin/users" class="admin-tabs__tab" activeClass="admin-tabs__tab--active">
            {t('admin.tab.users')}
          </A>
          <A href="/admin/devices" class="admin-tabs__tab" activeClass="admin-tabs__tab--active">
            {t('admin.tab.devices')}
          </A>
          <A href="/admin/app-users" class="admin-tabs__tab" activeClass="admin-tabs__tab--active">
            {t('admin.tab.appUsers', brands)}
          </A>
          <A href="/admin/audit" class="admin-tabs__tab" activeClass="admin-tabs__tab--active">
            {t('admin.tab.audit')}
          </A>
          <A href="/admin/forms" class="admin-tabs__tab" activeClass="admin-tabs__tab--active">
            {t('admin.tab.forms')}
          </A>
          <A href="/admin/import" class="admin-tabs__tab" activeClass="admin-tabs__tab--active">
            {t('import.nav')}
          </A>
          <A href="/admin/basemap" class="admin-tabs__tab" activeClass="admin-tabs__tab--active">
            {t('admin.tab.basemap')}
          </A>
        </nav>
        {props.children}
      </Show>
    </section>
  );
}

import { A } from '@solidjs/router';
import { isRole, roleHas } from '@outpost/core';
import { For, Match, Show, Switch, type JSX } from 'solid-js';
import { useApp, useShell } from '../../app/AppContext.js';
import { projectRoleText } from './roleLabel.js';

/** Roles that may export (and so analyse); null is an administrator managing the project. */
const exports = (role: string | null): boolean => role === null || (isRole(role) && roleHas(role, 'exports.run'));

export function ProjectPicker(): JSX.Element {
  const { i18n } = useApp();
  const { projects } = useShell();
  const { t } = i18n;

  return (
    <section class="projects" aria-labelledby="projects-title">
      <h1 id="projects-title">{t('projects.title')}</h1>
      <Switch>
        <Match when={projects.error !== undefined && projects.error !== null}>
          <p class="alert" role="alert">
            {t('projects.error')}
          </p>
        </Match>
        <Match when={projects.loading}>
          <p class="status-message" role="status">
            {t('app.loading')}
          </p>
        </Match>
        <Match when={projects()?.length === 0}>
          <p class="empty">{t('projects.empty')}</p>
        </Match>
        <Match when={projects()}>
          {(list) => (
            <ul class="project-list">
              <For each={list()}>
                {(project) => (
                  <li>
                    <A class="project-card" href={`/projects/${encodeURIComponent(project.id)}/cases`}>
                      <span class="project-card__name">{project.name}</span>
                      <span class="project-card__role">{projectRoleText(i18n, project.role)}</span>
                    </A>
                    <Show when={exports(project.role)}>
                      <A class="project-card__link" href={`/projects/${encodeURIComponent(project.id)}/analysis`}>
                        {t('projects.analysis')}
                      </A>
                      <A class="project-card__link" href={`/projects/${encodeURIComponent(project.id)}/dashboard`}>
                        {t('projects.dashboards')}
                      </A>
                    </Show>
                  </li>
                )}
              </For>
            </ul>
          )}
        </Match>
      </Switch>
    </section>
  );
}

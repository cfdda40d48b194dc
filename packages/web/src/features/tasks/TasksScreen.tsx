import { useParams } from '@solidjs/router';
import { createMemo, createResource, For, Show, useContext, type JSX } from 'solid-js';
import { ShellContext, useApp } from '../../app/AppContext.js';
import type { MessageKey } from '../../i18n/en.js';
import { listOpenedRecords } from '../../sync/openedRecords.js';
import { emptyVocabulary, loadProjectVocabulary } from '../forms/formVocabulary.js';
import { useSync } from '../../device/SyncContext.js';
import { localToday, type Task, type TaskGroup } from './computeTasks.js';
import { deviceTasks } from './deviceTasks.js';
import { TaskLine } from './TaskLine.jsx';
import './tasks.css';

const groupKey = {
  overdue: 'tasks.group.overdue',
  soon: 'tasks.group.soon',
  later: 'tasks.group.later',
} as const satisfies Readonly<Record<TaskGroup, MessageKey>>;

/**
 * The follow-up work of the cases on this device, offline: overdue, due within 7 days, later, the
 * riskiest first. A supervisor's device holds the team's cases: its overdue work by others is
 * shown on its own, first.
 */
export function TasksScreen(): JSX.Element {
  const { api, i18n, session } = useApp();
  const { t } = i18n;
  const params = useParams<{ projectId: string }>();
  const shell = useContext(ShellContext);
  const sync = () => useSync();
  const me = () => {
    const state = session.state();
    return state.kind === 'signed-in' ? state.user.id : null;
  };
  const supervises = () =>
    ['admin', 'supervisor'].includes(shell?.projects()?.find((p) => p.id === params.projectId)?.role ?? '');

  const [records] = createResource(
    () => {
      const device = sync();
      return device === undefined ? undefined : { device, revision: device.revision(), projectId: params.projectId };
    },
    ({ device, projectId }) => listOpenedRecords(device, projectId),
  );
  const [vocabulary] = createResource(
    () => params.projectId,
    (projectId) => loadProjectVocabulary(api, projectId),
  );
  const groups = createMemo(() => deviceTasks(records() ?? [], vocabulary() ?? emptyVocabulary, localToday()));
  const mine = (task: Task) => !supervises() || task.assigneeId === null || task.assigneeId === me();
  const team = createMemo(() => groups().overdue.filter((task) => !mine(task)));
  const shown = (group: TaskGroup) => groups()[group].filter(mine);

  return (
    <section class="tasks" aria-labelledby="tasks-title">
      <h1 id="tasks-title">{t('tasks.title')}</h1>
      <Show when={sync() === undefined}>
        <p class="status-message">{t('tasks.noDevice')}</p>
      </Show>
      <p class="tasks__summary" aria-live="polite">
        {t('tasks.summary', { overdue: groups().overdue.length, soon: groups().soon.length })}
      </p>
      <Show when={supervises() && team().length > 0}>
        <section class="tasks__group tasks__group--team" aria-labelledby="tasks-team-title">
          <h2 id="tasks-team-title">{t('tasks.group.team', { count: team().length })}</h2>
          <ul class="task-list">
            <For each={team()}>{(task) => <TaskLine task={task} showCase />}</For>
          </ul>
        </section>
      </Show>
      <For each={['overdue', 'soon', 'later'] as const}>
        {(group) => (
          <section class={`tasks__group tasks__group--${group}`} data-group={group}>
            <h2>{t(groupKey[group], { count: shown(group).length })}</h2>
            <Show when={shown(group).length > 0} fallback={<p class="tasks__none">{t('tasks.none')}</p>}>
              <ul class="task-list">
                <For each={shown(group)}>{(task) => <TaskLine task={task} showCase />}</For>
              </ul>
            </Show>
          </section>
        )}
      </For>
    </section>
  );
}

import { A, useParams } from '@solidjs/router';
import { Show, type JSX } from 'solid-js';
import { useApp } from '../../app/AppContext.js';
import type { Task } from './computeTasks.js';
// The line's own styles, wherever it is shown (the case page too, not only the Tasks screen).
import './tasks.css';

const kindKey = {
  visit: 'tasks.kind.visit',
  review: 'tasks.kind.review',
  referral: 'tasks.kind.referral',
  followUp: 'tasks.kind.followUp',
} as const;

const priorityKey = { 3: 'tasks.priority.high', 2: 'tasks.priority.medium', 1: 'tasks.priority.low' } as const;

/** One follow-up task: what, for which case, when, how urgent; a link to the case. */
export function TaskLine(props: { task: Task; showCase?: boolean }): JSX.Element {
  const { i18n } = useApp();
  const { t } = i18n;
  const params = useParams<{ projectId: string }>();
  const when = () =>
    props.task.inDays < 0
      ? t('tasks.overdueBy', { count: -props.task.inDays })
      : props.task.inDays === 0
        ? t('tasks.dueToday')
        : t('tasks.dueIn', { count: props.task.inDays });
  const priority = () => {
    const p = props.task.priority;
    return p === 3 || p === 2 || p === 1 ? t(priorityKey[p]) : null;
  };
  return (
    <li class="task-line" data-case-id={props.task.caseId} data-kind={props.task.kind} data-due={props.task.due}>
      <span class="task-line__what">{t(kindKey[props.task.kind])}</span>
      <Show when={props.showCase === true}>
        <A
          class="task-line__case"
          href={`/projects/${encodeURIComponent(params.projectId)}/cases/${encodeURIComponent(props.task.caseId)}`}
        >
          {props.task.label === '' ? t('cases.labelHidden') : props.task.label}
        </A>
      </Show>
      <time class="task-line__due" datetime={props.task.due}>
        {props.task.due}
      </time>
      <span class={`task-line__when${props.task.inDays < 0 ? ' task-line__when--late' : ''}`}>{when()}</span>
      <Show when={priority()}>{(p) => <span class="badge task-line__priority">{p()}</span>}</Show>
    </li>
  );
}

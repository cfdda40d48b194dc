import { Show, type JSX } from 'solid-js';
import type { AdminAction } from './createAdminAction.js';
import { ProblemAlert } from './ProblemAlert.jsx';

/** What the screen's last change did, or why it failed. */
export function AdminActionOutcome(props: { action: AdminAction }): JSX.Element {
  return (
    <>
      <Show when={props.action.notice()}>
        {(text) => (
          <p class="notice" role="status">
            {text()}
          </p>
        )}
      </Show>
      <Show when={props.action.failure()}>{(error) => <ProblemAlert error={error()} />}</Show>
    </>
  );
}

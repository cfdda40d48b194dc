import { Show, type JSX } from 'solid-js';
import { useApp } from '../../app/AppContext.js';
import { problemMessage } from '../../app/problemMessage.js';

/**
 * A refusal or failure in the user's language, with the server's own words beneath (for a refused
 * new user that is the password rule it broke). `lead` goes first, e.g. "Could not load the list.".
 */
export function ProblemAlert(props: { error: unknown; lead?: string | undefined; onRetry?: () => void }): JSX.Element {
  const { i18n } = useApp();
  const message = () => problemMessage(i18n, props.error);
  return (
    <div class="alert" role="alert">
      <Show when={props.lead}>{(lead) => <p>{lead()}</p>}</Show>
      <p class={props.lead === undefined ? undefined : 'alert__detail'}>{message().message}</p>
      <Show when={message().detail}>{(detail) => <p class="alert__detail">{detail()}</p>}</Show>
      <Show when={props.onRetry}>
        {(retry) => (
          <button type="button" class="button" onClick={() => retry()()}>
            {i18n.t('admin.retry')}
          </button>
        )}
      </Show>
    </div>
  );
}

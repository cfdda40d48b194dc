import { createSignal, Show, type JSX } from 'solid-js';
import { useApp } from '../../app/AppContext.js';
import { problemMessage, type ProblemMessage } from '../../app/problemMessage.js';

export function LoginScreen(): JSX.Element {
  const { i18n, session } = useApp();
  const { t } = i18n;
  const [busy, setBusy] = createSignal(false);
  const [failure, setFailure] = createSignal<unknown>(null);
  const message = (): ProblemMessage | null => (failure() === null ? null : problemMessage(i18n, failure()));

  const submit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const username = textOf(data.get('username')).trim();
    const password = textOf(data.get('password'));
    setBusy(true);
    setFailure(null);
    try {
      // The shell notices the new session and leaves this screen.
      await session.login(username, password);
    } catch (error) {
      setFailure(error);
      form.querySelector<HTMLInputElement>('input[name=password]')?.select();
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="login card" aria-labelledby="login-title">
      <h1 id="login-title">{t('login.title')}</h1>
      <p class="login__intro">{t('login.intro')}</p>
      <form class="form" onSubmit={(event) => void submit(event)} novalidate>
        <label class="field">
          <span class="field__label">{t('login.username')}</span>
          <input
            name="username"
            type="text"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            required
          />
        </label>
        <label class="field">
          <span class="field__label">{t('login.password')}</span>
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        <Show when={message()}>
          {(m) => (
            <div class="alert" role="alert">
              <p>{m().message}</p>
              <Show when={m().detail}>{(detail) => <p class="alert__detail">{detail()}</p>}</Show>
            </div>
          )}
        </Show>
        <button type="submit" class="button button--primary" disabled={busy()}>
          {busy() ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
    </section>
  );
}

function textOf(value: FormDataEntryValue | null): string {
  return typeof value === 'string' ? value : '';
}

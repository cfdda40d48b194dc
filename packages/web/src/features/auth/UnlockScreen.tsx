import { createSignal, Show, type JSX } from 'solid-js';
import { useApp } from '../../app/AppContext.js';
import { problemMessage } from '../../app/problemMessage.js';
import { LogoutDialog } from './LogoutDialog.jsx';
import './auth.css';

/** The device's data is sealed: the last user opens it with their password, no network needed (S9). */
export function UnlockScreen(): JSX.Element {
  const { i18n, session } = useApp();
  const { t } = i18n;
  const [busy, setBusy] = createSignal(false);
  const [message, setMessage] = createSignal<string | null>(null);
  const [leaving, setLeaving] = createSignal(false);
  const name = (): string => {
    const state = session.state();
    return state.kind === 'locked' ? state.user.displayName : '';
  };

  const submit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const input = form.querySelector<HTMLInputElement>('input[name=password]');
    const secret = input?.value ?? '';
    if (secret === '') return;
    setBusy(true);
    setMessage(null);
    try {
      const outcome = await session.unlock(secret);
      if (!outcome.ok && outcome.reason === 'wrong-secret') {
        setMessage(t('unlock.wrong', { count: outcome.triesLeft }));
        input?.select();
      }
      // Unlocked, destroyed or gone: the shell shows what comes next.
    } catch (error) {
      setMessage(problemMessage(i18n, error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="login card" aria-labelledby="unlock-title">
      <h1 id="unlock-title">{t('unlock.title')}</h1>
      <p class="login__intro">{t('unlock.intro', { name: name() })}</p>
      <form class="form" onSubmit={(event) => void submit(event)} novalidate>
        <label class="field">
          <span class="field__label">{t('unlock.password')}</span>
          <input name="password" type="password" autocomplete="current-password" required autofocus />
        </label>
        <Show when={message()}>
          {(text) => (
            <div class="alert" role="alert">
              <p>{text()}</p>
            </div>
          )}
        </Show>
        <button type="submit" class="button button--primary" disabled={busy()}>
          {busy() ? t('unlock.submitting') : t('unlock.submit')}
        </button>
        <button type="button" class="button" onClick={() => setLeaving(true)}>
          {t('unlock.otherUser')}
        </button>
      </form>
      <LogoutDialog open={leaving()} onClose={() => setLeaving(false)} />
    </section>
  );
}

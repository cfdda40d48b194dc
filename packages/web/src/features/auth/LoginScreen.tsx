import { createSignal, Show, type JSX } from 'solid-js';
import { useApp } from '../../app/AppContext.js';
import { CodeField } from './CodeField.jsx';
import { createLoginForm } from './createLoginForm.js';
import './auth.css';

export function LoginScreen(): JSX.Element {
  const { i18n, session } = useApp();
  const { t } = i18n;
  // The shell notices the new session and leaves this screen.
  const model = createLoginForm(session, i18n);
  // The device's name follows the username ("Tablet of …") until the user writes their own.
  const [username, setUsername] = createSignal('');
  const [ownDeviceName, setOwnDeviceName] = createSignal<string | null>(null);
  const deviceName = (): string =>
    ownDeviceName() ?? (username().trim() === '' ? '' : t('login.deviceNameDefault', { name: username().trim() }));
  const notice = (): string | null => {
    const state = session.state();
    if (state.kind !== 'anonymous' || state.notice === undefined) return null;
    switch (state.notice) {
      case 'destroyed':
        return t('login.notice.destroyed');
      case 'wiped':
        return t('login.notice.wiped');
      case 'expired':
        return t('login.notice.expired');
      case 'signed-out':
        return t('login.notice.signedOut');
    }
  };

  const submitPassword = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const ok = await model.submitPassword(
      textOf(data.get('username')),
      textOf(data.get('password')),
      session.registersDevice ? textOf(data.get('deviceName')) : undefined,
    );
    if (!ok && model.step() === 'password') form.querySelector<HTMLInputElement>('input[name=password]')?.select();
  };

  const submitCode = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const ok = await model.submitCode(textOf(new FormData(form).get('code')));
    if (!ok) form.querySelector<HTMLInputElement>('input[name=code]')?.select();
  };

  const alert = (): JSX.Element => (
    <Show when={model.message()}>
      {(m) => (
        <div class="alert" role="alert">
          <p>{m().message}</p>
          <Show when={m().detail}>{(detail) => <p class="alert__detail">{detail()}</p>}</Show>
        </div>
      )}
    </Show>
  );

  return (
    <Show
      when={model.step() === 'code'}
      fallback={
        <section class="login card" aria-labelledby="login-title">
          <h1 id="login-title">{t('login.title')}</h1>
          <p class="login__intro">{t('login.intro')}</p>
          <Show when={notice()}>
            {(text) => (
              <p class="status-message" role="status" data-testid="login-notice">
                {text()}
              </p>
            )}
          </Show>
          <form class="form" onSubmit={(event) => void submitPassword(event)} novalidate>
            <label class="field">
              <span class="field__label">{t('login.username')}</span>
              <input
                name="username"
                type="text"
                autocomplete="username"
                autocapitalize="none"
                spellcheck={false}
                required
                onInput={(event) => setUsername(event.currentTarget.value)}
              />
            </label>
            <label class="field">
              <span class="field__label">{t('login.password')}</span>
              <input name="password" type="password" autocomplete="current-password" required />
            </label>
            <Show when={session.registersDevice}>
              <label class="field">
                <span class="field__label">{t('login.deviceName')}</span>
                <input
                  name="deviceName"
                  type="text"
                  maxLength={100}
                  autocomplete="off"
                  value={deviceName()}
                  onInput={(event) => setOwnDeviceName(event.currentTarget.value)}
                />
                <span class="field__hint">{t('login.deviceNameHint')}</span>
              </label>
            </Show>
            {alert()}
            <button type="submit" class="button button--primary" disabled={model.busy()}>
              {model.busy() ? t('login.submitting') : t('login.submit')}
            </button>
          </form>
        </section>
      }
    >
      <section class="login card" aria-labelledby="login-code-title">
        <h1 id="login-code-title">{t('login.codeTitle')}</h1>
        <p class="login__intro">{t('login.codeIntro')}</p>
        <form class="form" onSubmit={(event) => void submitCode(event)} novalidate>
          <CodeField label={t('login.code')} focus />
          {alert()}
          <button type="submit" class="button button--primary" disabled={model.busy()}>
            {model.busy() ? t('login.submitting') : t('login.submit')}
          </button>
          <button type="button" class="button" onClick={() => model.restart()}>
            {t('login.otherUser')}
          </button>
        </form>
      </section>
    </Show>
  );
}

function textOf(value: FormDataEntryValue | null): string {
  return typeof value === 'string' ? value : '';
}

import { createSignal, Show, type JSX } from 'solid-js';
import { useApp } from '../../app/AppContext.js';
import { problemMessage, type ProblemMessage } from '../../app/problemMessage.js';
import { CodeField } from './CodeField.jsx';
import { groupSecret } from './groupSecret.js';
import { qrCodeDataUrl } from './qrCodeDataUrl.js';
import './auth.css';

/**
 * Shown instead of every route while the session says two-factor enrolment is required; once the
 * code is confirmed the session is a full one and the shell shows the route the user asked for.
 */
export function EnrolmentScreen(): JSX.Element {
  const { i18n, session } = useApp();
  const { t } = i18n;
  type Loaded = { readonly kind: 'loading' } | { readonly kind: 'failed'; readonly error: unknown } | Ready;
  interface Ready {
    readonly kind: 'ready';
    readonly secret: string;
    readonly qr: string;
  }
  const [enrolment, setEnrolment] = createSignal<Loaded>({ kind: 'loading' });
  const start = async (): Promise<void> => {
    setEnrolment({ kind: 'loading' });
    try {
      const started = await session.startEnrolment();
      setEnrolment({ kind: 'ready', secret: started.secret, qr: await qrCodeDataUrl(started.uri) });
    } catch (error) {
      setEnrolment({ kind: 'failed', error });
    }
  };
  void start();
  const ready = (): Ready | undefined => {
    const current = enrolment();
    return current.kind === 'ready' ? current : undefined;
  };
  const loadError = (): unknown => {
    const current = enrolment();
    return current.kind === 'failed' ? current.error : undefined;
  };
  const [busy, setBusy] = createSignal(false);
  const [failure, setFailure] = createSignal<ProblemMessage | null>(null);

  const confirm = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const value = new FormData(form).get('code');
    const code = (typeof value === 'string' ? value : '').replace(/\s/g, '');
    if (!/^\d{6}$/.test(code)) {
      setFailure({ message: t('login.codeFormat'), detail: undefined });
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      await session.confirmEnrolment(code);
    } catch (error) {
      setFailure(problemMessage(i18n, error));
      form.querySelector<HTMLInputElement>('input[name=code]')?.select();
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="enrolment card" aria-labelledby="enrolment-title">
      <h1 id="enrolment-title">{t('enrol.title')}</h1>
      <p class="enrolment__intro">{t('enrol.intro')}</p>
      <Show
        when={ready()}
        fallback={
          <Show
            when={enrolment().kind === 'failed'}
            fallback={
              <p class="status-message" role="status">
                {t('app.loading')}
              </p>
            }
          >
            <div class="alert" role="alert">
              <p>{t('enrol.loadError')}</p>
              <p class="alert__detail">{problemMessage(i18n, loadError()).message}</p>
              <button type="button" class="button" onClick={() => void start()}>
                {t('enrol.retry')}
              </button>
            </div>
          </Show>
        }
      >
        {(e) => (
          <ol class="enrolment__steps">
            <li>{t('enrol.step.app')}</li>
            <li>
              <p>{t('enrol.step.scan')}</p>
              <div class="enrolment__key">
                <img class="enrolment__qr" src={e().qr} alt={t('enrol.qrAlt')} width="220" height="220" />
                <div class="enrolment__manual">
                  <p>{t('enrol.manual')}</p>
                  <p class="enrolment__secret" aria-label={t('enrol.secret')} data-secret={e().secret}>
                    {groupSecret(e().secret)}
                  </p>
                </div>
              </div>
            </li>
            <li>
              <p>{t('enrol.step.code')}</p>
              <form class="form enrolment__form" onSubmit={(event) => void confirm(event)} novalidate>
                <CodeField label={t('login.code')} />
                <Show when={failure()}>
                  {(m) => (
                    <div class="alert" role="alert">
                      <p>{m().message}</p>
                      <Show when={m().detail}>{(detail) => <p class="alert__detail">{detail()}</p>}</Show>
                    </div>
                  )}
                </Show>
                <button type="submit" class="button button--primary" disabled={busy()}>
                  {busy() ? t('enrol.confirming') : t('enrol.confirm')}
                </button>
              </form>
            </li>
          </ol>
        )}
      </Show>
    </section>
  );
}

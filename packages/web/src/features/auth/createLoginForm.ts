import { createSignal, type Accessor } from 'solid-js';
import { ApiProblem } from '../../transport/ApiProblem.js';
import { problemMessage, type ProblemMessage } from '../../app/problemMessage.js';
import type { I18n } from '../../i18n/createI18n.js';
import type { SessionModel } from '../../session/createSession.js';

/** `code`: the password was right and the account signs in with an authenticator too. */
export type LoginStep = 'password' | 'code';

export interface LoginForm {
  readonly step: Accessor<LoginStep>;
  readonly busy: Accessor<boolean>;
  /** What went wrong with the last attempt, in the user's language; null when nothing did. */
  readonly message: Accessor<ProblemMessage | null>;
  /**
   * Step one: resolves true when signed in, false when refused or when the code is needed next.
   * `deviceName`: the name this device registers under; blank or absent keeps the browser's.
   */
  submitPassword(username: string, password: string, deviceName?: string): Promise<boolean>;
  /** Step two: the same username and password again, now with the 6-digit code. */
  submitCode(code: string): Promise<boolean>;
  /** Leaves the code step, e.g. to sign in as someone else. */
  restart(): void;
}

export function createLoginForm(session: SessionModel, i18n: I18n): LoginForm {
  const [step, setStep] = createSignal<LoginStep>('password');
  const [busy, setBusy] = createSignal(false);
  const [message, setMessage] = createSignal<ProblemMessage | null>(null);
  // Held only between the two steps, so the user does not type the password twice.
  let credentials: { username: string; password: string; deviceName: string | undefined } | null = null;

  const attempt = async (
    username: string,
    password: string,
    deviceName: string | undefined,
    code?: string,
  ): Promise<boolean> => {
    setBusy(true);
    setMessage(null);
    try {
      await session.login(username, password, code, deviceName);
      credentials = null;
      setStep('password');
      return true;
    } catch (error) {
      if (error instanceof ApiProblem && error.code === 'auth.totp-required') {
        credentials = { username, password, deviceName };
        setStep('code');
      } else if (code !== undefined && error instanceof ApiProblem && error.code === 'auth.invalid-credentials') {
        // The password passed a moment ago, so a refusal now is about the code.
        setMessage({ message: i18n.t('login.codeWrong'), detail: undefined });
      } else {
        setMessage(problemMessage(i18n, error));
      }
      return false;
    } finally {
      setBusy(false);
    }
  };

  return {
    step,
    busy,
    message,
    submitPassword(username, password, deviceName) {
      const named = deviceName?.trim() ?? '';
      return attempt(username.trim(), password, named === '' ? undefined : named);
    },
    async submitCode(code) {
      const digits = code.replace(/\s/g, '');
      if (!credentials) {
        setStep('password');
        return false;
      }
      if (!/^\d{6}$/.test(digits)) {
        setMessage({ message: i18n.t('login.codeFormat'), detail: undefined });
        return false;
      }
      return attempt(credentials.username, credentials.password, credentials.deviceName, digits);
    },
    restart() {
      credentials = null;
      setMessage(null);
      setStep('password');
    },
  };
}

import { createSignal, type Accessor } from 'solid-js';
import type { OutpostApi, Session, TotpEnrolment, User } from '../api/OutpostApi.js';

/**
 * `unknown` until the server has said whether the cookie still holds a session.
 * `enrolment-required`: an administrator or supervisor signed in with the password but has no
 * authenticator yet; the server answers nothing else until they enrol one.
 */
export type SessionState =
  | { readonly kind: 'unknown' }
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'enrolment-required'; readonly user: User }
  | { readonly kind: 'signed-in'; readonly user: User };

export interface SessionModel {
  readonly state: Accessor<SessionState>;
  /** Asks the server who is signed in; a failed request leaves the user anonymous. */
  restore(): Promise<void>;
  /**
   * Rejects with the ApiProblem so the login screen can show it; `auth.totp-required` means the
   * password was right and the account also needs the 6-digit code: call again with `totp`.
   */
  login(username: string, password: string, totp?: string): Promise<User>;
  /** A new authenticator secret for the user in `enrolment-required`. */
  startEnrolment(): Promise<TotpEnrolment>;
  /** Proves the authenticator with its current code; the session becomes `signed-in`. */
  confirmEnrolment(code: string): Promise<void>;
  /** Always ends signed out locally, even when the server cannot be told. */
  logout(): Promise<void>;
  /** The server no longer knows this session (expired, revoked): back to the sign-in screen. */
  expire(): void;
}

export function createSession(api: OutpostApi): SessionModel {
  const [state, setState] = createSignal<SessionState>({ kind: 'unknown' });
  const enter = (session: Session): void => {
    setState({
      kind: session.twoFactorEnrolmentRequired === true ? 'enrolment-required' : 'signed-in',
      user: session.user,
    });
  };
  return {
    state,
    async restore() {
      try {
        const session = await api.me();
        if (session) enter(session);
        else setState({ kind: 'anonymous' });
      } catch {
        setState({ kind: 'anonymous' });
      }
    },
    async login(username, password, totp) {
      const session = await api.login(username, password, totp);
      enter(session);
      return session.user;
    },
    startEnrolment() {
      return api.enrolTotp();
    },
    async confirmEnrolment(code) {
      const current = state();
      await api.confirmTotp(code);
      if (current.kind === 'enrolment-required') setState({ kind: 'signed-in', user: current.user });
    },
    async logout() {
      try {
        await api.logout();
      } catch {
        // The cookie may already be gone (expired, server restarted); signing out here is what counts.
      } finally {
        setState({ kind: 'anonymous' });
      }
    },
    expire() {
      setState({ kind: 'anonymous' });
    },
  };
}

import { createSignal, type Accessor } from 'solid-js';
import type { OutpostApi, User } from '../api/OutpostApi.js';

/** `unknown` until the server has said whether the cookie still holds a session. */
export type SessionState =
  { readonly kind: 'unknown' } | { readonly kind: 'anonymous' } | { readonly kind: 'signed-in'; readonly user: User };

export interface SessionModel {
  readonly state: Accessor<SessionState>;
  /** Asks the server who is signed in; a failed request leaves the user anonymous. */
  restore(): Promise<void>;
  /** Rejects with the ApiProblem so the login screen can show it. */
  login(username: string, password: string): Promise<User>;
  /** Always ends signed out locally, even when the server cannot be told. */
  logout(): Promise<void>;
  /** The server no longer knows this session (expired, revoked): back to the sign-in screen. */
  expire(): void;
}

export function createSession(api: OutpostApi): SessionModel {
  const [state, setState] = createSignal<SessionState>({ kind: 'unknown' });
  return {
    state,
    async restore() {
      try {
        const session = await api.me();
        setState(session ? { kind: 'signed-in', user: session.user } : { kind: 'anonymous' });
      } catch {
        setState({ kind: 'anonymous' });
      }
    },
    async login(username, password) {
      const session = await api.login(username, password);
      setState({ kind: 'signed-in', user: session.user });
      return session.user;
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

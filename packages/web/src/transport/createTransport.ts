import { ApiProblem } from './ApiProblem.js';
import type { Session } from '../api/OutpostApi.js';
import { problemFrom } from './problemFrom.js';

/** The part of `fetch` the client uses, so tests and other runtimes can hand in their own. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Credential headers: `Authorization: Bearer` with a device token, else the session's CSRF token. */
export type CredentialHeaders = Readonly<Record<string, string>>;

export interface TransportOptions {
  readonly fetch?: FetchLike;
  /** Origin-relative prefix of the API; the app is served by the same server. */
  readonly baseUrl?: string;
  /** Called when the server answers 401 to a signed-in request: the session expired or was revoked. */
  readonly onSessionExpired?: (problem: ApiProblem) => void;
  /**
   * The device token, when the app holds one: sent as `Authorization: Bearer` on every request
   * except sign-in, `/me`, logout and enrolment, which belong to the cookie session.
   */
  readonly deviceToken?: () => string | null;
  /**
   * The app's language, sent as `Accept-Language` so what the server names (areas) follows the
   * language chosen in the app, not the browser's.
   */
  readonly language?: () => string;
}

export interface RawBody {
  readonly accept?: string;
  readonly contentType?: string;
  readonly contentDisposition?: string;
  readonly body?: string | Blob | FormData;
}

/**
 * The one way the app talks to its server: credentials (device token, else the cookie session and
 * its CSRF token, cached here and nowhere else) and problem decoding (`ApiProblem`). The REST
 * client, the sync client and the upload queues all go through it.
 */
export interface Transport {
  readonly baseUrl: string;
  /** A REST request: credentials and language added, a refusal thrown as an `ApiProblem`. */
  readonly request: (method: string, path: string, body?: unknown, raw?: RawBody) => Promise<Response>;
  readonly json: <T>(method: string, path: string, body?: unknown) => Promise<T>;
  /** The cookie session (`GET /me`), whose CSRF token is remembered; null when signed out. */
  readonly me: () => Promise<Session | null>;
  /** A session just began (sign-in): its CSRF token is the one to send. */
  readonly rememberCsrf: (token: string) => void;
  /** The session ended: its CSRF token is forgotten. */
  readonly forgetCsrf: () => void;
  readonly hasCsrf: () => boolean;
  /**
   * Headers for a client that builds its own requests (sync, uploads): the device token, else the
   * CSRF token, read from `/me` when not known yet or when `refresh` (the server refused it).
   */
  readonly credentials: (options: { readonly refresh: boolean }) => Promise<CredentialHeaders>;
  /** The same headers as last known, synchronously (tus reads headers synchronously). */
  readonly currentCredentials: () => CredentialHeaders;
  /** `fetch` of `baseUrl + path` as it is; no answer is thrown as `ApiProblem.unreachable`. */
  readonly fetch: (path: string, init: RequestInit) => Promise<Response>;
}

/** Requests about the cookie session itself: the device token must not stand in for it. */
const cookieOnlyPaths = new Set(['/auth/login', '/auth/logout', '/me', '/auth/totp/enrol', '/auth/totp/confirm']);

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function createTransport(options: TransportOptions = {}): Transport {
  const fetchFn: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const baseUrl = options.baseUrl ?? '/api/v1';
  // The session cookie is httpOnly; the CSRF token is the only session secret script may hold.
  let csrfToken: string | undefined;

  async function send(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetchFn(baseUrl + path, init);
    } catch (cause) {
      throw ApiProblem.unreachable(cause);
    }
  }

  async function request(method: string, path: string, body?: unknown, raw?: RawBody): Promise<Response> {
    const headers: Record<string, string> = { accept: raw?.accept ?? 'application/json' };
    if (options.language !== undefined) headers['accept-language'] = options.language();
    if (raw?.contentType !== undefined) headers['content-type'] = raw.contentType;
    if (raw?.contentDisposition !== undefined) headers['content-disposition'] = raw.contentDisposition;
    else if (body !== undefined) headers['content-type'] = 'application/json';
    const bearer = cookieOnlyPaths.has(path) ? null : (options.deviceToken?.() ?? null);
    if (bearer !== null) headers['authorization'] = `Bearer ${bearer}`;
    else if (writeMethods.has(method) && csrfToken !== undefined) headers['x-csrf-token'] = csrfToken;
    const init: RequestInit = { method, headers, credentials: 'same-origin' };
    if (raw?.body !== undefined) init.body = raw.body;
    else if (body !== undefined) init.body = JSON.stringify(body);
    const response = await send(path, init);
    if (!response.ok) {
      const problem = await problemFrom(response);
      if (problem.status === 401 && (bearer !== null || csrfToken !== undefined) && path !== '/auth/login') {
        if (bearer === null) csrfToken = undefined;
        options.onSessionExpired?.(problem);
      }
      throw problem;
    }
    return response;
  }

  async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await request(method, path, body);
    return (await response.json()) as T;
  }

  async function me(): Promise<Session | null> {
    try {
      const session = await json<Session>('GET', '/me');
      csrfToken = session.csrfToken;
      return session;
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 401) {
        csrfToken = undefined;
        return null;
      }
      throw error;
    }
  }

  function currentCredentials(): CredentialHeaders {
    const bearer = options.deviceToken?.() ?? null;
    if (bearer !== null) return { authorization: `Bearer ${bearer}` };
    return csrfToken === undefined ? {} : { 'x-csrf-token': csrfToken };
  }

  return {
    baseUrl,
    request,
    json,
    me,
    rememberCsrf(token) {
      csrfToken = token;
    },
    forgetCsrf() {
      csrfToken = undefined;
    },
    hasCsrf: () => csrfToken !== undefined,
    async credentials({ refresh }) {
      const bearer = options.deviceToken?.() ?? null;
      if (bearer === null && (refresh || csrfToken === undefined)) await me().catch(() => null);
      return currentCredentials();
    },
    currentCredentials,
    fetch: send,
  };
}

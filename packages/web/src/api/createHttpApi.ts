import { ApiProblem, isProblemBody } from './ApiProblem.js';
import type { CasePage, CaseQuery, OutpostApi, ProjectSummary, Session } from './OutpostApi.js';

/** The part of `fetch` the client uses, so tests and other runtimes can hand in their own. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface HttpApiOptions {
  readonly fetch?: FetchLike;
  /** Origin-relative prefix of the API; the app is served by the same server. */
  readonly baseUrl?: string;
  /** Called when the server answers 401 to a signed-in request: the session expired or was revoked. */
  readonly onSessionExpired?: () => void;
}

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function createHttpApi(options: HttpApiOptions = {}): OutpostApi {
  const fetchFn: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const baseUrl = options.baseUrl ?? '/api/v1';
  // The session cookie is httpOnly; the CSRF token is the only session secret script may hold.
  let csrfToken: string | undefined;

  async function request(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (writeMethods.has(method) && csrfToken !== undefined) headers['x-csrf-token'] = csrfToken;
    const init: RequestInit = { method, headers, credentials: 'same-origin' };
    if (body !== undefined) init.body = JSON.stringify(body);
    let response: Response;
    try {
      response = await fetchFn(baseUrl + path, init);
    } catch (cause) {
      throw ApiProblem.unreachable(cause);
    }
    if (!response.ok) {
      const problem = await problemFrom(response);
      if (problem.status === 401 && csrfToken !== undefined && path !== '/auth/login') {
        csrfToken = undefined;
        options.onSessionExpired?.();
      }
      throw problem;
    }
    return response;
  }

  async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await request(method, path, body);
    return (await response.json()) as T;
  }

  return {
    async login(username, password) {
      const session = await json<Session>('POST', '/auth/login', { username, password });
      csrfToken = session.csrfToken;
      return session;
    },
    async me() {
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
    },
    async logout() {
      try {
        await request('POST', '/auth/logout');
      } finally {
        csrfToken = undefined;
      }
    },
    async listProjects() {
      const page = await json<{ items: ProjectSummary[] }>('GET', '/projects');
      return page.items;
    },
    async listCases(projectId, query: CaseQuery) {
      const params = new URLSearchParams({ limit: String(query.limit), offset: String(query.offset) });
      if (query.q !== undefined && query.q !== '') params.set('q', query.q);
      return json<CasePage>('GET', `/projects/${encodeURIComponent(projectId)}/cases?${params.toString()}`);
    },
  };
}

async function problemFrom(response: Response): Promise<ApiProblem> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (isProblemBody(body)) return new ApiProblem(body);
  return new ApiProblem({
    type: 'about:blank',
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    code: 'http.unexpected',
  });
}

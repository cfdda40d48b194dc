import { describe, expect, it } from 'vitest';
import { ApiProblem } from '../transport/ApiProblem.js';
import { createHttpApi, type FetchLike } from './createHttpApi.js';

interface Seen {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly credentials: RequestCredentials | undefined;
  readonly body: unknown;
}

const json = (status: number, body: unknown, type = 'application/json'): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

/** A tiny stand-in for the server: answers by "METHOD path" and records what it was sent. */
function fakeServer(routes: Record<string, (seen: Seen) => Response>): { fetch: FetchLike; seen: Seen[] } {
  const seen: Seen[] = [];
  const fetch: FetchLike = (url, init) => {
    const request: Seen = {
      url,
      method: init.method ?? 'GET',
      headers: (init.headers ?? {}) as Record<string, string>,
      credentials: init.credentials,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    seen.push(request);
    const route = routes[`${request.method} ${url.split('?')[0] ?? ''}`];
    return Promise.resolve(
      route
        ? route(request)
        : json(404, { type: 'about:blank', title: 'Not Found', status: 404, code: 'route.not-found' }),
    );
  };
  return { fetch, seen };
}

const user = { id: 'u1', username: 'fieldworker', displayName: 'Field Worker', role: 'fieldworker' };

describe('createHttpApi', () => {
  it('offers to fill only the forms the server says this user may submit', async () => {
    const server = fakeServer({
      'GET /api/v1/projects/p1/forms': () =>
        json(200, {
          items: [
            { formId: 'mn_visit', title: 'Visit', submittable: true, latestVersion: { version: '1' } },
            { formId: 'mn_closure', title: 'Closure', submittable: false, latestVersion: { version: '1' } },
          ],
        }),
    });
    const forms = await createHttpApi({ fetch: server.fetch }).listForms('p1');
    expect(forms.map((f) => f.formId)).toEqual(['mn_visit']);
  });

  it('sends the CSRF token from the login answer on writes, and only on writes', async () => {
    const server = fakeServer({
      'POST /api/v1/auth/login': () => json(200, { user, csrfToken: 'tok-1' }),
      'GET /api/v1/projects': () => json(200, { items: [] }),
      'POST /api/v1/auth/logout': () => new Response(null, { status: 204 }),
    });
    const api = createHttpApi({ fetch: server.fetch });

    const session = await api.login('fieldworker', 'secret');
    expect(session.user.displayName).toBe('Field Worker');
    await api.listProjects();
    await api.logout();

    const [login, projects, logout] = server.seen;
    expect(login?.body).toEqual({ username: 'fieldworker', password: 'secret' });
    expect(projects?.headers['x-csrf-token']).toBeUndefined();
    expect(logout?.headers['x-csrf-token']).toBe('tok-1');
    expect(server.seen.every((s) => s.credentials === 'same-origin')).toBe(true);
  });

  it('takes the CSRF token from /me when the page reloads with a live cookie', async () => {
    const server = fakeServer({
      'GET /api/v1/me': () => json(200, { user, csrfToken: 'tok-2' }),
      'POST /api/v1/auth/logout': () => new Response(null, { status: 204 }),
    });
    const api = createHttpApi({ fetch: server.fetch });
    expect((await api.me())?.user.username).toBe('fieldworker');
    await api.logout();
    expect(server.seen[1]?.headers['x-csrf-token']).toBe('tok-2');
  });

  it('answers null from me() when nobody is signed in', async () => {
    const server = fakeServer({
      'GET /api/v1/me': () =>
        json(
          401,
          { type: 'about:blank', title: 'Unauthorized', status: 401, code: 'auth.required' },
          'application/problem+json',
        ),
    });
    expect(await createHttpApi({ fetch: server.fetch }).me()).toBeNull();
  });

  it('turns a problem+json answer into an ApiProblem with the server code and detail', async () => {
    const server = fakeServer({
      'POST /api/v1/auth/login': () =>
        json(
          401,
          {
            type: 'https://outpost.example/problems/auth.invalid-credentials',
            title: 'Invalid credentials',
            status: 401,
            code: 'auth.invalid-credentials',
            detail: 'Username or password is wrong.',
          },
          'application/problem+json',
        ),
    });
    const failure = await createHttpApi({ fetch: server.fetch })
      .login('x', 'y')
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiProblem);
    expect(failure).toMatchObject({
      status: 401,
      code: 'auth.invalid-credentials',
      detail: 'Username or password is wrong.',
    });
  });

  it('reports an unreachable server as network.unreachable, and a non-problem error by its status', async () => {
    const offline = createHttpApi({
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    });
    await expect(offline.listProjects()).rejects.toMatchObject({ status: 0, code: 'network.unreachable' });

    const proxyError = createHttpApi({
      fetch: () =>
        Promise.resolve(new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' })),
    });
    await expect(proxyError.listProjects()).rejects.toMatchObject({ status: 502, code: 'http.unexpected' });
  });

  it('reports a session the server no longer knows, but not a failed sign-in', async () => {
    const unauthorized = (): Response =>
      json(401, { type: 'about:blank', title: 'Unauthorized', status: 401, code: 'auth.required' });
    let expired = 0;
    const server = fakeServer({
      'POST /api/v1/auth/login': () => json(200, { user, csrfToken: 'tok-3' }),
      'GET /api/v1/projects': unauthorized,
    });
    const api = createHttpApi({ fetch: server.fetch, onSessionExpired: () => (expired += 1) });
    await api.login('fieldworker', 'secret');
    await expect(api.listProjects()).rejects.toMatchObject({ code: 'auth.required' });
    expect(expired).toBe(1);

    const wrongPassword = createHttpApi({
      fetch: fakeServer({ 'POST /api/v1/auth/login': unauthorized }).fetch,
      onSessionExpired: () => (expired += 1),
    });
    await expect(wrongPassword.login('fieldworker', 'nope')).rejects.toBeInstanceOf(ApiProblem);
    expect(expired).toBe(1);
  });

  it('asks for cases with paging and the search text, leaving q out when empty', async () => {
    const server = fakeServer({
      'GET /api/v1/projects/p%201/cases': () => json(200, { items: [], total: 0 }),
    });
    const api = createHttpApi({ fetch: server.fetch });
    await api.listCases('p 1', { q: 'Батбаяр', limit: 50, offset: 100 });
    await api.listCases('p 1', { q: '', limit: 50, offset: 0 });
    const [first, second] = server.seen.map((s) => new URL(s.url, 'http://outpost.test'));
    expect(first?.searchParams.get('q')).toBe('Батбаяр');
    expect(first?.searchParams.get('limit')).toBe('50');
    expect(first?.searchParams.get('offset')).toBe('100');
    expect(second?.searchParams.has('q')).toBe(false);
  });

  it("asks in the app's language, whatever the browser's, so area names follow the app", async () => {
    const server = fakeServer({
      'GET /api/v1/projects/p/cases': () => json(200, { items: [], total: 0 }),
    });
    let language = 'mn';
    const api = createHttpApi({ fetch: server.fetch, language: () => language });
    await api.listCases('p', { limit: 50, offset: 0 });
    language = 'en';
    await api.listCases('p', { limit: 50, offset: 0 });
    expect(server.seen.map((s) => s.headers['accept-language'])).toEqual(['mn', 'en']);
  });
});

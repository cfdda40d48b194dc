import { describe, expect, it } from 'vitest';
import { createHttpApi, type FetchLike } from './createHttpApi.js';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly csrf: string | undefined;
  readonly body: unknown;
}

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** Answers every request from the table by "METHOD path" (query string ignored) and records it. */
function fakeServer(routes: Record<string, () => Response>): { fetch: FetchLike; seen: Seen[] } {
  const seen: Seen[] = [];
  const fetch: FetchLike = (url, init) => {
    const method = init.method ?? 'GET';
    const headers = (init.headers ?? {}) as Record<string, string>;
    seen.push({
      method,
      url,
      csrf: headers['x-csrf-token'],
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    const route = routes[`${method} ${url.split('?')[0] ?? ''}`];
    return Promise.resolve(route ? route() : json(404, { title: 'Not Found', status: 404, code: 'request.not-found' }));
  };
  return { fetch, seen };
}

const admin = { id: 'u1', username: 'admin', displayName: 'Admin', role: 'admin' };

describe('createHttpApi: two-step sign-in and administration', () => {
  it('sends the code with the password only when there is one, and reads the enrolment flag', async () => {
    const server = fakeServer({
      'POST /api/v1/auth/login': () => json(200, { user: admin, csrfToken: 't1', twoFactorEnrolmentRequired: true }),
    });
    const api = createHttpApi({ fetch: server.fetch });
    expect((await api.login('admin', 'pw')).twoFactorEnrolmentRequired).toBe(true);
    await api.login('admin', 'pw', '123456');
    expect(server.seen.map((s) => s.body)).toEqual([
      { username: 'admin', password: 'pw' },
      { username: 'admin', password: 'pw', totp: '123456' },
    ]);
  });

  it('enrols and confirms with the CSRF token of the pending session', async () => {
    const server = fakeServer({
      'POST /api/v1/auth/login': () => json(200, { user: admin, csrfToken: 't2', twoFactorEnrolmentRequired: true }),
      'POST /api/v1/auth/totp/enrol': () => json(200, { secret: 'ABCD', uri: 'otpauth://totp/x?secret=ABCD' }),
      'POST /api/v1/auth/totp/confirm': () => new Response(null, { status: 204 }),
    });
    const api = createHttpApi({ fetch: server.fetch });
    await api.login('admin', 'pw');
    expect(await api.enrolTotp()).toEqual({ secret: 'ABCD', uri: 'otpauth://totp/x?secret=ABCD' });
    await api.confirmTotp('654321');
    expect(server.seen.slice(1).map((s) => [s.url, s.csrf, s.body])).toEqual([
      ['/api/v1/auth/totp/enrol', 't2', undefined],
      ['/api/v1/auth/totp/confirm', 't2', { code: '654321' }],
    ]);
  });

  it('addresses users by name and devices by id, escaped, and pages the audit log by sequence number', async () => {
    const event = {
      seq: 5,
      at: '2026-01-01T00:00:00Z',
      actorId: 'u1',
      action: 'a',
      subject: 's',
      details: {},
      hash: 'h',
    };
    const server = fakeServer({
      'POST /api/v1/users/new%20user/disable': () => json(200, { ...admin, disabled: true, createdAt: '' }),
      'POST /api/v1/users/new%20user/totp/reset': () => new Response(null, { status: 204 }),
      'POST /api/v1/devices/d%2F1/revoke': () => new Response(null, { status: 204 }),
      'GET /api/v1/audit': () => json(200, { items: [event] }),
    });
    const api = createHttpApi({ fetch: server.fetch });
    expect((await api.setUserDisabled('new user', true)).disabled).toBe(true);
    await api.resetUserTotp('new user');
    await api.revokeDevice('d/1');
    // Details and hashes stay on the server side of the contract.
    expect(await api.listAuditEvents({ before: 6, action: 'auth.', limit: 51 })).toEqual([
      { seq: 5, at: '2026-01-01T00:00:00Z', actorId: 'u1', action: 'a', subject: 's' },
    ]);
    const audit = new URL(server.seen.at(-1)?.url ?? '', 'http://outpost.test');
    expect(Object.fromEntries(audit.searchParams)).toEqual({
      order: 'newest',
      before: '6',
      action: 'auth.',
      limit: '51',
    });
  });

  it('puts, lists and deletes project members with the CSRF token, and reads the area list', async () => {
    const member = {
      projectId: 'p1',
      userId: 'u2',
      username: 'nara',
      displayName: 'Nara',
      role: 'fieldworker',
      wholeProject: false,
      areas: [{ code: 'MN111051', level: 'khoroo', names: { en: 'Khoroo 1' } }],
      team: null,
    };
    const areas = [{ code: 'MN111051', parentCode: 'MN1110', level: 'khoroo', names: { en: 'Khoroo 1' } }];
    const server = fakeServer({
      'POST /api/v1/auth/login': () => json(200, { user: admin, csrfToken: 't3' }),
      'PUT /api/v1/projects/p1/members/u2': () => json(201, member),
      'GET /api/v1/projects/p1/members': () => json(200, { items: [member] }),
      'DELETE /api/v1/projects/p1/members/u2': () => new Response(null, { status: 204 }),
      'GET /api/v1/projects/p1/areas': () => json(200, { items: areas }),
    });
    const api = createHttpApi({ fetch: server.fetch });
    await api.login('admin', 'pw');
    expect(await api.setMember('p1', 'u2', { role: 'fieldworker', areas: ['MN111051'] })).toEqual(member);
    expect(await api.listMembers('p1')).toEqual([member]);
    await api.removeMember('p1', 'u2');
    expect(await api.listAreas('p1')).toEqual(areas);
    expect(server.seen.slice(1).map((s) => [s.method, s.url, s.csrf, s.body])).toEqual([
      ['PUT', '/api/v1/projects/p1/members/u2', 't3', { role: 'fieldworker', areas: ['MN111051'] }],
      ['GET', '/api/v1/projects/p1/members', undefined, undefined],
      ['DELETE', '/api/v1/projects/p1/members/u2', 't3', undefined],
      ['GET', '/api/v1/projects/p1/areas', undefined, undefined],
    ]);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../auth/clock.js';
import { totpCodeAt } from '../auth/totp.js';
import { addUser } from '../auth/users.js';
import type { Store } from '../storage/store.js';
import { migrate, openStore } from '../storage/store.js';
import { signIn } from '@outpost/test-kit';
import { buildApp, defaultSettings } from './app.js';

// A clock the tests move by hand, to reach idle and absolute session timeouts.
function movableClock(start = new Date('2026-11-27T08:00:00.000Z')): Clock & { advanceMinutes(m: number): void } {
  let now = start.getTime();
  return { now: () => new Date(now), advanceMinutes: (m) => (now += m * 60_000) };
}

const password = 'correct horse battery';

let dir: string;
let store: Store;
let app: FastifyInstance;
let clock: ReturnType<typeof movableClock>;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-auth-'));
  store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
  await migrate(store);
  clock = movableClock();
  for (const [username, role] of [
    ['amina', 'admin'],
    ['bolor', 'fieldworker'],
    ['chimeg', 'fieldworker'],
  ] as const) {
    const r = await addUser({ username, displayName: username, role, password }, null, clock, store);
    if (!r.ok) throw new Error(r.detail);
  }
  app = await buildApp({
    store,
    clock,
    settings: {
      ...defaultSettings,
      bodyLimitBytes: 4096,
      loginMaxFailures: 3,
      loginLockMinutes: 15,
      loginRateLimitPerMinute: 1000,
    },
  });
});

afterEach(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function cookieOf(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === 'outpost_session');
  if (!cookie) throw new Error('no session cookie');
  return `outpost_session=${cookie.value}`;
}

async function loginAs(username: string, extra: Record<string, unknown> = {}) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password, ...extra },
  });
  expect(res.statusCode).toBe(200);
  return { res, cookie: cookieOf(res), csrf: res.json<{ csrfToken: string }>().csrfToken };
}

async function countRows(table: 'sessions' | 'users'): Promise<number> {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function expectProblem(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json<{ code: string }>().code).toBe(code);
}

describe('login', () => {
  it('opens a session in an httpOnly, SameSite=Strict cookie and answers /me', async () => {
    const { res, cookie } = await loginAs('BOLOR');
    const set = res.cookies.find((c) => c.name === 'outpost_session');
    expect(set?.httpOnly).toBe(true);
    expect(set?.sameSite).toBe('Strict');
    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.json<{ user: { username: string; role: string } }>().user).toMatchObject({
      username: 'bolor',
      role: 'fieldworker',
    });
  });

  it('refuses a wrong password with the same problem as an unknown user, and writes no session', async () => {
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'bolor', password: 'nope nope nope' },
    });
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'nobody', password: 'nope nope nope' },
    });
    expectProblem(wrong, 401, 'auth.invalid-credentials');
    expectProblem(unknown, 401, 'auth.invalid-credentials');
    expect(wrong.json()).toEqual(unknown.json());
    expect(await countRows('sessions')).toBe(0);
  });

  it('locks a username after repeated failures, alike for real and unknown users, until the lock ends', async () => {
    for (const username of ['bolor', 'ghost']) {
      for (let i = 0; i < 3; i++) {
        await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username, password: 'wrong password!' },
        });
      }
    }
    const real = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'bolor', password },
    });
    const ghost = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'ghost', password },
    });
    expectProblem(real, 429, 'auth.locked');
    expectProblem(ghost, 429, 'auth.locked');
    expect(real.json()).toEqual(ghost.json());
    expect(await countRows('sessions')).toBe(0);
    clock.advanceMinutes(16);
    await loginAs('bolor');
  });

  it('treats a disabled user like a wrong password', async () => {
    const { cookie, csrf } = await signIn(app, 'amina', password, clock.now);
    const off = await app.inject({
      method: 'POST',
      url: '/api/v1/users/bolor/disable',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(off.statusCode).toBe(200);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'bolor', password },
    });
    expectProblem(res, 401, 'auth.invalid-credentials');
  });
});

describe('sessions', () => {
  it('end after the idle timeout', async () => {
    const { cookie } = await loginAs('bolor');
    clock.advanceMinutes(defaultSettings.sessionIdleMinutes + 1);
    expectProblem(
      await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } }),
      401,
      'auth.session-expired',
    );
  });

  it('end at their absolute age even when in use', async () => {
    const { cookie } = await loginAs('bolor');
    for (let minutes = 0; minutes < defaultSettings.sessionMaxHours * 60; minutes += 20) {
      clock.advanceMinutes(20);
      await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    }
    expectProblem(
      await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } }),
      401,
      'auth.session-expired',
    );
  });

  it('end at once on logout', async () => {
    const { cookie, csrf } = await loginAs('bolor');
    const out = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(out.statusCode).toBe(204);
    expectProblem(
      await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } }),
      401,
      'auth.session-expired',
    );
  });

  it('end at once when an administrator disables the user', async () => {
    const worker = await loginAs('bolor');
    const admin = await signIn(app, 'amina', password, clock.now);
    await app.inject({
      method: 'POST',
      url: '/api/v1/users/bolor/disable',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
    });
    expectProblem(
      await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: worker.cookie } }),
      401,
      'auth.session-expired',
    );
  });

  it('refuse cookie-authenticated writes without the CSRF token', async () => {
    const { cookie } = await loginAs('bolor');
    expectProblem(
      await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } }),
      403,
      'auth.csrf',
    );
    expectProblem(
      await app.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        headers: { cookie, 'x-csrf-token': 'forged-token' },
      }),
      403,
      'auth.csrf',
    );
  });
});

describe('device tokens', () => {
  it('are issued at login on a device, work as bearer tokens, and stop at once when revoked', async () => {
    const { res, cookie } = await loginAs('bolor', { device: { name: 'Tablet 7' } });
    const device = res.json<{ device: { id: string; token: string } }>().device;
    const bearer = { authorization: `Bearer ${device.token}` };
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer })).statusCode).toBe(200);

    const admin = await signIn(app, 'amina', password, clock.now);
    const revoke = await app.inject({
      method: 'POST',
      url: `/api/v1/devices/${device.id}/revoke`,
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
    });
    expect(revoke.statusCode).toBe(204);
    expectProblem(await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer }), 401, 'auth.device-revoked');
    // The browser session opened on that device ends too.
    expectProblem(
      await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } }),
      401,
      'auth.device-revoked',
    );
  });

  it('tell a device whose user was disabled to erase itself', async () => {
    const { res } = await loginAs('bolor', { device: { name: 'Tablet 9' } });
    const bearer = { authorization: `Bearer ${res.json<{ device: { token: string } }>().device.token}` };
    const admin = await signIn(app, 'amina', password, clock.now);
    await app.inject({ method: 'POST', url: '/api/v1/users/bolor/disable', headers: admin.headers });
    expectProblem(
      await app.inject({ method: 'GET', url: '/api/v1/projects', headers: bearer }),
      401,
      'auth.account-disabled',
    );
  });

  it('cannot be revoked by another field worker, who is told the device does not exist', async () => {
    const { res } = await loginAs('chimeg', { device: { name: 'Field tablet' } });
    const device = res.json<{ device: { id: string } }>().device;
    const worker = await loginAs('bolor');
    const revoke = await app.inject({
      method: 'POST',
      url: `/api/v1/devices/${device.id}/revoke`,
      headers: { cookie: worker.cookie, 'x-csrf-token': worker.csrf },
    });
    expectProblem(revoke, 404, 'request.not-found');
  });
});

describe('bad bodies', () => {
  async function postUser(payload: string, headers: Record<string, string> = {}) {
    // Each sign-in needs a fresh authenticator code: one code is never accepted twice.
    clock.advanceMinutes(1);
    const { cookie, csrf } = await signIn(app, 'amina', password, clock.now);
    const before = await countRows('users');
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload,
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json', ...headers },
    });
    expect(await countRows('users')).toBe(before);
    return res;
  }

  it('malformed JSON gets request.malformed-json and writes nothing', async () => {
    expectProblem(await postUser('{"username": "x",'), 400, 'request.malformed-json');
  });

  it('duplicate JSON keys get request.duplicate-key, even nested, and write nothing', async () => {
    const res = await postUser(
      '{"username":"tuya","displayName":"T","role":"fieldworker","role":"admin","password":"long enough pw"}',
    );
    expectProblem(res, 400, 'request.duplicate-key');
    expect(res.json<{ detail: string }>().detail).toContain('/role');
    expectProblem(await postUser('{"a":{"b":1,"b":2}}'), 400, 'request.duplicate-key');
  });

  it('oversized bodies get request.too-large before parsing and write nothing', async () => {
    expectProblem(await postUser(JSON.stringify({ username: 'x'.repeat(5000) })), 413, 'request.too-large');
  });

  it('fields outside the allow-list are refused, not ignored', async () => {
    const res = await postUser(
      JSON.stringify({ username: 'tuya', displayName: 'T', role: 'fieldworker', password: 'long enough pw', id: 'x' }),
    );
    expectProblem(res, 400, 'request.invalid');
  });

  it('a weak password is explained', async () => {
    const res = await postUser(
      JSON.stringify({ username: 'tuya', displayName: 'T', role: 'fieldworker', password: 'short' }),
    );
    expectProblem(res, 400, 'user.invalid');
    expect(res.json<{ field: string }>().field).toBe('password');
  });

  it('prototype poisoning is refused', async () => {
    expectProblem(await postUser('{"__proto__":{"admin":true}}'), 400, 'request.malformed-json');
  });

  it('a non-JSON content type is refused', async () => {
    expectProblem(
      await postUser('username=x', { 'content-type': 'application/x-www-form-urlencoded' }),
      415,
      'request.unsupported-media-type',
    );
  });
});

describe('authorization and hygiene', () => {
  it('only administrators manage users', async () => {
    const { cookie, csrf } = await loginAs('bolor');
    expectProblem(
      await app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie } }),
      403,
      'auth.forbidden',
    );
    expectProblem(
      await app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: { cookie, 'x-csrf-token': csrf },
        payload: { username: 'x1', displayName: 'x', role: 'admin', password: 'long enough pw' },
      }),
      403,
      'auth.forbidden',
    );
  });

  it('requires a login for the API', async () => {
    expectProblem(await app.inject({ method: 'GET', url: '/api/v1/projects' }), 401, 'auth.required');
    expectProblem(
      await app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { authorization: 'Bearer not-a-real-token-at-all' },
      }),
      401,
      'auth.required',
    );
  });

  it('sends security headers and no-store on API responses', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/me' });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers health and readiness', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ method: 'GET', url: '/readyz' })).json()).toMatchObject({ status: 'ready' });
  });

  it('answers unknown API paths with a problem', async () => {
    expectProblem(await app.inject({ method: 'GET', url: '/api/v1/nothing-here' }), 404, 'request.not-found');
  });
});

describe('two-factor sign-in for administrators and supervisors', () => {
  async function enrolAmina() {
    const first = await loginAs('amina');
    expect(first.res.json<{ twoFactorEnrolmentRequired: boolean }>().twoFactorEnrolmentRequired).toBe(true);
    const headers = { cookie: first.cookie, 'x-csrf-token': first.csrf };
    // Until enrolled, the session opens nothing but enrolment, /me and logout.
    expectProblem(
      await app.inject({ method: 'GET', url: '/api/v1/users', headers }),
      403,
      'auth.two-factor-enrolment-required',
    );
    const enrol = await app.inject({ method: 'POST', url: '/api/v1/auth/totp/enrol', headers });
    const { secret, uri } = enrol.json<{ secret: string; uri: string }>();
    expect(uri).toMatch(/^otpauth:\/\/totp\/Outpost:amina\?/);
    expectProblem(
      await app.inject({ method: 'POST', url: '/api/v1/auth/totp/confirm', headers, payload: { code: '000000' } }),
      400,
      'auth.totp-invalid',
    );
    const ok = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/totp/confirm',
      headers,
      payload: { code: totpCodeAt(secret, clock.now()) },
    });
    expect(ok.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/v1/users', headers })).statusCode).toBe(200);
    return secret;
  }

  it('requires enrolment, then asks for the code at every login and refuses a reused code', async () => {
    const secret = await enrolAmina();
    clock.advanceMinutes(1);
    const noCode = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'amina', password },
    });
    expectProblem(noCode, 401, 'auth.totp-required');
    const code = totpCodeAt(secret, clock.now());
    const good = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'amina', password, totp: code },
    });
    expect(good.statusCode).toBe(200);
    expect(good.json<{ twoFactorEnrolmentRequired: boolean }>().twoFactorEnrolmentRequired).toBe(false);
    const replay = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'amina', password, totp: code },
    });
    expectProblem(replay, 401, 'auth.invalid-credentials');
    // A right code with a wrong password tells nothing either.
    clock.advanceMinutes(1);
    const wrongPassword = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'amina', password: 'wrong password!', totp: totpCodeAt(secret, clock.now()) },
    });
    expectProblem(wrongPassword, 401, 'auth.invalid-credentials');
  });

  it('issues no device token before enrolment', async () => {
    const { res } = await loginAs('amina', { device: { name: 'Laptop' } });
    expect(res.json<{ device?: unknown }>().device).toBeUndefined();
  });

  it('cannot be bypassed by a reset: sessions end and the next login can only enrol', async () => {
    const secret = await enrolAmina();
    await addUser({ username: 'zaya', displayName: 'Zaya', role: 'admin', password }, null, clock, store);
    const zaya = await signIn(app, 'zaya', password, clock.now);
    clock.advanceMinutes(1);
    const amina = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'amina', password, totp: totpCodeAt(secret, clock.now()) },
    });
    const aminaCookie = cookieOf(amina);
    const reset = await app.inject({ method: 'POST', url: '/api/v1/users/amina/totp/reset', headers: zaya.headers });
    expect(reset.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: aminaCookie } })).statusCode).toBe(
      401,
    );
    const again = await loginAs('amina');
    expect(again.res.json<{ twoFactorEnrolmentRequired: boolean }>().twoFactorEnrolmentRequired).toBe(true);
    expectProblem(
      await app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie: again.cookie } }),
      403,
      'auth.two-factor-enrolment-required',
    );
  });

  it('lets field workers sign in with a password alone', async () => {
    const { res } = await loginAs('bolor');
    expect(res.json<{ twoFactorEnrolmentRequired: boolean }>().twoFactorEnrolmentRequired).toBe(false);
  });
});

describe('password policy', () => {
  it.each([
    ['short', 'at least 10 characters'],
    ['password123', 'leaked passwords'],
    ['qwertyuiop', 'leaked passwords'],
    ['tuya-is-my-name', 'must not contain the username'],
  ])('refuses %j', async (weak, why) => {
    const admin = await signIn(app, 'amina', password, clock.now);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin.headers,
      payload: { username: 'tuya', displayName: 'Tuya', role: 'fieldworker', password: weak },
    });
    expectProblem(res, 400, 'user.invalid');
    expect(res.json<{ detail: string }>().detail).toContain(why);
  });
});

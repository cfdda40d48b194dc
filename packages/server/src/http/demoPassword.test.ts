import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '@outpost/test-kit';
import { DEMO_PASSWORD } from '../auth/passwords.js';
import { addUser, retireDemoPasswordAccess } from '../auth/users.js';
import { createProject } from '../storage/queries/projects.js';
import type { Store } from '../storage/store.js';
import { migrate, openStore } from '../storage/store.js';
import { buildApp, defaultSettings } from './app.js';

// The demo password is printed in the README: an account created with it on a real server is an
// open door (issue 9). Only a server started with --demo accepts it.

const password = 'correct horse battery staple';
let dir: string;
let store: Store;
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-demo-pw-'));
  store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
  await migrate(store);
  // One administrator per app: each enrols her authenticator with the app she signs in to.
  for (const username of ['amina', 'dulmaa', 'sarnai']) {
    const added = await addUser(
      { username, displayName: username, role: 'admin', password },
      null,
      { now: () => new Date() },
      store,
    );
    if (!added.ok) throw new Error(added.detail);
  }
});

afterAll(async () => {
  for (const app of apps) await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function addThroughApi(demo: boolean, username: string, newPassword: string) {
  const app = await buildApp({ store, settings: { ...defaultSettings, demo } });
  apps.push(app);
  const { headers } = await signIn(app, demo ? 'dulmaa' : 'amina', password);
  return app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers,
    payload: { username, displayName: username, role: 'fieldworker', password: newPassword },
  });
}

describe('the demo password', () => {
  it('is refused for a new account outside --demo, in any case, and nobody is added', async () => {
    const res = await addThroughApi(false, 'tuya', DEMO_PASSWORD);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'user.demo-password', field: 'password' });
    const tuya = await store.db.selectFrom('users').select('id').where('username', '=', 'tuya').executeTakeFirst();
    expect(tuya).toBeUndefined();
    const direct = await addUser(
      { username: 'tuya', displayName: 'T', role: 'fieldworker', password: ` ${DEMO_PASSWORD.toUpperCase()}` },
      null,
      { now: () => new Date() },
      store,
    );
    expect(direct).toMatchObject({ ok: false, code: 'user.demo-password' });
  });

  it('is accepted by a server started with --demo', async () => {
    const res = await addThroughApi(true, 'demo-fw', DEMO_PASSWORD);
    expect(res.statusCode).toBe(201);
  });
});

// An account given the demo password by an earlier `--demo` start: on a server started without
// it, the password opens nothing, the tokens it opened are ended, and an admin sets a new one.
describe('an account left with the demo password', () => {
  it('is refused at login, loses its devices at start, and signs in again once an admin sets a password', async () => {
    const demoApp = await buildApp({ store, settings: { ...defaultSettings, demo: true } });
    apps.push(demoApp);
    const added = await addUser(
      { username: 'oldfw', displayName: 'Old demo worker', role: 'fieldworker', password: DEMO_PASSWORD },
      null,
      { now: () => new Date() },
      store,
      { allowDemoPassword: true },
    );
    if (!added.ok) throw new Error(added.detail);
    const demoLogin = await demoApp.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'oldfw', password: DEMO_PASSWORD, device: { name: 'tablet' } },
    });
    expect(demoLogin.statusCode).toBe(200);
    const deviceToken = demoLogin.json<{ device: { token: string } }>().device.token;

    const app = await buildApp({ store, settings: { ...defaultSettings, demo: false } });
    apps.push(app);
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'oldfw', password: DEMO_PASSWORD },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'auth.demo-password' });
    expect(refused.cookies.find((c) => c.name === 'outpost_session')).toBeUndefined();
    // ODK Collect's Basic credentials are refused the same way.
    const project = await createProject({ slug: 'old-demo', name: 'Old demo' }, store);
    const basic = await app.inject({
      method: 'GET',
      url: `/v1/projects/${project.id}/formList`,
      headers: { authorization: `Basic ${Buffer.from(`oldfw:${DEMO_PASSWORD}`).toString('base64')}` },
    });
    expect(basic.statusCode).toBe(403);
    expect(basic.json()).toMatchObject({ code: 'auth.demo-password' });

    // The start of a server without --demo ends what the password opened: the tablet's token.
    const bearer = { authorization: `Bearer ${deviceToken}` };
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer })).statusCode).toBe(200);
    const retired = await retireDemoPasswordAccess({ now: () => new Date() }, store);
    expect(retired).toContain('oldfw');
    expect(retired).not.toContain('amina');
    const afterStart = await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer });
    expect(afterStart.statusCode).toBe(401);
    expect(afterStart.json()).toMatchObject({ code: 'auth.device-revoked' });

    // An administrator sets a new password (not the demo one), and the worker signs in with it.
    const { headers } = await signIn(app, 'sarnai', password);
    const demoAgain = await app.inject({
      method: 'POST',
      url: '/api/v1/users/oldfw/password',
      headers,
      payload: { password: DEMO_PASSWORD },
    });
    expect(demoAgain.statusCode).toBe(400);
    expect(demoAgain.json()).toMatchObject({ code: 'user.demo-password' });
    const set = await app.inject({
      method: 'POST',
      url: '/api/v1/users/oldfw/password',
      headers,
      payload: { password: 'a new password for the field' },
    });
    expect(set.statusCode).toBe(200);
    const fresh = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'oldfw', password: 'a new password for the field' },
    });
    expect(fresh.statusCode).toBe(200);
    expect(await retireDemoPasswordAccess({ now: () => new Date() }, store)).not.toContain('oldfw');
  }, 60_000);
});

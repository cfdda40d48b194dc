import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '@outpost/test-kit';
import { DEMO_PASSWORD } from '../auth/passwords.js';
import { addUser } from '../auth/users.js';
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
  for (const username of ['amina', 'dulmaa']) {
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

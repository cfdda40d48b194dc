import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, defaultSettings } from '../http/app.js';
import type { Store } from '../storage/store.js';
import { migrate, openStore } from '../storage/store.js';
import { loadOrCreateServerKey, secretBox, totpContext } from './secretBox.js';
import { newTotpSecret, totpCodeAt } from './totp.js';
import { addUser } from './users.js';

const password = 'correct horse battery staple';
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'outpost-secrets-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function openTestStore(dir: string): Promise<Store> {
  const store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
  await migrate(store);
  cleanups.unshift(() => store.close());
  return store;
}

async function storedSecrets(username: string, store: Store) {
  return store.db
    .selectFrom('users')
    .select(['id', 'totp_secret', 'totp_pending_secret'])
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
}

describe('secretBox', () => {
  const box = secretBox(randomBytes(32));

  it('opens what it sealed, for the same context only', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'totp:a');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.open(sealed, 'totp:a')).toBe('JBSWY3DPEHPK3PXP');
    expect(box.open(sealed, 'totp:b')).toBeNull();
    expect(secretBox(randomBytes(32)).open(sealed, 'totp:a')).toBeNull();
    expect(box.open(`${sealed.slice(0, -2)}AA`, 'totp:a')).toBeNull();
    expect(box.open('JBSWY3DPEHPK3PXP', 'totp:a')).toBeNull();
  });

  it('keeps the server key in a 0600 file created on first start and read back after', () => {
    const dir = path.join(tempDir(), 'data');
    const key = loadOrCreateServerKey(dir);
    expect(statSync(path.join(dir, 'server.key')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(loadOrCreateServerKey(dir).equals(key)).toBe(true);
  });
});

describe('TOTP secrets at rest', () => {
  it('are stored sealed from enrolment on, and login with the code still works', async () => {
    const dir = tempDir();
    const store = await openTestStore(dir);
    const app = await buildApp({ store, settings: { ...defaultSettings, dataDir: dir } });
    cleanups.unshift(() => app.close());
    const added = await addUser(
      { username: 'amina', displayName: 'Amina', role: 'admin', password },
      null,
      { now: () => new Date() },
      store,
    );
    if (!added.ok) throw new Error(added.detail);
    const first = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'amina', password },
    });
    const headers = {
      cookie: `outpost_session=${first.cookies.find((c) => c.name === 'outpost_session')?.value ?? ''}`,
      'x-csrf-token': first.json<{ csrfToken: string }>().csrfToken,
    };
    const { secret } = (await app.inject({ method: 'POST', url: '/api/v1/auth/totp/enrol', headers })).json<{
      secret: string;
    }>();
    const pending = await storedSecrets('amina', store);
    expect(pending.totp_pending_secret).not.toBeNull();
    expect(pending.totp_pending_secret).not.toContain(secret);
    const confirmed = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/totp/confirm',
      headers,
      payload: { code: totpCodeAt(secret, new Date()) },
    });
    expect(confirmed.statusCode).toBe(204);
    const row = await storedSecrets('amina', store);
    expect(row.totp_secret).not.toBeNull();
    expect(row.totp_secret).not.toContain(secret);
    expect(secretBox(loadOrCreateServerKey(dir)).open(row.totp_secret ?? '', totpContext(row.id))).toBe(secret);

    const withCode = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'amina', password, totp: totpCodeAt(secret, new Date(Date.now() + 30_000)) },
    });
    expect(withCode.statusCode).toBe(200);
    expect(withCode.json<{ twoFactorEnrolmentRequired: boolean }>().twoFactorEnrolmentRequired).toBe(false);
  });

  it('left in plain text by an older version are sealed at start, and still open the account', async () => {
    const dir = tempDir();
    const store = await openTestStore(dir);
    const added = await addUser(
      { username: 'bolor', displayName: 'Bolor', role: 'supervisor', password },
      null,
      { now: () => new Date() },
      store,
    );
    if (!added.ok) throw new Error(added.detail);
    const secret = newTotpSecret();
    await store.db.updateTable('users').set({ totp_secret: secret }).where('id', '=', added.user.id).execute();

    const app = await buildApp({ store, settings: { ...defaultSettings, dataDir: dir } });
    cleanups.unshift(() => app.close());
    const row = await storedSecrets('bolor', store);
    expect(row.totp_secret).not.toContain(secret);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'bolor', password, totp: totpCodeAt(secret, new Date()) },
    });
    expect(res.statusCode).toBe(200);
    // A sealed value moved to another user's row does not open there.
    const other = await addUser(
      { username: 'chuluun', displayName: 'C', role: 'supervisor', password },
      null,
      { now: () => new Date() },
      store,
    );
    if (!other.ok) throw new Error(other.detail);
    await store.db.updateTable('users').set({ totp_secret: row.totp_secret }).where('id', '=', other.user.id).execute();
    const stolen = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'chuluun', password, totp: totpCodeAt(secret, new Date()) },
    });
    expect(stolen.statusCode).toBe(401);
  });
});

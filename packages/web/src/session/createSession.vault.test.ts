// The session on a tablet: the vault sealed under the password at the first sign-in, unlocking
// offline after a reload, the idle lock, the wrong-try limit, logout that erases, and the device token.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { ApiProblem } from '../transport/ApiProblem.js';
import { createMemoryApi, type MemoryApi } from '../api/createMemoryApi.js';
import type { OutpostApi } from '../api/OutpostApi.js';
import { createDraftStore } from '../forms/drafts.js';
import type { LocalStore } from '../store/LocalStore.js';
import { createMemoryStore } from '../store/memoryStore.js';
import { saveRecord } from '../store/saveRecord.js';
import { createVault, type VaultKeyRecord, type VaultKeyStore } from '../vault/index.js';
import { createSession, type SessionDevice, type SessionModel } from './createSession.js';
import { createMemoryLastUser } from './lastUserMemory.js';

const worker = { id: 'u2', username: 'dulmaa', displayName: 'Dulmaa Bold', role: 'fieldworker' };
const other = { id: 'u3', username: 'bat', displayName: 'Bat Erdene', role: 'fieldworker' };
const password = 'Хавар-2026-нууц';
const maxFailures = 3;

function memoryKeyStore(): VaultKeyStore {
  let record: VaultKeyRecord | undefined;
  return {
    load: async () => record,
    save: async (next) => void (record = next),
    clear: async () => void (record = undefined),
    close: async () => undefined,
  };
}

/**
 * One tablet: its vault keys, per-user stores and drafts outlive a session model, as IndexedDB
 * outlives a reload. `reload()` gives a fresh page (new vault object, keys not in memory).
 */
function tablet() {
  const keyStore = memoryKeyStore();
  const stores = new Map<string, LocalStore>();
  let indexedDB = new IDBFactory();
  const lastUser = createMemoryLastUser();
  const wiped: (string | null)[] = [];
  const page = () => {
    const vault = createVault({ keyStore, maxFailures });
    const device: SessionDevice = {
      vault,
      openStore(userId) {
        let store = stores.get(userId);
        if (store === undefined) {
          store = createMemoryStore(`outpost-${userId}`);
          stores.set(userId, store);
        }
        // The page closes its connection; the data stays on the tablet.
        return { ...store, close: async () => undefined };
      },
      openDrafts: (codec) => createDraftStore({ name: 'outpost-drafts', indexedDB, IDBKeyRange, codec }),
      lastUser,
      async wipe(userId) {
        wiped.push(userId);
        for (const store of stores.values()) await store.destroy();
        stores.clear();
        indexedDB = new IDBFactory();
      },
      deviceName: () => 'Chromium · Linux · 2026-11-27',
    };
    return { vault, device };
  };
  return { page, stores, lastUser, wiped, storeOf: (userId: string) => stores.get(userId) };
}

function server(): MemoryApi {
  return createMemoryApi({
    accounts: [
      { user: worker, password },
      { user: other, password: 'another-password-1' },
    ],
    projects: [],
    cases: {},
  });
}

/** The same server, seen from a tablet with no network. */
function unreachable(api: OutpostApi): OutpostApi {
  const fail = (): Promise<never> => Promise.reject(ApiProblem.unreachable(new TypeError('Failed to fetch')));
  return Object.fromEntries(Object.keys(api).map((key) => [key, fail])) as unknown as OutpostApi;
}

async function signIn(api: OutpostApi, device: SessionDevice): Promise<SessionModel> {
  const session = createSession(api, device);
  await session.restore();
  await session.login(worker.username, password);
  return session;
}

async function saveCase(session: SessionModel, name: string): Promise<void> {
  const state = session.state();
  if (state.kind !== 'signed-in' || state.device === undefined) throw new Error('not unlocked');
  await saveRecord(
    state.device.store,
    { id: 'case-1', list: 'households', properties: { name } },
    {
      instanceId: 'uuid:1',
      projectId: 'p1',
      formId: 'household_registration',
      formVersion: '1',
      xml: `<data><name>${name}</name></data>`,
      createdAt: '2026-11-27T08:00:00.000Z',
      attachments: [],
    },
    { codec: state.device.codec },
  );
}

describe('the session on a tablet, with the vault', () => {
  it('registers the device at the first sign-in and keeps its token sealed, with the user’s name only in clear', async () => {
    const api = server();
    const device = tablet();
    const session = await signIn(api, device.page().device);

    expect(session.state()).toMatchObject({ kind: 'signed-in', user: worker });
    expect(session.deviceToken()).toBe('device-token-d-1');
    await expect(api.listDevices()).resolves.toMatchObject([
      { id: 'd-1', name: 'Chromium · Linux · 2026-11-27', revokedAt: null },
    ]);
    expect(device.lastUser.saved()).toEqual(worker);
    const meta = await device.storeOf(worker.id)?.transaction('readonly', ['meta'], (tx) => tx.list('meta'));
    expect(JSON.stringify(meta)).not.toContain('device-token');
  });

  it('registers the device under the name the user gave it at sign-in', async () => {
    const api = server();
    const session = createSession(api, tablet().page().device);
    await session.restore();
    expect(session.registersDevice).toBe(true);
    await session.login(worker.username, password, undefined, 'Tablet of Bolor');
    await expect(api.listDevices()).resolves.toMatchObject([{ id: 'd-1', name: 'Tablet of Bolor' }]);
  });

  it('after a reload with no network, shows the unlock screen and opens the data with the password', async () => {
    const api = server();
    const device = tablet();
    await saveCase(await signIn(api, device.page().device), 'Ганзориг');

    const reloaded = createSession(unreachable(api), device.page().device);
    await reloaded.restore();
    expect(reloaded.state()).toEqual({ kind: 'locked', user: worker });

    await expect(reloaded.unlock('not-the-password')).resolves.toEqual({
      ok: false,
      reason: 'wrong-secret',
      triesLeft: maxFailures - 1,
    });
    expect(reloaded.state().kind).toBe('locked');
    await expect(reloaded.unlock(password)).resolves.toEqual({ ok: true });
    const state = reloaded.state();
    expect(state).toMatchObject({ kind: 'signed-in', user: worker });
    expect(reloaded.deviceToken()).toBe('device-token-d-1');
    await expect(reloaded.exportUnsent()).resolves.toContain('Ганзориг');
  });

  it('locks when the vault locks (the idle lock), and forgets the token until unlocked', async () => {
    const device = tablet();
    const { vault, device: sessionDevice } = device.page();
    const session = await signIn(server(), sessionDevice);
    vault.lock();
    expect(session.state()).toEqual({ kind: 'locked', user: worker });
    expect(session.deviceToken()).toBeNull();
    await session.unlock(password);
    expect(session.state().kind).toBe('signed-in');
  });

  it('erases the device when the last allowed try is wrong, and says why on the sign-in screen', async () => {
    const api = server();
    const device = tablet();
    await saveCase(await signIn(api, device.page().device), 'Ганзориг');
    const reloaded = createSession(api, device.page().device);
    await reloaded.restore();
    for (let left = maxFailures - 1; left > 0; left -= 1) {
      await expect(reloaded.unlock('wrong-guess')).resolves.toMatchObject({ triesLeft: left });
    }
    await expect(reloaded.unlock('wrong-guess')).resolves.toEqual({ ok: false, reason: 'destroyed' });
    expect(reloaded.state()).toEqual({ kind: 'anonymous', notice: 'destroyed' });
    expect(device.wiped).toEqual([worker.id]);
    expect(device.stores.size).toBe(0);
    expect(device.lastUser.saved()).toBeNull();

    // A fresh sign-in sets the device up again.
    const again = await signIn(api, device.page().device);
    expect(again.state().kind).toBe('signed-in');
  });

  it('counts what logout would lose, even while locked, and logout offline still erases everything', async () => {
    const api = server();
    const device = tablet();
    const session = await signIn(api, device.page().device);
    await saveCase(session, 'Ганзориг');
    const state = session.state();
    if (state.kind !== 'signed-in' || state.device === undefined) throw new Error('not unlocked');
    await state.device.drafts.save({
      id: 'uuid:draft',
      projectId: 'p1',
      formId: 'household_registration',
      version: '1',
      formTitle: 'Household registration',
      label: 'Draft',
      savedAt: '2026-11-27T09:00:00.000Z',
      xml: '<data/>',
      attachments: [],
    });
    await expect(session.unsentOnDevice()).resolves.toEqual({ outbox: 1, drafts: 1 });

    const locked = createSession(unreachable(api), device.page().device);
    await locked.restore();
    await expect(locked.unsentOnDevice()).resolves.toEqual({ outbox: 1, drafts: 1 });
    await locked.logout();
    expect(locked.state()).toEqual({ kind: 'anonymous', notice: 'signed-out' });
    expect(device.wiped).toEqual([worker.id]);
    expect(device.lastUser.saved()).toBeNull();

    const after = createSession(api, device.page().device);
    await after.restore();
    expect(after.state()).toEqual({ kind: 'anonymous' });
  });

  it('revokes its own device token on the server when logging out online', async () => {
    const api = server();
    const session = await signIn(api, tablet().page().device);
    await session.logout();
    expect(session.state()).toEqual({ kind: 'anonymous', notice: 'signed-out' });
    await api.login(worker.username, password);
    expect((await api.listDevices())[0]?.revokedAt).not.toBeNull();
  });

  it('keeps another user out while someone’s data is sealed on the device, before asking the server', async () => {
    const api = server();
    const device = tablet();
    await signIn(api, device.page().device);
    const reloaded = createSession(api, device.page().device);
    await reloaded.restore();
    reloaded.expire();
    const refusal = await reloaded.login(other.username, 'another-password-1').catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: 'device.other-user' });
    expect((await api.listDevices()).length).toBe(1);
  });

  it('after the server ended the session, signing in again as the same user keeps the data', async () => {
    const api = server();
    const device = tablet();
    const session = await signIn(api, device.page().device);
    await saveCase(session, 'Ганзориг');
    session.expire();
    expect(session.state()).toEqual({ kind: 'anonymous', notice: 'expired' });
    await session.login(worker.username, password);
    expect(session.state().kind).toBe('signed-in');
    expect(session.deviceToken()).toBe('device-token-d-2');
    await expect(session.exportUnsent()).resolves.toContain('Ганзориг');
    expect(device.wiped).toEqual([]);
  });

  it('erases the device when any request learns that the device was revoked', async () => {
    const device = tablet();
    const session = await signIn(server(), device.page().device);
    await saveCase(session, 'Ганзориг');
    session.expire('auth.device-revoked');
    await expect.poll(() => session.state()).toEqual({ kind: 'anonymous', notice: 'wiped' });
    expect(device.wiped).toEqual([worker.id]);
  });

  it('erases the device on the server’s wipe order', async () => {
    const device = tablet();
    const session = await signIn(server(), device.page().device);
    await session.erase('wiped');
    expect(session.state()).toEqual({ kind: 'anonymous', notice: 'wiped' });
    expect(device.wiped).toEqual([worker.id]);
  });
});

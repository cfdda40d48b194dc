import { describe, expect, it } from 'vitest';
import { createMemoryApi } from '../../api/createMemoryApi.js';
import { createI18n } from '../../i18n/createI18n.js';
import { problemMessage } from '../../app/problemMessage.js';
import { isAdministrator } from './isAdministrator.js';

const admin = { id: 'u1', username: 'root', displayName: 'Root', role: 'admin' };
const worker = { id: 'u2', username: 'worker', displayName: 'Worker', role: 'fieldworker' };
const tablet = {
  id: 'd1',
  name: 'Tablet 7',
  username: 'worker',
  createdAt: '2026-01-01T08:00:00Z',
  lastSeenAt: '2026-01-02T08:00:00Z',
  revokedAt: null,
};

async function signedIn(as: 'root' | 'worker') {
  const api = createMemoryApi({
    accounts: [
      { user: admin, password: 'pw', totpSecret: 'AAAA' },
      { user: worker, password: 'pw' },
    ],
    projects: [],
    cases: {},
    devices: [tablet],
    verifyTotp: () => true,
  });
  await api.login(as, 'pw', as === 'root' ? '123456' : undefined);
  return api;
}

describe('administration through the API the screens use', () => {
  it('shows the administration entry to administrators only', () => {
    expect(isAdministrator('admin')).toBe(true);
    expect(isAdministrator('supervisor')).toBe(false);
    expect(isAdministrator('no-such-role')).toBe(false);
    expect(isAdministrator(undefined)).toBe(false);
  });

  it('refuses a weak password with the rule in the user language', async () => {
    const api = await signedIn('root');
    const refusal = await api
      .addUser({ username: 'newbie', displayName: 'New', role: 'fieldworker', password: 'short' })
      .catch((e: unknown) => e);
    expect(problemMessage(createI18n({ navigatorLanguage: 'mn' }), refusal)).toEqual({
      message: 'Нууц үг дор хаяж 10 тэмдэгттэй, түгээмэл нууц үг биш, нэвтрэх нэрийг агуулаагүй байх ёстой.',
      detail: undefined,
    });
  });

  it('adds, disables and enables a user; a disabled user cannot sign in', async () => {
    const api = await signedIn('root');
    await api.addUser({ username: 'newbie', displayName: 'New', role: 'fieldworker', password: 'long enough pw' });
    await expect(
      api.addUser({ username: 'newbie', displayName: 'Again', role: 'fieldworker', password: 'long enough pw' }),
    ).rejects.toMatchObject({ code: 'user.exists' });

    expect((await api.setUserDisabled('newbie', true)).disabled).toBe(true);
    expect((await api.listUsers()).find((u) => u.username === 'newbie')?.disabled).toBe(true);
    await api.logout();
    await expect(api.login('newbie', 'long enough pw')).rejects.toMatchObject({ code: 'auth.invalid-credentials' });
  });

  it('after a two-step reset the user enrols again at the next sign-in', async () => {
    const api = await signedIn('root');
    await api.addUser({ username: 'boss', displayName: 'Boss', role: 'supervisor', password: 'long enough pw' });
    await api.resetUserTotp('boss');
    await api.logout();
    expect((await api.login('boss', 'long enough pw')).twoFactorEnrolmentRequired).toBe(true);
  });

  it('marks a revoked device as revoked, and keeps it in the list', async () => {
    const api = await signedIn('root');
    await api.revokeDevice('d1');
    const [device] = await api.listDevices();
    expect(device?.revokedAt).not.toBeNull();
  });

  it('keeps other users out of the administration calls', async () => {
    const api = await signedIn('worker');
    await expect(api.listUsers()).rejects.toMatchObject({ status: 403, code: 'auth.forbidden' });
    // Someone else's device is absent to them, as on the server; their own they may see and revoke (logout does).
    await expect(api.revokeDevice('d-unknown')).rejects.toMatchObject({ status: 404, code: 'request.not-found' });
    expect((await api.listDevices()).map((d) => d.name)).toEqual(['Tablet 7']);
    await api.revokeDevice('d1');
    expect((await api.listDevices())[0]?.revokedAt).not.toBeNull();
  });
});

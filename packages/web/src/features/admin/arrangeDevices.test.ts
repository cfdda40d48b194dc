import { describe, expect, it } from 'vitest';
import type { DeviceSummary } from '../../api/OutpostApi.js';
import { createMemoryApi } from '../../api/createMemoryApi.js';
import { arrangeDevices } from './arrangeDevices.js';

const device = (id: string, username: string, over: Partial<DeviceSummary> = {}): DeviceSummary => ({
  id,
  name: 'Chrome · Linux · 2026-11-27',
  username,
  createdAt: '2026-11-27T08:00:00Z',
  lastSeenAt: null,
  revokedAt: null,
  ...over,
});

describe('the device list', () => {
  const devices = [
    device('old', 'bolor', { revokedAt: '2026-11-28T08:00:00Z', lastSeenAt: '2026-11-28T07:00:00Z' }),
    device('a1', 'anu', { lastSeenAt: '2026-11-29T08:00:00Z' }),
    device('b1', 'bolor', { lastSeenAt: '2026-11-30T08:00:00Z' }),
    device('b2', 'bolor', { lastSeenAt: '2026-12-01T08:00:00Z' }),
    device('b3', 'bolor'),
  ];

  it('groups devices by user, in use first and most recently seen on top, revoked ones left out', () => {
    const { shown, hiddenRevoked } = arrangeDevices(devices, false);
    expect(shown.map((d) => d.id)).toEqual(['a1', 'b2', 'b1', 'b3']);
    expect(hiddenRevoked).toBe(1);
  });

  it('shows revoked devices after the ones in use when asked', () => {
    const { shown, hiddenRevoked } = arrangeDevices(devices, true);
    expect(shown.map((d) => d.id)).toEqual(['a1', 'b2', 'b1', 'b3', 'old']);
    expect(hiddenRevoked).toBe(0);
  });

  it('lets a user name their own device, and an administrator any, but no one else', async () => {
    const admin = { id: 'u1', username: 'root', displayName: 'Root', role: 'admin' };
    const worker = { id: 'u2', username: 'bolor', displayName: 'Bolor', role: 'fieldworker' };
    const other = { id: 'u3', username: 'anu', displayName: 'Anu', role: 'fieldworker' };
    const api = createMemoryApi({
      accounts: [
        { user: admin, password: 'pw', totpSecret: 'AAAA' },
        { user: worker, password: 'pw' },
        { user: other, password: 'pw' },
      ],
      projects: [],
      cases: {},
      devices: [device('b1', 'bolor')],
      verifyTotp: () => true,
    });
    await api.login('anu', 'pw');
    await expect(api.renameDevice('b1', 'Mine')).rejects.toMatchObject({ code: 'request.not-found' });
    await api.login('bolor', 'pw');
    await api.renameDevice('b1', '  Tablet of team 3 ');
    expect((await api.listDevices())[0]?.name).toBe('Tablet of team 3');
    await expect(api.renameDevice('b1', '  ')).rejects.toMatchObject({ code: 'request.invalid' });
  });
});

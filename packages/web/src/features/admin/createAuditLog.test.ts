import { describe, expect, it } from 'vitest';
import { createMemoryApi, type MemoryApi } from '../../api/createMemoryApi.js';
import { createI18n } from '../../i18n/createI18n.js';
import { auditRow } from './auditNames.js';
import { createAuditLog } from './createAuditLog.js';

const admin = { id: 'u1', username: 'root', displayName: 'Root', role: 'admin' };

/** A signed-in administrator whose actions fill the log: one login, then `count` users added. */
async function logWith(count: number): Promise<MemoryApi> {
  const api = createMemoryApi({
    accounts: [{ user: admin, password: 'pw', totpSecret: 'AAAA' }],
    projects: [],
    cases: {},
    verifyTotp: () => true,
  });
  await api.login('root', 'pw', '123456');
  for (let i = 1; i <= count; i += 1) {
    await api.addUser({
      username: `user${i}`,
      displayName: `User ${i}`,
      role: 'fieldworker',
      password: 'long enough pw',
    });
  }
  return api;
}

describe('the audit log screen model', () => {
  it('opens at the newest entry and pages back in time, and forward again', async () => {
    const log = createAuditLog(await logWith(11), 5); // 12 entries: the login and 11 users
    await log.start();
    expect(log.items().map((e) => e.seq)).toEqual([12, 11, 10, 9, 8]);
    expect(log.hasNewer()).toBe(false);
    expect(log.hasOlder()).toBe(true);

    await log.older();
    await log.older();
    expect(log.items().map((e) => e.seq)).toEqual([2, 1]);
    expect(log.items().at(-1)?.action).toBe('auth.login');
    expect(log.hasOlder()).toBe(false);

    await log.newer();
    expect(log.items().map((e) => e.seq)).toEqual([7, 6, 5, 4, 3]);
    await log.newest();
    expect(log.items()[0]?.seq).toBe(12);
  });

  it('filters by one kind of action, from the newest', async () => {
    const log = createAuditLog(await logWith(3), 5);
    await log.start();
    await log.setFilter('auth.');
    expect(log.items().map((e) => e.action)).toEqual(['auth.login']);
    await log.setFilter('user.created');
    expect(log.items().map((e) => e.seq)).toEqual([4, 3, 2]);
    await log.setFilter('');
    expect(log.items()).toHaveLength(4);
  });

  it('knows there is no older page when the log fills the page exactly', async () => {
    const log = createAuditLog(await logWith(4), 5);
    await log.start();
    expect(log.items()).toHaveLength(5);
    expect(log.hasOlder()).toBe(false);
  });

  it('reports an intact chain with its length, and a broken one with the first bad entry', async () => {
    const api = await logWith(3);
    const log = createAuditLog(api);
    await log.verify();
    expect(log.verdict()).toEqual({ ok: true, count: 4 });

    api.tamperWithAudit(3);
    await log.verify();
    expect(log.verdict()).toMatchObject({ ok: false, seq: 3 });
  });

  it('shows who did what to whom by name, in the chosen language', async () => {
    const api = await logWith(1);
    const log = createAuditLog(api);
    await log.start();
    const created = log.items()[0];
    if (!created) throw new Error('no user.created entry');
    const users = await api.listUsers();
    const row = auditRow(createI18n({ navigatorLanguage: 'mn' }), created, users, []);
    expect(row).toEqual({
      actor: 'root',
      action: 'Хэрэглэгч нэмсэн',
      code: 'user.created',
      subject: 'Хэрэглэгч user1',
    });

    const system = auditRow(
      createI18n({ navigatorLanguage: 'en' }),
      { seq: 9, at: '2026-01-01T00:00:00Z', actorId: null, action: 'form.retracted', subject: 'form:household' },
      users,
      [],
    );
    expect(system).toEqual({
      actor: 'System',
      action: 'Other action',
      code: 'form.retracted',
      subject: 'form:household',
    });
  });
});

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
  it('pages forward and back through the log, oldest first', async () => {
    const log = createAuditLog(await logWith(11), 5); // 12 entries: the login and 11 users
    await log.start();
    expect(log.items().map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(log.items()[0]?.action).toBe('auth.login');
    expect(log.hasPrevious()).toBe(false);
    expect(log.hasNext()).toBe(true);

    await log.next();
    await log.next();
    expect(log.items().map((e) => e.seq)).toEqual([11, 12]);
    expect(log.hasNext()).toBe(false);

    await log.previous();
    expect(log.items().map((e) => e.seq)).toEqual([6, 7, 8, 9, 10]);
  });

  it('jumps to the newest page, and "previous" from there continues the same pages', async () => {
    const log = createAuditLog(await logWith(11), 5);
    await log.start();
    await log.newest();
    expect(log.items().map((e) => e.seq)).toEqual([11, 12]);
    await log.previous();
    expect(log.items().map((e) => e.seq)).toEqual([6, 7, 8, 9, 10]);
  });

  it('knows there is no next page when the log fills the last page exactly', async () => {
    const log = createAuditLog(await logWith(4), 5);
    await log.start();
    expect(log.items()).toHaveLength(5);
    expect(log.hasNext()).toBe(false);
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
    const created = log.items()[1];
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
      action: 'form.retracted',
      code: 'form.retracted',
      subject: 'form:household',
    });
  });
});

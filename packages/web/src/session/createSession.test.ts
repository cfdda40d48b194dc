import { describe, expect, it } from 'vitest';
import { ApiProblem } from '../transport/ApiProblem.js';
import { createMemoryApi } from '../api/createMemoryApi.js';
import type { OutpostApi } from '../api/OutpostApi.js';
import { createI18n } from '../i18n/createI18n.js';
import { problemMessage } from '../app/problemMessage.js';
import { createSession } from './createSession.js';

const analyst = { id: 'u4', username: 'analyst', displayName: 'Analyst', role: 'analyst' };
const api = (): OutpostApi =>
  createMemoryApi({ accounts: [{ user: analyst, password: 'pw' }], projects: [], cases: {} });

describe('createSession', () => {
  it('is unknown until restored, then anonymous when the server knows nobody', async () => {
    const session = createSession(api());
    expect(session.state().kind).toBe('unknown');
    await session.restore();
    expect(session.state().kind).toBe('anonymous');
  });

  it('signs in, survives a restore, and signs out', async () => {
    const server = api();
    const session = createSession(server);
    await session.login('analyst', 'pw');
    expect(session.state()).toEqual({ kind: 'signed-in', user: analyst });

    const afterReload = createSession(server);
    await afterReload.restore();
    expect(afterReload.state()).toEqual({ kind: 'signed-in', user: analyst });

    await afterReload.logout();
    expect(afterReload.state().kind).toBe('anonymous');
  });

  it('stays anonymous on wrong credentials and hands the problem to the screen, in the chosen language', async () => {
    const session = createSession(api());
    await session.restore();
    const failure = await session.login('analyst', 'nope').catch((e: unknown) => e);
    expect(session.state().kind).toBe('anonymous');
    expect(failure).toBeInstanceOf(ApiProblem);

    const i18n = createI18n({ navigatorLanguage: 'mn' });
    expect(problemMessage(i18n, failure)).toEqual({
      message: 'Нэвтрэх нэр эсвэл нууц үг буруу байна.',
      detail: undefined,
    });
  });

  it('signs out locally even when the server cannot be reached', async () => {
    const offline: OutpostApi = {
      ...api(),
      logout: () => Promise.reject(ApiProblem.unreachable(new TypeError('Failed to fetch'))),
    };
    const session = createSession(offline);
    await session.login('analyst', 'pw');
    await session.logout();
    expect(session.state().kind).toBe('anonymous');
  });

  it('shows a generic message, never the server English, for a problem code the catalog does not know', () => {
    const i18n = createI18n({ navigatorLanguage: 'en' });
    const problem = new ApiProblem({
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
      code: 'device.revoked',
      detail: 'This device was revoked by an administrator.',
    });
    expect(problemMessage(i18n, problem)).toEqual({
      message: 'Something went wrong.',
      detail: 'This device was revoked by an administrator.',
    });
    expect(problemMessage(i18n, new Error('boom')).message).toBe('Something went wrong.');
  });
});

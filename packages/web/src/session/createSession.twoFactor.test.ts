import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { createMemoryApi, memoryTotpSecret } from '../api/createMemoryApi.js';
import { createSession } from './createSession.js';

// The authenticator app of the test: TOTP, SHA-1, 6 digits, 30 s, as the server and the phone apps use.
const authenticator = (secret: string): TOTP =>
  new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
const verifyTotp = (secret: string, code: string): boolean =>
  authenticator(secret).validate({ token: code, window: 1 }) !== null;
const codeOf = (secret: string): string => authenticator(secret).generate();
/** A code that is surely not accepted now: the current one with its last digit changed. */
const wrongCodeOf = (secret: string): string => codeOf(secret).replace(/.$/, (d) => String((Number(d) + 5) % 10));

const admin = { id: 'u1', username: 'admin', displayName: 'Admin', role: 'admin' };
const supervisor = { id: 'u2', username: 'supervisor', displayName: 'Supervisor', role: 'supervisor' };
const fieldworker = { id: 'u3', username: 'fieldworker', displayName: 'Field Worker', role: 'fieldworker' };
const enrolledSecret = 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU';

const server = () =>
  createMemoryApi({
    accounts: [
      { user: admin, password: 'pw' },
      { user: supervisor, password: 'pw', totpSecret: enrolledSecret },
      { user: fieldworker, password: 'pw' },
    ],
    projects: [],
    cases: {},
    verifyTotp,
  });

describe('two-step sign-in', () => {
  it('sends an administrator without an authenticator to enrolment, and nowhere else, until a code proves it', async () => {
    const api = server();
    const session = createSession(api);
    await session.login('admin', 'pw');
    expect(session.state()).toEqual({ kind: 'enrolment-required', user: admin });
    await expect(api.listProjects()).rejects.toMatchObject({ code: 'auth.two-factor-enrolment-required' });

    // A reload in the middle of enrolment comes back to enrolment.
    const reloaded = createSession(api);
    await reloaded.restore();
    expect(reloaded.state().kind).toBe('enrolment-required');

    const { secret, uri } = await reloaded.startEnrolment();
    expect(secret).toBe(memoryTotpSecret);
    expect(uri).toMatch(/^otpauth:\/\/totp\/.*secret=/);

    await expect(reloaded.confirmEnrolment(wrongCodeOf(secret))).rejects.toMatchObject({ code: 'auth.totp-invalid' });
    expect(reloaded.state().kind).toBe('enrolment-required');

    await reloaded.confirmEnrolment(codeOf(secret));
    expect(reloaded.state()).toEqual({ kind: 'signed-in', user: admin });
    await expect(api.listProjects()).resolves.toEqual([]);
  });

  it('asks an enrolled account for its code after the password, and signs in with it', async () => {
    const session = createSession(server());
    const refusal = await session.login('supervisor', 'pw').catch((e: unknown) => e);
    expect(refusal).toMatchObject({ status: 401, code: 'auth.totp-required' });
    expect(session.state().kind).not.toBe('signed-in');

    await expect(session.login('supervisor', 'pw', wrongCodeOf(enrolledSecret))).rejects.toMatchObject({
      code: 'auth.invalid-credentials',
    });
    await session.login('supervisor', 'pw', codeOf(enrolledSecret));
    expect(session.state()).toEqual({ kind: 'signed-in', user: supervisor });
  });

  it('after enrolment the administrator also needs the code at the next sign-in', async () => {
    const api = server();
    const session = createSession(api);
    await session.login('admin', 'pw');
    await session.confirmEnrolment(codeOf((await session.startEnrolment()).secret));
    await session.logout();

    await expect(session.login('admin', 'pw')).rejects.toMatchObject({ code: 'auth.totp-required' });
    await session.login('admin', 'pw', codeOf(memoryTotpSecret));
    expect(session.state().kind).toBe('signed-in');
  });

  it('lets a field worker in with the password alone', async () => {
    const session = createSession(server());
    await session.login('fieldworker', 'pw');
    expect(session.state()).toEqual({ kind: 'signed-in', user: fieldworker });
  });

  it('can log out during enrolment', async () => {
    const session = createSession(server());
    await session.login('admin', 'pw');
    await session.logout();
    expect(session.state().kind).toBe('anonymous');
  });
});

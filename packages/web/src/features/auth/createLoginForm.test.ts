import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { createMemoryApi } from '../../api/createMemoryApi.js';
import { createI18n } from '../../i18n/createI18n.js';
import { createSession } from '../../session/createSession.js';
import { createLoginForm } from './createLoginForm.js';

const secret = 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU';
const authenticator = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
const currentCode = (): string => authenticator.generate();

function setUp(language: 'en' | 'mn' = 'en') {
  const api = createMemoryApi({
    accounts: [
      {
        user: { id: 'u1', username: 'admin', displayName: 'Admin', role: 'admin' },
        password: 'correct horse',
        totpSecret: secret,
      },
      { user: { id: 'u2', username: 'analyst', displayName: 'Analyst', role: 'analyst' }, password: 'pw' },
    ],
    projects: [],
    cases: {},
    verifyTotp: (s, code) => new TOTP({ secret: Secret.fromBase32(s) }).validate({ token: code, window: 1 }) !== null,
  });
  const session = createSession(api);
  const i18n = createI18n({ navigatorLanguage: language });
  return { session, form: createLoginForm(session, i18n) };
}

describe('the sign-in form', () => {
  it('asks for the code once the password is right, without showing an error', async () => {
    const { session, form } = setUp();
    expect(await form.submitPassword('admin', 'correct horse')).toBe(false);
    expect(form.step()).toBe('code');
    expect(form.message()).toBeNull();
    expect(session.state().kind).not.toBe('signed-in');

    // The password is not typed again: the form kept it for this step.
    expect(await form.submitCode(currentCode())).toBe(true);
    expect(session.state().kind).toBe('signed-in');
  });

  it('accepts the code with a space in the middle, as authenticator apps show it', async () => {
    const { session, form } = setUp();
    await form.submitPassword('admin', 'correct horse');
    const code = currentCode();
    expect(await form.submitCode(`${code.slice(0, 3)} ${code.slice(3)}`)).toBe(true);
    expect(session.state().kind).toBe('signed-in');
  });

  it('says the code is wrong, not the password, and stays on the code step', async () => {
    const { form } = setUp();
    await form.submitPassword('admin', 'correct horse');
    const wrong = currentCode().replace(/.$/, (d) => String((Number(d) + 5) % 10));
    expect(await form.submitCode(wrong)).toBe(false);
    expect(form.step()).toBe('code');
    expect(form.message()?.message).toBe('That code did not work. Wait for the next code and try again.');
  });

  it('checks the code has six digits before asking the server, in the chosen language', async () => {
    const { form } = setUp('mn');
    await form.submitPassword('admin', 'correct horse');
    expect(await form.submitCode('12345')).toBe(false);
    expect(form.message()?.message).toBe('Баталгаажуулах аппын 6 оронтой кодыг оруулна уу.');
  });

  it('shows a wrong password as before, and never asks for a code then', async () => {
    const { form } = setUp('mn');
    expect(await form.submitPassword('admin', 'wrong')).toBe(false);
    expect(form.step()).toBe('password');
    expect(form.message()?.message).toBe('Нэвтрэх нэр эсвэл нууц үг буруу байна.');
  });

  it('signs in an account without an authenticator in one step', async () => {
    const { session, form } = setUp();
    expect(await form.submitPassword(' analyst ', 'pw')).toBe(true);
    expect(session.state().kind).toBe('signed-in');
  });

  it('goes back to the password step to sign in as someone else', async () => {
    const { form } = setUp();
    await form.submitPassword('admin', 'correct horse');
    form.restart();
    expect(form.step()).toBe('password');
    expect(await form.submitCode(currentCode())).toBe(false);
  });
});

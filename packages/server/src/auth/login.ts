import type { ProblemCode } from '@outpost/core';
import { isRole } from '@outpost/core';
import {
  clearLoginThrottle,
  loginThrottle,
  saveLoginThrottle,
  updateUser,
  userRowByUsername,
} from '../storage/queries/users.js';
import type { Store } from '../storage/store.js';
import { appendAuditEvent } from '../storage/queries/audit.js';
import type { Clock } from './clock.js';
import { addMinutes } from './clock.js';
import { burnDecoyVerification, isDemoPassword, verifyPassword } from './passwords.js';
import type { SecretBox } from './secretBox.js';
import { totpContext } from './secretBox.js';
import { checkTotp, roleNeedsTwoFactor } from './totp.js';
import type { Actor, SessionPolicy } from './sessions.js';
import { createSession, registerDevice } from './sessions.js';

export interface LockoutPolicy {
  maxFailures: number;
  lockMinutes: number;
}

export interface LoginInput {
  username: string;
  password: string;
  /** The 6-digit code of an enrolled authenticator, when the user has one. */
  totp: string | null;
  deviceName: string | null;
  /**
   * A server started with `--demo`: the published demo password opens its accounts. Elsewhere an
   * account that still has it (from an earlier `--demo` start) is refused: anybody knows it.
   */
  demo?: boolean;
}

export type LoginOutcome =
  | {
      ok: true;
      user: { id: string; username: string; displayName: string; role: string };
      twoFactorEnrolmentRequired: boolean;
      session: { token: string; csrfToken: string; expiresAt: Date };
      device: { id: string; token: string } | null;
    }
  | {
      ok: false;
      code: Extract<
        ProblemCode,
        'auth.invalid-credentials' | 'auth.locked' | 'auth.totp-required' | 'auth.demo-password'
      >;
    };

export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

/**
 * Check a username and password and open a session. Failures are counted per username as
 * typed, whether or not the user exists, and a disabled user fails like a wrong password: a
 * caller learns nothing about which usernames exist.
 */
export async function login(
  input: LoginInput,
  policies: { session: SessionPolicy; lockout: LockoutPolicy },
  clock: Clock,
  store: Store,
  secrets: SecretBox,
): Promise<LoginOutcome> {
  const key = normaliseUsername(input.username);
  const now = clock.now();
  const throttle = await loginThrottle(key, store);
  if (throttle?.locked_until && new Date(throttle.locked_until) > now) {
    await appendAuditEvent({ actorId: null, action: 'auth.login-locked', subject: null, details: {} }, store);
    return { ok: false, code: 'auth.locked' };
  }

  const user = await userRowByUsername(key, store);
  let valid = false;
  if (user) valid = (await verifyPassword(user.password_hash, input.password)) && user.disabled_at === null;
  else await burnDecoyVerification(input.password);

  if (!valid || !user) {
    await recordFailure(key, user?.id ?? null, policies.lockout, now, store);
    return { ok: false, code: 'auth.invalid-credentials' };
  }
  if (input.demo !== true && (await refuseDemoPassword(user.id, input.password, store))) {
    return { ok: false, code: 'auth.demo-password' };
  }

  // The second factor is asked for only after the password was right, and a wrong code counts
  // as a failed login like a wrong password.
  let totpStep: number | null = null;
  if (user.totp_secret !== null) {
    if (input.totp === null) return { ok: false, code: 'auth.totp-required' };
    // A seed that does not open under this server's key (a lost key file) fails like a wrong code.
    const seed = secrets.open(user.totp_secret, totpContext(user.id));
    const check = seed === null ? ({ ok: false } as const) : checkTotp(seed, input.totp, user.totp_last_step, now);
    if (!check.ok) {
      await recordFailure(key, user.id, policies.lockout, now, store);
      return { ok: false, code: 'auth.invalid-credentials' };
    }
    totpStep = check.step;
  }
  // A role that needs two-factor sign-in but has not enrolled gets a session that can only enrol.
  const twoFactorOk = user.totp_secret !== null || !roleNeedsTwoFactor(user.role);

  const found = user;
  return store.transaction(async (tx) => {
    await clearLoginThrottle(key, tx);
    if (totpStep !== null) {
      await updateUser(found.id, { totp_last_step: totpStep }, tx);
    }
    // No device token before the second factor is in place: it would outlive the restriction.
    const device =
      input.deviceName === null || !twoFactorOk
        ? null
        : await registerDevice({ userId: found.id, name: input.deviceName }, clock, tx);
    const session = await createSession(
      { userId: found.id, deviceId: device?.deviceId ?? null, twoFactorOk },
      policies.session,
      clock,
      tx,
    );
    await appendAuditEvent(
      {
        actorId: found.id,
        action: 'auth.login',
        subject: `user:${found.id}`,
        details: { device: device?.deviceId ?? null },
      },
      tx,
    );
    if (device) {
      await appendAuditEvent(
        { actorId: found.id, action: 'device.registered', subject: `device:${device.deviceId}`, details: {} },
        tx,
      );
    }
    return {
      ok: true as const,
      user: { id: found.id, username: found.username, displayName: found.display_name, role: found.role },
      twoFactorEnrolmentRequired: !twoFactorOk,
      session,
      device: device ? { id: device.deviceId, token: device.token } : null,
    };
  });
}

/**
 * True (and audited) when the right password is the published demo password on a server not
 * started with `--demo`. The account is refused rather than asked to choose a new password: whoever
 * signed in first with the password everybody knows would choose it.
 */
async function refuseDemoPassword(userId: string, password: string, store: Store): Promise<boolean> {
  if (!isDemoPassword(password)) return false;
  await appendAuditEvent(
    { actorId: userId, action: 'auth.login-failed', subject: `user:${userId}`, details: { demoPassword: true } },
    store,
  );
  return true;
}

async function recordFailure(
  key: string,
  userId: string | null,
  lockout: LockoutPolicy,
  now: Date,
  store: Store,
): Promise<void> {
  await store.transaction(async (tx) => {
    const current = await loginThrottle(key, tx);
    const windowOpen = current && addMinutes(new Date(current.window_started_at), lockout.lockMinutes) > now;
    const failures = windowOpen ? current.failures + 1 : 1;
    const lockedUntil = failures >= lockout.maxFailures ? addMinutes(now, lockout.lockMinutes).toISOString() : null;
    const row = {
      failures,
      window_started_at: windowOpen ? current.window_started_at : now.toISOString(),
      locked_until: lockedUntil,
    };
    await saveLoginThrottle({ username: key, ...row }, current !== undefined, tx);
    await appendAuditEvent(
      {
        actorId: userId,
        action: 'auth.login-failed',
        subject: null,
        details: { locked: lockedUntil !== null },
      },
      tx,
    );
  });
}

/**
 * HTTP Basic credentials (OpenRosa clients, as ODK Central accepts them): the same throttle,
 * password check and failure count as `login`, but no session is opened. A user with a second
 * factor, or whose role needs one, cannot sign in this way: Basic has nowhere to carry the code.
 */
export async function checkBasicCredentials(
  username: string,
  password: string,
  lockout: LockoutPolicy,
  clock: Clock,
  store: Store,
  demo = false,
): Promise<
  { ok: true; actor: Actor } | { ok: false; code: 'auth.invalid-credentials' | 'auth.locked' | 'auth.demo-password' }
> {
  const key = normaliseUsername(username);
  const now = clock.now();
  const throttle = await loginThrottle(key, store);
  if (throttle?.locked_until && new Date(throttle.locked_until) > now) return { ok: false, code: 'auth.locked' };
  const user = await userRowByUsername(key, store);
  let valid = false;
  if (user) valid = (await verifyPassword(user.password_hash, password)) && user.disabled_at === null;
  else await burnDecoyVerification(password);
  if (!valid || !user) {
    await recordFailure(key, user?.id ?? null, lockout, now, store);
    return { ok: false, code: 'auth.invalid-credentials' };
  }
  if (user.totp_secret !== null || roleNeedsTwoFactor(user.role) || !isRole(user.role)) {
    return { ok: false, code: 'auth.invalid-credentials' };
  }
  if (!demo && (await refuseDemoPassword(user.id, password, store))) return { ok: false, code: 'auth.demo-password' };
  return {
    ok: true,
    actor: {
      userId: user.id,
      username: user.username,
      displayName: user.display_name,
      role: user.role,
      via: 'session',
      sessionId: null,
      deviceId: null,
      csrfToken: null,
      twoFactorPending: false,
    },
  };
}

import type { Role } from '@outpost/core';
import { isRole } from '@outpost/core';
import {
  findDeviceByTokenDigest,
  findSessionByDigest,
  insertDevice,
  insertSession,
  revokeDeviceAndSessions,
  revokeDevicesOfUser,
  revokeSessionRow,
  revokeSessionsOfUser,
  setDeviceName,
  setSessionTwoFactorOk,
  touchDevice,
  touchSession,
} from '../storage/queries/sessions.js';
import type { Store } from '../storage/store.js';
import type { Clock } from './clock.js';
import { addMinutes } from './clock.js';
import { newId, newToken, tokenDigest } from './tokens.js';

export interface SessionPolicy {
  idleMinutes: number;
  maxHours: number;
}

/** Who is making a request, as far as authentication can tell. */
export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  via: 'session' | 'device-token' | 'feed-key';
  sessionId: string | null;
  deviceId: string | null;
  csrfToken: string | null;
  /** True while a role that needs two-factor sign-in has not enrolled: only enrolment is allowed. */
  twoFactorPending: boolean;
}

export type Resolution =
  { ok: true; actor: Actor } | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'disabled' | 'device-revoked' };

export async function createSession(
  input: { userId: string; deviceId: string | null; twoFactorOk: boolean },
  policy: SessionPolicy,
  clock: Clock,
  store: Store,
): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = newToken();
  const csrfToken = newToken();
  const now = clock.now();
  const expiresAt = addMinutes(now, policy.maxHours * 60);
  await insertSession(
    {
      id: tokenDigest(token),
      user_id: input.userId,
      device_id: input.deviceId,
      csrf_token: csrfToken,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: expiresAt.toISOString(),
      revoked_at: null,
      mfa_ok: input.twoFactorOk ? 1 : 0,
    },
    store,
  );
  return { token, csrfToken, expiresAt };
}

// Writing last_seen_at on every request would turn every read into a write; a minute's
// resolution is plenty for an idle timeout counted in minutes.
const touchResolutionMs = 60_000;

export async function resolveSessionToken(
  token: string,
  policy: SessionPolicy,
  clock: Clock,
  store: Store,
): Promise<Resolution> {
  const row = await findSessionByDigest(tokenDigest(token), store);
  if (!row) return { ok: false, reason: 'unknown' };
  // A disabled account (whose devices and sessions were revoked with it) is reported as such;
  // a revoked device too (its sessions were revoked with it), so the app wipes.
  if (row.disabled_at !== null) return { ok: false, reason: 'disabled' };
  if (row.device_revoked_at !== null && row.device_revoked_at !== undefined)
    return { ok: false, reason: 'device-revoked' };
  if (row.revoked_at !== null) return { ok: false, reason: 'revoked' };
  const now = clock.now();
  const lastSeen = new Date(row.last_seen_at);
  if (now >= new Date(row.expires_at) || now >= addMinutes(lastSeen, policy.idleMinutes)) {
    return { ok: false, reason: 'expired' };
  }
  if (now.getTime() - lastSeen.getTime() > touchResolutionMs) {
    await touchSession(row.sessionId, now.toISOString(), store);
  }
  if (!isRole(row.role)) return { ok: false, reason: 'disabled' };
  return {
    ok: true,
    actor: {
      userId: row.userId,
      username: row.username,
      displayName: row.display_name,
      role: row.role,
      via: 'session',
      sessionId: row.sessionId,
      deviceId: row.device_id,
      csrfToken: row.csrf_token,
      twoFactorPending: row.mfa_ok === 0,
    },
  };
}

export async function resolveDeviceToken(token: string, clock: Clock, store: Store): Promise<Resolution> {
  const row = await findDeviceByTokenDigest(tokenDigest(token), store);
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.disabled_at !== null) return { ok: false, reason: 'disabled' };
  if (row.revoked_at !== null) return { ok: false, reason: 'device-revoked' };
  if (!isRole(row.role)) return { ok: false, reason: 'disabled' };
  const now = clock.now();
  if (row.last_seen_at === null || now.getTime() - new Date(row.last_seen_at).getTime() > touchResolutionMs) {
    await touchDevice(row.deviceId, now.toISOString(), store);
  }
  return {
    ok: true,
    actor: {
      userId: row.userId,
      username: row.username,
      displayName: row.display_name,
      role: row.role,
      via: 'device-token',
      sessionId: null,
      deviceId: row.deviceId,
      csrfToken: null,
      twoFactorPending: false,
    },
  };
}

export async function revokeSession(sessionId: string, clock: Clock, store: Store): Promise<void> {
  await revokeSessionRow(sessionId, clock.now().toISOString(), store);
}

export async function revokeUserSessions(userId: string, clock: Clock, store: Store): Promise<void> {
  await revokeSessionsOfUser(userId, clock.now().toISOString(), store);
}

export async function registerDevice(
  input: { userId: string; name: string },
  clock: Clock,
  store: Store,
): Promise<{ deviceId: string; token: string }> {
  const token = newToken();
  const deviceId = newId();
  await insertDevice(
    {
      id: deviceId,
      user_id: input.userId,
      name: input.name,
      token_hash: tokenDigest(token),
      created_at: clock.now().toISOString(),
      last_seen_at: null,
      revoked_at: null,
    },
    store,
  );
  return { deviceId, token };
}

/** Revoking a device ends its token and every session opened on it, at once. */
export async function revokeDevice(deviceId: string, clock: Clock, store: Store): Promise<boolean> {
  return revokeDeviceAndSessions(deviceId, clock.now().toISOString(), store);
}

/**
 * Revokes every device of a user (disabling the account): enabling it again later must not bring
 * old tablets back; each device wipes at its next contact and signs in afresh.
 */
export async function revokeUserDevices(userId: string, clock: Clock, store: Store): Promise<void> {
  await revokeDevicesOfUser(userId, clock.now().toISOString(), store);
}

/** After a successful enrolment the current session becomes a full one. */
export async function markSessionTwoFactorOk(sessionId: string, store: Store): Promise<void> {
  await setSessionTwoFactorOk(sessionId, store);
}

/** Gives a device the name its user or an administrator chose; false when there is no such device. */
export async function renameDevice(deviceId: string, name: string, store: Store): Promise<boolean> {
  return setDeviceName(deviceId, name, store);
}

import { sql } from 'kysely';
import type { Insertable } from 'kysely';
import type { DevicesTable, SessionsTable } from '../schema.js';
import type { Store } from '../store.js';

/** A session with its user and device, as authentication reads it by the token's digest. */
export interface SessionLookupRow {
  sessionId: string;
  csrf_token: string;
  last_seen_at: string;
  expires_at: string;
  revoked_at: string | null;
  device_id: string | null;
  mfa_ok: number;
  device_revoked_at: string | null;
  userId: string;
  username: string;
  display_name: string;
  role: string;
  disabled_at: string | null;
}

/** A device with its user, as authentication reads it by the device token's digest. */
export interface DeviceTokenRow {
  deviceId: string;
  revoked_at: string | null;
  last_seen_at: string | null;
  userId: string;
  username: string;
  display_name: string;
  role: string;
  disabled_at: string | null;
}

export async function insertSession(row: Insertable<SessionsTable>, store: Store): Promise<void> {
  await store.db.insertInto('sessions').values(row).execute();
}

export async function findSessionByDigest(digest: string, store: Store): Promise<SessionLookupRow | undefined> {
  const row = await store.db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .leftJoin('devices', 'devices.id', 'sessions.device_id')
    .select([
      'sessions.id as sessionId',
      'sessions.csrf_token',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'sessions.revoked_at',
      'sessions.device_id',
      'sessions.mfa_ok',
      'devices.revoked_at as device_revoked_at',
      'users.id as userId',
      'users.username',
      'users.display_name',
      'users.role',
      'users.disabled_at',
    ])
    .where('sessions.id', '=', digest)
    .executeTakeFirst();
  return row && { ...row, device_revoked_at: row.device_revoked_at ?? null };
}

export async function touchSession(sessionId: string, at: string, store: Store): Promise<void> {
  await store.db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', sessionId).execute();
}

export async function findDeviceByTokenDigest(digest: string, store: Store): Promise<DeviceTokenRow | undefined> {
  return store.db
    .selectFrom('devices')
    .innerJoin('users', 'users.id', 'devices.user_id')
    .select([
      'devices.id as deviceId',
      'devices.revoked_at',
      'devices.last_seen_at',
      'users.id as userId',
      'users.username',
      'users.display_name',
      'users.role',
      'users.disabled_at',
    ])
    .where('devices.token_hash', '=', digest)
    .executeTakeFirst();
}

export async function touchDevice(deviceId: string, at: string, store: Store): Promise<void> {
  await store.db.updateTable('devices').set({ last_seen_at: at }).where('id', '=', deviceId).execute();
}

export async function revokeSessionRow(sessionId: string, at: string, store: Store): Promise<void> {
  await store.db
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function revokeSessionsOfUser(userId: string, at: string, store: Store): Promise<void> {
  await store.db
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function insertDevice(row: Insertable<DevicesTable>, store: Store): Promise<void> {
  await store.db.insertInto('devices').values(row).execute();
}

/** Revokes a device and every session opened on it in one transaction; false when none was live. */
export async function revokeDeviceAndSessions(deviceId: string, at: string, store: Store): Promise<boolean> {
  return store.transaction(async (tx) => {
    const result = await tx.db
      .updateTable('devices')
      .set({ revoked_at: at })
      .where('id', '=', deviceId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    await tx.db
      .updateTable('sessions')
      .set({ revoked_at: at })
      .where('device_id', '=', deviceId)
      .where('revoked_at', 'is', null)
      .execute();
    return Number(result.numUpdatedRows) > 0;
  });
}

export async function revokeDevicesOfUser(userId: string, at: string, store: Store): Promise<void> {
  await store.db
    .updateTable('devices')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function setSessionTwoFactorOk(sessionId: string, store: Store): Promise<void> {
  await store.db.updateTable('sessions').set({ mfa_ok: 1 }).where('id', '=', sessionId).execute();
}

export async function setDeviceName(deviceId: string, name: string, store: Store): Promise<boolean> {
  const result = await store.db.updateTable('devices').set({ name }).where('id', '=', deviceId).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export interface DeviceListRow {
  id: string;
  name: string;
  created_at: string;
  last_seen_at: string | null;
  revoked_at: string | null;
  username: string;
}

/** Devices, newest first (at most 500): one user's, or everybody's when `userId` is null. */
export async function listDevices(userId: string | null, store: Store): Promise<DeviceListRow[]> {
  let query = store.db
    .selectFrom('devices')
    .innerJoin('users', 'users.id', 'devices.user_id')
    .select([
      'devices.id',
      'devices.name',
      'devices.created_at',
      'devices.last_seen_at',
      'devices.revoked_at',
      'users.username',
    ])
    .orderBy('devices.created_at', 'desc')
    .limit(500);
  if (userId !== null) query = query.where('devices.user_id', '=', userId);
  return query.execute();
}

export async function findDeviceOwner(
  deviceId: string,
  store: Store,
): Promise<{ id: string; user_id: string } | undefined> {
  return store.db.selectFrom('devices').select(['id', 'user_id']).where('id', '=', deviceId).executeTakeFirst();
}

/** A cheap query that fails unless the database answers and its schema is migrated. */
export async function checkSchemaReady(store: Store): Promise<void> {
  await sql`select 1 from users where 1 = 0`.execute(store.db);
}

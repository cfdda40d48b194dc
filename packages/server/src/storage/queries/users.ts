import type { Insertable, Selectable, Updateable } from 'kysely';
import type { LoginThrottlesTable, UsersTable } from '../schema.js';
import type { Store } from '../store.js';

export type UserRow = Selectable<UsersTable>;
export type LoginThrottleRow = Selectable<LoginThrottlesTable>;

export async function insertUser(row: Insertable<UsersTable>, store: Store): Promise<void> {
  await store.db.insertInto('users').values(row).execute();
}

/** The stored user with this (already normalised) username. */
export async function userRowByUsername(username: string, store: Store): Promise<UserRow | undefined> {
  return store.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function userRowById(userId: string, store: Store): Promise<UserRow | undefined> {
  return store.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
}

/** A user's role (as stored), or undefined when there is no such user. */
export async function userRole(userId: string, store: Store): Promise<string | undefined> {
  const row = await store.db.selectFrom('users').select('role').where('id', '=', userId).executeTakeFirst();
  return row?.role;
}

export async function listUserRows(store: Store): Promise<UserRow[]> {
  return store.db.selectFrom('users').selectAll().orderBy('username').execute();
}

/** Changes columns of one user (password hash, disabled, second-factor secrets and step). */
export async function updateUser(userId: string, changes: Updateable<UsersTable>, store: Store): Promise<void> {
  await store.db.updateTable('users').set(changes).where('id', '=', userId).execute();
}

export async function loginThrottle(username: string, store: Store): Promise<LoginThrottleRow | undefined> {
  return store.db.selectFrom('login_throttles').selectAll().where('username', '=', username).executeTakeFirst();
}

/** Writes a username's failure count (insert or update). */
export async function saveLoginThrottle(row: LoginThrottleRow, exists: boolean, store: Store): Promise<void> {
  if (exists) {
    const { username, ...rest } = row;
    await store.db.updateTable('login_throttles').set(rest).where('username', '=', username).execute();
  } else {
    await store.db.insertInto('login_throttles').values(row).execute();
  }
}

export async function clearLoginThrottle(username: string, store: Store): Promise<void> {
  await store.db.deleteFrom('login_throttles').where('username', '=', username).execute();
}

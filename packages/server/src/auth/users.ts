import type { ProblemCode, Role } from '@outpost/core';
import { isRole, roles } from '@outpost/core';
import { insertUser, listUserRows, updateUser, userRowByUsername } from '../storage/queries/users.js';
import type { Store } from '../storage/store.js';
import { isUniqueViolation } from '../storage/store.js';
import { appendAuditEvent } from '../storage/queries/audit.js';
import type { Clock } from './clock.js';
import { normaliseUsername } from './login.js';
import { checkPasswordRules, DEMO_PASSWORD, hashPassword, isDemoPassword, verifyPassword } from './passwords.js';
import { revokeUserDevices, revokeUserSessions } from './sessions.js';
import { newId } from './tokens.js';

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

export type UserResult =
  | { ok: true; user: UserView }
  | {
      ok: false;
      code: Extract<ProblemCode, 'user.invalid' | 'user.demo-password' | 'user.exists' | 'request.not-found'>;
      detail: string;
      field?: string;
    };

const usernamePattern = /^[a-z0-9][a-z0-9._-]{1,63}$/;

export interface NewUserOptions {
  /** Only a server started with `--demo` (and its seed) may give an account the demo password. */
  allowDemoPassword?: boolean;
}

export function checkNewUser(
  input: {
    username: string;
    displayName: string;
    role: string;
    password: string;
  },
  options: NewUserOptions = {},
):
  { ok: true; role: Role } | { ok: false; code: 'user.invalid' | 'user.demo-password'; field: string; detail: string } {
  const username = normaliseUsername(input.username);
  if (!usernamePattern.test(username)) {
    return {
      ok: false,
      code: 'user.invalid',
      field: 'username',
      detail:
        'The username must be 2–64 characters: Latin letters, digits, dot, dash or underscore, starting with a letter or digit.',
    };
  }
  const displayName = input.displayName.trim();
  if (displayName.length === 0 || displayName.length > 200) {
    return {
      ok: false,
      code: 'user.invalid',
      field: 'displayName',
      detail: 'The display name must have 1–200 characters.',
    };
  }
  if (!isRole(input.role)) {
    return {
      ok: false,
      code: 'user.invalid',
      field: 'role',
      detail: `The role must be one of ${roles.join(', ')}; got "${input.role}".`,
    };
  }
  if (isDemoPassword(input.password) && options.allowDemoPassword !== true) {
    return {
      ok: false,
      code: 'user.demo-password',
      field: 'password',
      detail: 'This is the published demo password; it is accepted only on a server started with --demo.',
    };
  }
  const passwordProblem = checkPasswordRules(input.password, username);
  if (passwordProblem) return { ok: false, code: 'user.invalid', field: 'password', detail: passwordProblem };
  return { ok: true, role: input.role };
}

export async function addUser(
  input: { username: string; displayName: string; role: string; password: string },
  actorId: string | null,
  clock: Clock,
  store: Store,
  options: NewUserOptions = {},
): Promise<UserResult> {
  const check = checkNewUser(input, options);
  if (!check.ok) return { ok: false, code: check.code, detail: check.detail, field: check.field };
  const passwordHash = await hashPassword(input.password);
  const user = {
    id: newId(),
    username: normaliseUsername(input.username),
    display_name: input.displayName.trim(),
    password_hash: passwordHash,
    role: check.role,
    disabled_at: null,
    locked_until: null,
    totp_secret: null,
    created_at: clock.now().toISOString(),
  };
  try {
    await store.transaction(async (tx) => {
      await insertUser(user, tx);
      await appendAuditEvent(
        { actorId, action: 'user.created', subject: `user:${user.id}`, details: { role: user.role } },
        tx,
      );
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      return {
        ok: false,
        code: 'user.exists',
        detail: `A user named "${user.username}" already exists.`,
        field: 'username',
      };
    }
    throw err;
  }
  return { ok: true, user: toView(user) };
}

export async function setUserDisabled(
  username: string,
  disabled: boolean,
  actorId: string | null,
  clock: Clock,
  store: Store,
): Promise<UserResult> {
  return store.transaction(async (tx) => {
    const key = normaliseUsername(username);
    const row = await userRowByUsername(key, tx);
    if (!row) return { ok: false, code: 'request.not-found', detail: `No user named "${key}".` };
    const now = clock.now().toISOString();
    await updateUser(row.id, { disabled_at: disabled ? now : null }, tx);
    // A disabled user's sessions end now, not at their next timeout, and her devices are revoked
    // for good: enabling the account again does not revive their tokens.
    if (disabled) {
      await revokeUserSessions(row.id, clock, tx);
      await revokeUserDevices(row.id, clock, tx);
    }
    await appendAuditEvent(
      { actorId, action: disabled ? 'user.disabled' : 'user.enabled', subject: `user:${row.id}`, details: {} },
      tx,
    );
    return { ok: true, user: toView({ ...row, disabled_at: disabled ? now : null }) };
  });
}

/**
 * An administrator gives a user a new password (a forgotten one, or the demo password refused at
 * login outside `--demo`). The rules of a new account's password apply; the user's sessions end
 * and her devices are revoked, since whoever knew the old password may hold them. Audited.
 */
export async function setUserPassword(
  username: string,
  password: string,
  actorId: string | null,
  clock: Clock,
  store: Store,
  options: NewUserOptions = {},
): Promise<UserResult> {
  const key = normaliseUsername(username);
  if (isDemoPassword(password) && options.allowDemoPassword !== true) {
    return {
      ok: false,
      code: 'user.demo-password',
      field: 'password',
      detail: 'This is the published demo password; it is accepted only on a server started with --demo.',
    };
  }
  const passwordProblem = checkPasswordRules(password, key);
  if (passwordProblem) return { ok: false, code: 'user.invalid', field: 'password', detail: passwordProblem };
  const passwordHash = await hashPassword(password);
  return store.transaction(async (tx) => {
    const row = await userRowByUsername(key, tx);
    if (!row) return { ok: false, code: 'request.not-found', detail: `No user named "${key}".` };
    await updateUser(row.id, { password_hash: passwordHash }, tx);
    await revokeUserSessions(row.id, clock, tx);
    await revokeUserDevices(row.id, clock, tx);
    await appendAuditEvent({ actorId, action: 'user.password-set', subject: `user:${row.id}`, details: {} }, tx);
    return { ok: true, user: toView(row) };
  });
}

/**
 * On a server started without `--demo`: the accounts that still have the demo password (from an
 * earlier `--demo` start) lose their sessions and devices, which anybody could have opened with
 * the password everybody knows; logging in with it is refused from then on (see `login`). Runs
 * once at start, in the background: one password check per account. Returns the usernames.
 */
export async function retireDemoPasswordAccess(clock: Clock, store: Store): Promise<string[]> {
  const users = await listUserRows(store);
  const retired: string[] = [];
  for (const user of users) {
    if (!(await verifyPassword(user.password_hash, DEMO_PASSWORD))) continue;
    await store.transaction(async (tx) => {
      await revokeUserSessions(user.id, clock, tx);
      await revokeUserDevices(user.id, clock, tx);
      await appendAuditEvent(
        { actorId: null, action: 'user.demo-password-retired', subject: `user:${user.id}`, details: {} },
        tx,
      );
    });
    retired.push(user.username);
  }
  return retired;
}

/** The user with this username (compared as stored: lower-cased), if any. */
export async function findUserByUsername(username: string, store: Store): Promise<UserView | undefined> {
  const row = await userRowByUsername(normaliseUsername(username), store);
  return row === undefined ? undefined : toView(row);
}

export async function listUsers(store: Store): Promise<UserView[]> {
  const rows = await listUserRows(store);
  return rows.map(toView);
}

function toView(row: {
  id: string;
  username: string;
  display_name: string;
  role: string;
  disabled_at: string | null;
  created_at: string;
}): UserView {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: isRole(row.role) ? row.role : 'fieldworker',
    disabled: row.disabled_at !== null,
    createdAt: row.created_at,
  };
}

import type { ProblemCode } from '@outpost/core';
import { updateUser, userRowById, userRowByUsername } from '../storage/queries/users.js';
import type { Store } from '../storage/store.js';
import { appendAuditEvent } from '../storage/queries/audit.js';
import type { Clock } from './clock.js';
import { normaliseUsername } from './login.js';
import { markSessionTwoFactorOk, revokeUserSessions } from './sessions.js';
import type { SecretBox } from './secretBox.js';
import { totpContext } from './secretBox.js';
import { checkTotp, newTotpSecret, totpUri } from './totp.js';

type Failure<C extends ProblemCode> = { ok: false; code: C };

/** Start enrolment: a new secret is kept pending until proven by a first code. */
export async function beginTotpEnrolment(
  userId: string,
  store: Store,
  secrets: SecretBox,
): Promise<{ ok: true; secret: string; uri: string } | Failure<'auth.totp-already-enrolled'>> {
  const user = await userRowById(userId, store);
  if (!user) throw new Error(`No user ${userId}`);
  if (user.totp_secret !== null) return { ok: false, code: 'auth.totp-already-enrolled' };
  const secret = newTotpSecret();
  await updateUser(userId, { totp_pending_secret: secrets.seal(secret, totpContext(userId)) }, store);
  return { ok: true, secret, uri: totpUri(secret, user.username) };
}

/** Finish enrolment with a code from the new authenticator; the session becomes a full one. */
export async function confirmTotpEnrolment(
  input: { userId: string; sessionId: string | null; code: string },
  clock: Clock,
  store: Store,
  secrets: SecretBox,
): Promise<{ ok: true } | Failure<'auth.totp-invalid' | 'auth.totp-already-enrolled'>> {
  return store.transaction(async (tx) => {
    const user = await userRowById(input.userId, tx);
    if (!user) throw new Error(`No user ${input.userId}`);
    if (user.totp_secret !== null) return { ok: false, code: 'auth.totp-already-enrolled' };
    if (user.totp_pending_secret === null) return { ok: false, code: 'auth.totp-invalid' };
    const pending = secrets.open(user.totp_pending_secret, totpContext(input.userId));
    if (pending === null) return { ok: false, code: 'auth.totp-invalid' };
    const check = checkTotp(pending, input.code, null, clock.now());
    if (!check.ok) return { ok: false, code: 'auth.totp-invalid' };
    await updateUser(
      input.userId,
      { totp_secret: user.totp_pending_secret, totp_pending_secret: null, totp_last_step: check.step },
      tx,
    );
    if (input.sessionId !== null) await markSessionTwoFactorOk(input.sessionId, tx);
    await appendAuditEvent(
      { actorId: input.userId, action: 'auth.totp-enrolled', subject: `user:${input.userId}`, details: {} },
      tx,
    );
    return { ok: true };
  });
}

/**
 * An administrator's reset for a lost authenticator. It cannot be used to skip the second
 * factor: the user's sessions end, and the next login (password first) gets a session that can
 * only enrol a new authenticator.
 */
export async function resetTotp(
  username: string,
  actorId: string | null,
  clock: Clock,
  store: Store,
): Promise<{ ok: true } | Failure<'request.not-found'>> {
  return store.transaction(async (tx) => {
    const user = await userRowByUsername(normaliseUsername(username), tx);
    if (!user) return { ok: false, code: 'request.not-found' };
    await updateUser(user.id, { totp_secret: null, totp_pending_secret: null, totp_last_step: null }, tx);
    await revokeUserSessions(user.id, clock, tx);
    await appendAuditEvent({ actorId, action: 'auth.totp-reset', subject: `user:${user.id}`, details: {} }, tx);
    return { ok: true };
  });
}

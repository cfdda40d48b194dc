import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Problem, WipeDirective } from '@outpost/core';
import { ProblemError, problem } from '@outpost/core';
import type { Actor } from '../auth/sessions.js';
import { tokenDigest } from '../auth/tokens.js';
import { requireActor, sessionCookie } from '../http/authenticate.js';
import { findDeviceByTokenDigest, findSessionByDigest } from '../storage/queries/sessions.js';
import type { Store } from '../storage/store.js';

/** A SyncError body: the problem plus the wipe directive the device must obey. */
export class WipeError extends Error {
  readonly problem: Problem & { wipe: WipeDirective };
  constructor(reason: WipeDirective['reason'], issuedAt: string) {
    const base = problem(reason === 'device-revoked' ? 'auth.device-revoked' : 'auth.account-disabled');
    super(base.title);
    this.name = 'WipeError';
    this.problem = { ...base, wipe: { reason, issuedAt } };
  }
}

/**
 * `requireActor` for the sync endpoints, where a refusal must say whether the device has to wipe
 * itself: credentials that belonged to a revoked device or a disabled account get the 401 with a
 * `wipe` directive (S6) instead of a plain 401, at the device's next contact. Unknown credentials
 * stay a plain 401, so nobody learns anything from a guessed token.
 */
export async function requireSyncActor(request: FastifyRequest, reply: FastifyReply): Promise<Actor> {
  try {
    return await requireActor(request, reply);
  } catch (err) {
    if (!(err instanceof ProblemError)) throw err;
    const code = err.problem.code;
    const wipeCodes = ['auth.device-revoked', 'auth.account-disabled', 'auth.required', 'auth.session-expired'];
    if (!wipeCodes.includes(code)) throw err;
    const { store, clock } = request.server.deps;
    const reason = await wipeReason(request, store);
    if (reason === null) throw err;
    throw new WipeError(reason, clock.now().toISOString());
  }
}

async function wipeReason(request: FastifyRequest, store: Store): Promise<WipeDirective['reason'] | null> {
  const bearer = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(request.headers.authorization ?? '')?.[1];
  if (bearer !== undefined) {
    const row = await findDeviceByTokenDigest(tokenDigest(bearer), store);
    if (row === undefined) return null;
    // Disabling an account revokes its devices too: say why, as long as it is disabled.
    if (row.disabled_at !== null) return 'user-disabled';
    return row.revoked_at !== null ? 'device-revoked' : null;
  }
  const cookie = request.cookies[sessionCookie];
  if (!cookie) return null;
  const row = await findSessionByDigest(tokenDigest(cookie), store);
  if (row === undefined) return null;
  if (row.disabled_at !== null) return 'user-disabled';
  return row.device_revoked_at !== null ? 'device-revoked' : null;
}

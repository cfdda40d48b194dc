import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Capability } from '@outpost/core';
import { ProblemError, roleHas } from '@outpost/core';
import type { Actor } from '../auth/sessions.js';
import { resolveDeviceToken, resolveSessionToken } from '../auth/sessions.js';
import { sameSecret } from '../auth/tokens.js';

export const sessionCookie = 'outpost_session';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one place a request becomes an actor. Cookie sessions must echo their CSRF token on
 * writes; device tokens (Authorization: Bearer) are not sent automatically by browsers and
 * need none. Tokens are never accepted in query strings.
 */
export async function requireActor(
  request: FastifyRequest,
  reply: FastifyReply,
  options: { allowTwoFactorPending?: boolean } = {},
): Promise<Actor> {
  const actor = await authenticate(request, reply);
  if (actor.twoFactorPending && options.allowTwoFactorPending !== true) {
    throw new ProblemError('auth.two-factor-enrolment-required');
  }
  return actor;
}

async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<Actor> {
  const { store, settings, clock } = request.server.deps;
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(authorization);
    if (!match?.[1])
      throw new ProblemError('auth.required', 'The Authorization header must be "Bearer <device token>".');
    const resolved = await resolveDeviceToken(match[1], clock, store);
    if (resolved.ok) return resolved.actor;
    // A device whose token was revoked, or whose user was disabled, must erase itself: say so.
    if (resolved.reason === 'device-revoked') throw new ProblemError('auth.device-revoked');
    if (resolved.reason === 'disabled') throw new ProblemError('auth.account-disabled');
    throw new ProblemError('auth.required');
  }
  const token = request.cookies[sessionCookie];
  if (!token) throw new ProblemError('auth.required');
  const resolved = await resolveSessionToken(
    token,
    { idleMinutes: settings.sessionIdleMinutes, maxHours: settings.sessionMaxHours },
    clock,
    store,
  );
  if (!resolved.ok) {
    reply.clearCookie(sessionCookie, { path: '/' });
    if (resolved.reason === 'unknown') throw new ProblemError('auth.required');
    if (resolved.reason === 'device-revoked') throw new ProblemError('auth.device-revoked');
    throw new ProblemError('auth.session-expired');
  }
  if (!safeMethods.has(request.method)) {
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || resolved.actor.csrfToken === null || !sameSecret(sent, resolved.actor.csrfToken)) {
      throw new ProblemError('auth.csrf');
    }
  }
  return resolved.actor;
}

export async function requireCapability(
  request: FastifyRequest,
  reply: FastifyReply,
  capability: Capability,
): Promise<Actor> {
  const actor = await requireActor(request, reply);
  if (!roleHas(actor.role, capability)) throw new ProblemError('auth.forbidden');
  return actor;
}

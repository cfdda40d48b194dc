import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Capability } from '@outpost/core';
import { ProblemError, roleHas } from '@outpost/core';
import type { Actor } from '../auth/sessions.js';
import { resolveDeviceToken, resolveSessionToken } from '../auth/sessions.js';
import { sameSecret } from '../auth/tokens.js';
import { notFound } from './reply.js';

export const sessionCookie = 'outpost_session';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answers without credentials (login, health): no actor is resolved before its body is read. */
    public?: boolean;
    /**
     * How the route turns credentials into an actor, when not `requireActor` (sync answers a
     * refused device with a wipe directive). Called before the body is read.
     */
    identify?: (request: FastifyRequest, reply: FastifyReply) => Promise<Actor>;
  }
  interface FastifyRequest {
    /** The request's credentials, resolved once (by `identifyFirst`, then reused by the route). */
    outpostActor?: Promise<Actor>;
  }
}

/**
 * onRequest hook: every API route that is not public resolves its caller before Fastify reads,
 * inflates or parses a byte of the body, so an anonymous request costs one token lookup and a
 * refused one never gets its body read (S16).
 */
export async function identifyFirst(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (!request.url.startsWith('/api/')) return;
  // No route: answered before the body is read (the not-found handler would read it first).
  if (request.is404) {
    const answer = notFound(request);
    throw new ProblemError(answer.code, answer.detail);
  }
  const config = request.routeOptions.config;
  if (config.public === true) return;
  await (config.identify ?? requireActorIdentity)(request, reply);
}

/** The caller's identity without the two-factor gate, which each route applies as it needs. */
function requireActorIdentity(request: FastifyRequest, reply: FastifyReply): Promise<Actor> {
  request.outpostActor ??= authenticate(request, reply);
  return request.outpostActor;
}

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
  const actor = await requireActorIdentity(request, reply);
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

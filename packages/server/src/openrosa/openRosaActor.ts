import type { FastifyRequest } from 'fastify';
import { ProblemError } from '@outpost/core';
import type { Actor } from '../auth/sessions.js';
import { resolveDeviceToken } from '../auth/sessions.js';
import { checkBasicCredentials } from '../auth/login.js';

/**
 * Who an OpenRosa request comes from. Under `/v1/key/:token/…` the key is a device token (an app
 * user): an unknown or revoked key answers 403, as ODK Central answers a bad key. Elsewhere HTTP
 * Basic credentials of a web user; without them 401 with a Basic challenge, so Collect asks.
 */
export async function openRosaActor(request: FastifyRequest): Promise<Actor> {
  const { store, settings, clock } = request.server.deps;
  const token = (request.params as { token?: string }).token;
  if (token !== undefined) {
    if (!/^[A-Za-z0-9_-]{20,200}$/.test(token)) throw new ProblemError('auth.forbidden', 'This key is not valid.');
    const resolved = await resolveDeviceToken(token, clock, store);
    if (!resolved.ok) throw new ProblemError('auth.forbidden', 'This key is not valid or was revoked.');
    return resolved.actor;
  }
  const match = /^Basic ([A-Za-z0-9+/=]{1,1000})$/.exec(request.headers.authorization ?? '');
  if (!match?.[1]) throw new ProblemError('auth.required', 'Send a username and password (HTTP Basic).');
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) throw new ProblemError('auth.required', 'Send a username and password (HTTP Basic).');
  const checked = await checkBasicCredentials(
    decoded.slice(0, colon),
    decoded.slice(colon + 1),
    { maxFailures: settings.loginMaxFailures, lockMinutes: settings.loginLockMinutes },
    clock,
    store,
    settings.demo,
  );
  if (!checked.ok) throw new ProblemError(checked.code);
  return checked.actor;
}

import type { FastifyRequest } from 'fastify';
import { ProblemError } from '@outpost/core';
import type { Actor } from '../auth/sessions.js';
import { resolveFeedKey } from '../auth/feedKeys.js';
import { openRosaActor } from '../openrosa/openRosaActor.js';

/**
 * Who reads the OData feed: a feed key in the `key` query parameter (what Power BI and Excel send
 * for a "Web API" credential with `ApiKeyName="key"`; a bad or revoked key is 403), or else HTTP
 * Basic credentials, checked as OpenRosa checks them (same lockout; roles that need a second
 * factor must use a key).
 */
export async function odataActor(request: FastifyRequest): Promise<Actor> {
  const key = (request.query as { key?: unknown }).key;
  if (key !== undefined) {
    const { clock, store } = request.server.deps;
    const actor = typeof key === 'string' ? await resolveFeedKey(key, clock, store) : null;
    if (actor === null) throw new ProblemError('auth.forbidden', 'This feed key is not valid or was revoked.');
    return actor;
  }
  return openRosaActor(request);
}

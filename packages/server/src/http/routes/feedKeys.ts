import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { ProblemError } from '@outpost/core';
import { createFeedKey } from '../../auth/feedKeys.js';
import { appendAuditEvent } from '../../storage/index.js';
import { listFeedKeys, revokeFeedKey } from '../../storage/queries/feedKeys.js';
import { requireActor } from '../authenticate.js';

const Body = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
const Params = Type.Object({ id: Type.String({ format: 'uuid' }) });

/**
 * A signed-in user's OData feed keys (`/me/feed-keys`): create one (the key is shown once), list
 * them, revoke one. A key reads the OData feed as its owner, and nothing else; audited.
 */
export async function feedKeyRoutes(app: FastifyInstance): Promise<void> {
  app.get('/me/feed-keys', async (request, reply) => {
    const actor = await requireActor(request, reply);
    return { keys: await listFeedKeys(actor.userId, app.deps.store) };
  });

  app.post<{ Body: Static<typeof Body> }>('/me/feed-keys', { schema: { body: Body } }, async (request, reply) => {
    const actor = await requireActor(request, reply);
    if (actor.via !== 'session')
      throw new ProblemError('auth.forbidden', 'Feed keys are made from a signed-in session.');
    const { store, clock } = app.deps;
    const created = await createFeedKey(actor.userId, request.body.name, clock, store);
    await appendAuditEvent(
      { actorId: actor.userId, action: 'feed-key.created', subject: created.id, details: { name: request.body.name } },
      store,
    );
    return reply
      .code(201)
      .send({ id: created.id, name: request.body.name, key: created.key, createdAt: created.createdAt });
  });

  app.delete<{ Params: Static<typeof Params> }>(
    '/me/feed-keys/:id',
    { schema: { params: Params } },
    async (request, reply) => {
      const actor = await requireActor(request, reply);
      const { store, clock } = app.deps;
      if (!(await revokeFeedKey(actor.userId, request.params.id, clock.now().toISOString(), store))) {
        throw new ProblemError('odata.key-not-found');
      }
      await appendAuditEvent(
        { actorId: actor.userId, action: 'feed-key.revoked', subject: request.params.id, details: {} },
        store,
      );
      return reply.code(204).send();
    },
  );
}

import type { FastifyInstance } from 'fastify';
import { checkSchemaReady } from '../../storage/queries/sessions.js';
import { sendProblemCode } from '../reply.js';

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  // Alive: the process answers. Says nothing about the database on purpose.
  app.get('/healthz', async () => ({ status: 'ok' }));

  // Ready: the database answers and its schema is migrated.
  app.get('/readyz', async (request, reply) => {
    try {
      await checkSchemaReady(app.deps.store);
      // The longest event-loop stalls, in ms: a request that blocks the server shows here.
      return { status: 'ready', eventLoop: app.eventLoop() };
    } catch (err) {
      request.log.warn({ err }, 'not ready');
      return sendProblemCode(reply, 'server.unavailable');
    }
  });
}

import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { listAuditEvents, verifyAuditChain } from '../../storage/queries/audit.js';
import { requireCapability } from '../authenticate.js';

const AuditQuery = Type.Object(
  {
    after: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 }),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);

export async function auditRoutes(app: FastifyInstance): Promise<void> {
  // The administrator's view of the log (`audit.read`, an account-level capability: the log spans
  // every project): events after a sequence number, oldest first.
  app.get<{ Querystring: Static<typeof AuditQuery> }>(
    '/audit',
    { schema: { querystring: AuditQuery } },
    async (request, reply) => {
      await requireCapability(request, reply, 'audit.read');
      const events = await listAuditEvents(request.query.after, request.query.limit, app.deps.store);
      return {
        items: events.map((e) => ({
          seq: Number(e.seq),
          at: e.at,
          actorId: e.actor_id,
          action: e.action,
          subject: e.subject,
          details: e.details,
          hash: e.hash,
        })),
      };
    },
  );

  app.get('/audit/verify', async (request, reply) => {
    await requireCapability(request, reply, 'audit.read');
    return verifyAuditChain(app.deps.store);
  });
}

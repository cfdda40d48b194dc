import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { listAuditEvents, listAuditEventsNewestFirst, verifyAuditChain } from '../../storage/queries/audit.js';
import { requireCapability } from '../authenticate.js';

const AuditQuery = Type.Object(
  {
    after: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 }),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
    /** `newest`: newest first, below `before`; the default reads forward from `after`. */
    order: Type.Optional(Type.Union([Type.Literal('oldest'), Type.Literal('newest')])),
    before: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
    /** One action (`case.list`), or a family when it ends with a dot (`auth.`). */
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z][a-z0-9.-]*$' })),
  },
  { additionalProperties: false },
);

export async function auditRoutes(app: FastifyInstance): Promise<void> {
  // The administrator's view of the log (`audit.read`, an account-level capability: the log spans
  // every project): events after a sequence number, oldest first; or newest first below a
  // sequence number, optionally of one action or family of actions.
  app.get<{ Querystring: Static<typeof AuditQuery> }>(
    '/audit',
    { schema: { querystring: AuditQuery } },
    async (request, reply) => {
      await requireCapability(request, reply, 'audit.read');
      const { after, limit, order, before, action } = request.query;
      const events =
        order === 'newest'
          ? await listAuditEventsNewestFirst({ before, action, limit }, app.deps.store)
          : await listAuditEvents(after, limit, app.deps.store);
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

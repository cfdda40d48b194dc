import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { ProblemError, roleHas } from '@outpost/core';
import { listEntities } from '../../storage/queries/entities.js';
import { areaSubtreeIds } from '../../storage/queries/areas.js';
import { findProjectById } from '../../storage/queries/projects.js';
import { requireActor } from '../authenticate.js';

const CaseParams = Type.Object({ projectId: Type.String({ format: 'uuid' }) });
const CaseQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    list: Type.Optional(Type.String({ maxLength: 100, pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$' })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    offset: Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 }),
  },
  { additionalProperties: false },
);

export async function caseRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: Static<typeof CaseParams>; Querystring: Static<typeof CaseQuery> }>(
    '/projects/:projectId/cases',
    { schema: { params: CaseParams, querystring: CaseQuery } },
    async (request, reply) => {
      const actor = await requireActor(request, reply);
      const { store } = app.deps;
      const project = await findProjectById(request.params.projectId, store);
      if (!project) throw new ProblemError('project.not-found');
      // Scope: administrators see the whole project; members see their area subtree (or all of it
      // when their membership has no area); non-members see nothing and learn nothing.
      let areaIds: string[] | null = null;
      if (!roleHas(actor.role, 'projects.manage')) {
        const membership = await store.db
          .selectFrom('memberships')
          .select(['area_id'])
          .where('user_id', '=', actor.userId)
          .where('project_id', '=', project.id)
          .executeTakeFirst();
        if (!membership) throw new ProblemError('project.not-found');
        if (membership.area_id !== null) areaIds = await areaSubtreeIds(membership.area_id, store);
      }
      const { q, list, limit, offset } = request.query;
      const page = await listEntities(
        project.id,
        { q: q ?? null, listName: list ?? null, areaIds, limit, offset },
        store,
      );
      return {
        items: page.items.map((e) => ({
          id: e.id,
          list: e.listName,
          label: e.label,
          status: e.status,
          area: e.area,
          updatedAt: e.updatedAt,
        })),
        total: page.total,
      };
    },
  );
}

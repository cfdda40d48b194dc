import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { ProblemError, roleHas } from '@outpost/core';
import { listEntities } from '../../storage/queries/entities.js';
import { areaSubtreeIds } from '../../storage/queries/areas.js';
import { findProjectById } from '../../storage/queries/projects.js';
import { findMembership } from '../../storage/queries/memberships.js';
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
        const membership = await findMembership(actor.userId, project.id, store);
        if (!membership) throw new ProblemError('project.not-found');
        if (membership.area_id !== null) areaIds = await areaSubtreeIds(membership.area_id, store);
      }
      const { q, list, limit, offset } = request.query;
      const page = await listEntities(
        project.id,
        { q: q ?? null, listName: list ?? null, areaIds, limit, offset },
        store,
      );
      const areaIdsOnPage = [...new Set(page.items.flatMap((e) => (e.area_id === null ? [] : [e.area_id])))];
      const areaRows =
        areaIdsOnPage.length === 0
          ? []
          : await store.db
              .selectFrom('areas')
              .select(['id', 'code', 'names'])
              .where('id', 'in', areaIdsOnPage)
              .execute();
      const language = preferredLanguage(request.headers['accept-language']);
      const areas = new Map(areaRows.map((a) => [a.id, { id: a.id, code: a.code, name: areaName(a.names, language) }]));
      return {
        items: page.items.map((e) => ({
          id: e.id,
          list: e.list_name,
          label: e.label,
          status: e.status,
          area: e.area_id === null ? null : (areas.get(e.area_id) ?? null),
          updatedAt: e.updated_at,
        })),
        total: page.total,
      };
    },
  );
}

const languages = ['mn', 'en', 'tpi'] as const;

function preferredLanguage(header: string | undefined): string {
  for (const part of (header ?? '').split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase().split('-')[0];
    if (tag && (languages as readonly string[]).includes(tag)) return tag;
  }
  return 'en';
}

function areaName(namesJson: string, language: string): string {
  const names = JSON.parse(namesJson) as Record<string, string>;
  return names[language] ?? names['en'] ?? names['mn'] ?? Object.values(names)[0] ?? '';
}

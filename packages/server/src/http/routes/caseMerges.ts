import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { can } from '@outpost/core';
import type { PolicyCatalogue, PolicyActor } from '@outpost/core';
import { comparedProperties, findDuplicatePairs } from '../../cases/duplicateCases.js';
import { mergeCases, unmergeCase } from '../../entities/mergeCases.js';
import { catalogueFor, openProject, redactEntity, requireProjectAction } from '../../policy/index.js';
import { appendAuditEvent } from '../../storage/queries/audit.js';
import type { ListedEntity } from '../../storage/queries/entities.js';
import { requireActor } from '../authenticate.js';
import { caseDetail, readScope } from './cases.js';

const ProjectParams = Type.Object({ projectId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
const OneCaseParams = Type.Object(
  { projectId: Type.String({ format: 'uuid' }), caseId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
const DuplicatesQuery = Type.Object(
  {
    list: Type.String({ maxLength: 100, pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$' }),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    offset: Type.Integer({ minimum: 0, maximum: 100_000, default: 0 }),
  },
  { additionalProperties: false },
);
const Version = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
const MergeBody = Type.Object(
  { into: Type.String({ format: 'uuid' }), baseVersion: Version, intoBaseVersion: Version },
  { additionalProperties: false },
);

/** One case of a pair as the reader may see it: the compared values only, redacted as the case is. */
function pairCase(actor: PolicyActor, entity: ListedEntity, compared: readonly string[], catalogue: PolicyCatalogue) {
  const view = redactEntity(actor, entity, entity.area_path, catalogue);
  const shown: Record<string, unknown> = view.properties;
  return {
    id: entity.id,
    version: entity.version,
    label: view.label,
    values: Object.fromEntries(
      compared.flatMap((name) => (typeof shown[name] === 'string' && shown[name] !== '' ? [[name, shown[name]]] : [])),
    ),
    createdAt: entity.created_at,
  };
}

/**
 * Duplicate cases (issue 12 point 2; docs/entities.md, "Merging duplicates"): the candidate pairs
 * of a list the reader may see, each scored and explained, and the reversible merge.
 */
export async function caseMergeRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: Static<typeof ProjectParams>; Querystring: Static<typeof DuplicatesQuery> }>(
    '/projects/:projectId/cases/duplicates',
    { schema: { params: ProjectParams, querystring: DuplicatesQuery } },
    async (request, reply) => {
      const identity = await requireActor(request, reply);
      const { store } = app.deps;
      const access = await openProject(identity, request.params.projectId, store);
      requireProjectAction(access, 'cases.read');
      const { project, actor } = access;
      const { list, limit, offset } = request.query;
      const report = await findDuplicatePairs(project.id, list, readScope(actor, project.id), store);
      const catalogue = await catalogueFor(project.id, store);
      const compared = comparedProperties(report.schema);
      const page = report.pairs.slice(offset, offset + limit);
      const items = page.map((pair) => ({
        score: pair.score,
        reasons: pair.reasons,
        cases: pair.cases.map((e) => pairCase(actor, e, compared, catalogue)),
      }));
      await appendAuditEvent(
        {
          actorId: actor.userId,
          action: 'case.duplicates',
          subject: `project:${project.id}`,
          details: {
            projectId: project.id,
            list,
            offset,
            caseIds: [...new Set(page.flatMap((p) => p.cases.map((c) => c.id)))],
          },
        },
        store,
      );
      return {
        list,
        items,
        total: report.pairs.length,
        scanned: report.scanned,
        truncated: report.truncated,
        mayMerge: can(actor, 'cases.merge', { kind: 'project', projectId: project.id }).allowed,
      };
    },
  );

  // Merges the case into `into` (the survivor), each on the version the reader compared.
  app.post<{ Params: Static<typeof OneCaseParams>; Body: Static<typeof MergeBody> }>(
    '/projects/:projectId/cases/:caseId/merge',
    { schema: { params: OneCaseParams, body: MergeBody } },
    async (request, reply) => {
      const identity = await requireActor(request, reply);
      const { actor } = await openProject(identity, request.params.projectId, app.deps.store);
      const result = await mergeCases(
        {
          projectId: request.params.projectId,
          duplicateId: request.params.caseId.toLowerCase(),
          survivorId: request.body.into.toLowerCase(),
          duplicateVersion: request.body.baseVersion,
          survivorVersion: request.body.intoBaseVersion,
        },
        actor,
        app.deps.clock.now().toISOString(),
        app.deps.store,
      );
      const survivor = await caseDetail(
        identity,
        { projectId: request.params.projectId, caseId: request.body.into },
        request.headers['accept-language'],
        app.deps.store,
        { audit: false },
      );
      return { survivor, taken: result.taken };
    },
  );

  app.post<{ Params: Static<typeof OneCaseParams> }>(
    '/projects/:projectId/cases/:caseId/unmerge',
    { schema: { params: OneCaseParams } },
    async (request, reply) => {
      const identity = await requireActor(request, reply);
      const { actor } = await openProject(identity, request.params.projectId, app.deps.store);
      const result = await unmergeCase(
        { projectId: request.params.projectId, duplicateId: request.params.caseId.toLowerCase() },
        actor,
        app.deps.clock.now().toISOString(),
        app.deps.store,
      );
      const restored = await caseDetail(identity, request.params, request.headers['accept-language'], app.deps.store, {
        audit: false,
      });
      return { case: restored, survivorId: result.survivorId, restored: result.restored, kept: result.kept };
    },
  );
}

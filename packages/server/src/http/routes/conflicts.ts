import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { ProblemError } from '@outpost/core';
import type { Actor } from '../../auth/sessions.js';
import { listConflicts, resolveConflict } from '../../entities/index.js';
import type { ProjectReach } from '../../sync/syncReach.js';
import { loadSyncReach } from '../../sync/syncReach.js';
import type { Store } from '../../storage/store.js';
import { requireActor } from '../authenticate.js';

const ProjectParams = Type.Object({ projectId: Type.String({ format: 'uuid' }) });
const ConflictParams = Type.Object({
  projectId: Type.String({ format: 'uuid' }),
  entityId: Type.String({ format: 'uuid' }),
});
const ConflictQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
  },
  { additionalProperties: false },
);
const ResolveBody = Type.Object(
  {
    /** The case version the supervisor looked at. */
    version: Type.Integer({ minimum: 1 }),
    /** Chosen value per property (`label` for the label); properties left out keep their current value. */
    values: Type.Record(
      Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_.-]{0,127}$' }),
      Type.String({ maxLength: 100_000 }),
      {
        maxProperties: 500,
      },
    ),
  },
  { additionalProperties: false },
);

/** The reader's reach in the project, or 404 for a project they are not in and 403 without the capability. */
async function inboxReach(actor: Actor, projectId: string, store: Store): Promise<ProjectReach> {
  const reach = (await loadSyncReach(actor, store)).projects.get(projectId);
  if (reach === undefined) throw new ProblemError('project.not-found');
  if (!reach.resolvesConflicts) throw new ProblemError('auth.forbidden');
  return reach;
}

export async function conflictRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: Static<typeof ProjectParams>; Querystring: Static<typeof ConflictQuery> }>(
    '/projects/:projectId/conflicts',
    { schema: { params: ProjectParams, querystring: ConflictQuery } },
    async (request, reply) => {
      const actor = await requireActor(request, reply);
      const { store } = app.deps;
      const reach = await inboxReach(actor, request.params.projectId, store);
      const { limit, offset } = request.query;
      const items = await listConflicts(reach, { limit, offset }, store);
      return { items };
    },
  );

  app.post<{ Params: Static<typeof ConflictParams>; Body: Static<typeof ResolveBody> }>(
    '/projects/:projectId/conflicts/:entityId/resolve',
    { schema: { params: ConflictParams, body: ResolveBody } },
    async (request, reply) => {
      const actor = await requireActor(request, reply);
      const { store, clock } = app.deps;
      const reach = await inboxReach(actor, request.params.projectId, store);
      const result = await resolveConflict(
        { entityId: request.params.entityId.toLowerCase(), version: request.body.version, values: request.body.values },
        reach,
        { userId: actor.userId, deviceId: actor.deviceId },
        clock.now().toISOString(),
        store,
      );
      if (!result.ok) {
        throw new ProblemError(result.code, result.detail, result.field === undefined ? {} : { field: result.field });
      }
      return reply.code(200).send({ entityId: result.entityId, version: result.version });
    },
  );
}

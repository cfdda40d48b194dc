import { publicOrigin } from '../publicOrigin.js';
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { ProblemError } from '@outpost/core';
import { addAppUser, appUserServerUrl } from '../../auth/appUsers.js';
import { collectSettings } from '../../openrosa/collectSettings.js';
import { findProjectById } from '../../storage/queries/projects.js';
import { appendAuditEvent } from '../../storage/queries/audit.js';
import { listAppUsers } from '../../storage/queries/appUsers.js';
import { requireCapability } from '../authenticate.js';

const ProjectParams = Type.Object({ projectId: Type.String({ format: 'uuid' }) });
const NewAppUserBody = Type.Object(
  {
    displayName: Type.String({ minLength: 1, maxLength: 100 }),
    area: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    team: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);

/**
 * App users (ODK Collect device keys) for administrators: the list of a project's, and a new one,
 * whose answer carries the key once (as Central shows an app user's code once), the Collect server
 * URL and the QR-code settings; revoking is `POST /devices/:id/revoke`, as for any device, since an
 * app user's id is its key's.
 */
export async function appUserRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: Static<typeof ProjectParams> }>(
    '/projects/:projectId/app-users',
    { schema: { params: ProjectParams } },
    async (request, reply) => {
      await requireCapability(request, reply, 'users.manage');
      const project = await findProjectById(request.params.projectId, app.deps.store);
      if (!project) throw new ProblemError('project.not-found');
      return { items: await listAppUsers(project.id, app.deps.store) };
    },
  );

  app.post<{ Params: Static<typeof ProjectParams>; Body: Static<typeof NewAppUserBody> }>(
    '/projects/:projectId/app-users',
    { schema: { params: ProjectParams, body: NewAppUserBody } },
    async (request, reply) => {
      const actor = await requireCapability(request, reply, 'users.manage');
      const { store, clock } = app.deps;
      const project = await findProjectById(request.params.projectId, store);
      if (!project) throw new ProblemError('project.not-found');
      const result = await addAppUser(
        {
          projectId: project.id,
          displayName: request.body.displayName,
          areaCode: request.body.area ?? null,
          team: request.body.team ?? null,
        },
        clock,
        store,
      );
      if (!result.ok) throw new ProblemError('request.invalid', result.detail, { field: `/${result.field}` });
      await appendAuditEvent(
        { actorId: actor.userId, action: 'app-user.created', subject: `device:${result.id}`, details: {} },
        store,
      );
      const serverUrl = appUserServerUrl(publicOrigin(request), result.token, project.id);
      return reply.code(201).send({
        id: result.id,
        token: result.token,
        serverUrl,
        collectSettings: collectSettings(serverUrl, project.name),
      });
    },
  );
}

import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { ProblemError } from '@outpost/core';
import { openProject, requireProjectAction } from '../../policy/index.js';
import { receiveSubmission } from '../../submissions/receiveSubmission.js';
import { processEntityBacklog } from '../../entities/index.js';
import { requireActor } from '../authenticate.js';

const ProjectParams = Type.Object({ projectId: Type.String({ format: 'uuid' }) });
const XML_TYPES = new Set(['application/xml', 'text/xml']);

export async function submissionRoutes(app: FastifyInstance): Promise<void> {
  // Only in this plugin, and within the server's body limit (settings.bodyLimitBytes).
  app.addContentTypeParser([...XML_TYPES], { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.post<{ Params: Static<typeof ProjectParams> }>(
    '/projects/:projectId/submissions',
    { schema: { params: ProjectParams } },
    async (request, reply) => {
      const actor = await requireActor(request, reply);
      const { store } = app.deps;
      const access = await openProject(actor, request.params.projectId, store);
      requireProjectAction(access, 'cases.write');
      const { project } = access;
      const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (!XML_TYPES.has(type) || typeof request.body !== 'string') {
        throw new ProblemError('request.unsupported-media-type', 'Send the XForm instance as application/xml.');
      }
      const result = await receiveSubmission(
        {
          projectId: project.id,
          xml: request.body,
          userId: actor.userId,
          deviceId: actor.deviceId,
          policyActor: access.actor,
        },
        store,
      );
      if (!result.ok) {
        throw new ProblemError(result.code, result.detail, result.field === undefined ? {} : { field: result.field });
      }
      // A change that arrived earlier, waiting for this one (an update before its create), can apply now.
      const entityId = result.receipt.entity?.entityId;
      if (result.created && entityId !== undefined) {
        await processEntityBacklog(entityId, { now: app.deps.clock.now().toISOString() }, store);
      }
      return reply.code(result.created ? 201 : 200).send(result.receipt);
    },
  );
}

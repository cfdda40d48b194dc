import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { ProblemError } from '@outpost/core';
import { catalogueFor, openProject, requireProjectAction } from '../../policy/index.js';
import { qualityReport } from '../../quality/qualityReport.js';
import { findForm } from '../../storage/index.js';
import { requireActor } from '../authenticate.js';

const Params = Type.Object({
  projectId: Type.String({ format: 'uuid' }),
  formId: Type.String({ minLength: 1, maxLength: 200 }),
});

/**
 * GET /projects/:projectId/forms/:formId/quality — the form's data-quality report (blank answers,
 * answers out of their range, older submissions the newest version would refuse) over the
 * submissions the member may export, with the fields they may not see left out.
 */
export async function qualityRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: Static<typeof Params> }>(
    '/projects/:projectId/forms/:formId/quality',
    { schema: { params: Params } },
    async (request, reply) => {
      const actor = await requireActor(request, reply);
      const { store } = app.deps;
      const access = await openProject(actor, request.params.projectId, store);
      requireProjectAction(access, 'exports.run');
      const form = await findForm(access.project.id, request.params.formId, store);
      if (form === undefined) throw new ProblemError('form.not-found');
      const catalogue = await catalogueFor(access.project.id, store);
      const report = await qualityReport(
        form.id,
        { actor: access.actor, catalogue, projectId: access.project.id },
        store,
      );
      return { form: form.xml_form_id, ...report };
    },
  );
}

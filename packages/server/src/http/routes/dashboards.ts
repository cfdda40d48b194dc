import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { projectDashboard } from '../../dashboards/projectDashboard.js';
import { catalogueFor, openProject, requireProjectAction } from '../../policy/index.js';
import { requireActor } from '../authenticate.js';

const Params = Type.Object({ projectId: Type.String({ format: 'uuid' }) });

/**
 * GET /projects/:projectId/dashboard — the project's dashboard (its template's panels and the
 * general ones, and the map by hexagon), counted on the server over what the member may read, for
 * those who may analyse (`exports.run`: administrators, supervisors, analysts).
 */
export async function dashboardRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: Static<typeof Params> }>(
    '/projects/:projectId/dashboard',
    { schema: { params: Params } },
    async (request, reply) => {
      const actor = await requireActor(request, reply);
      const { store, clock } = app.deps;
      const access = await openProject(actor, request.params.projectId, store);
      requireProjectAction(access, 'exports.run');
      const catalogue = await catalogueFor(access.project.id, store);
      const today = clock.now().toISOString().slice(0, 10);
      return projectDashboard(access, catalogue, today, store);
    },
  );
}

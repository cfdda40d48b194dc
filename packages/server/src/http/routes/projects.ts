import type { FastifyInstance } from 'fastify';
import { canSubmitForm, roleHas } from '@outpost/core';
import { loadPolicyActor } from '../../policy/index.js';
import { listProjectsForUser } from '../../storage/queries/projects.js';
import { requireActor } from '../authenticate.js';

export async function projectRoutes(app: FastifyInstance): Promise<void> {
  app.get('/projects', async (request, reply) => {
    const actor = await requireActor(request, reply);
    const projects = await listProjectsForUser(actor.userId, roleHas(actor.role, 'projects.manage'), app.deps.store);
    const policyActor = await loadPolicyActor(actor, app.deps.store);
    return {
      items: projects.map((p) => ({
        id: p.id,
        slug: p.slug,
        name: p.name,
        role: p.role,
        // Whether "Fill a form" is offered at all; each form says so for itself in the form list.
        canSubmit: canSubmitForm(policyActor, p.id, null).allowed,
      })),
    };
  });
}

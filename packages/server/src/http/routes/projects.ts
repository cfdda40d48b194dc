import type { FastifyInstance } from 'fastify';
import { roleHas } from '@outpost/core';
import { listProjectsForUser } from '../../storage/queries/projects.js';
import { requireActor } from '../authenticate.js';

export async function projectRoutes(app: FastifyInstance): Promise<void> {
  app.get('/projects', async (request, reply) => {
    const actor = await requireActor(request, reply);
    const projects = await listProjectsForUser(actor.userId, roleHas(actor.role, 'projects.manage'), app.deps.store);
    return { items: projects.map((p) => ({ id: p.id, slug: p.slug, name: p.name, role: p.role })) };
  });
}

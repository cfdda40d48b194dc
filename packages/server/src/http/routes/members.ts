import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { ProblemError } from '@outpost/core';
import {
  listProjectMembers,
  maxMembershipAreas,
  removeProjectMember,
  setProjectMember,
} from '../../memberships/memberships.js';
import { openProject } from '../../policy/index.js';
import { listAreas } from '../../storage/queries/areas.js';
import { findProjectById } from '../../storage/queries/projects.js';
import type { Store } from '../../storage/store.js';
import { requireActor, requireCapability } from '../authenticate.js';

const ProjectParams = Type.Object({ projectId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
const MemberParams = Type.Object(
  { projectId: Type.String({ format: 'uuid' }), userId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
const MemberBody = Type.Object(
  {
    role: Type.String({ maxLength: 64 }),
    areas: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: maxMembershipAreas })),
    team: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
    own: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** Project membership (administrators) and the project's area list (its members). */
export async function memberRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: Static<typeof ProjectParams> }>(
    '/projects/:projectId/members',
    { schema: { params: ProjectParams } },
    async (request, reply) => {
      await requireCapability(request, reply, 'users.manage');
      const projectId = await existingProject(request.params.projectId, app.deps.store);
      return { items: await listProjectMembers(projectId, app.deps.store) };
    },
  );

  app.put<{ Params: Static<typeof MemberParams>; Body: Static<typeof MemberBody> }>(
    '/projects/:projectId/members/:userId',
    { schema: { params: MemberParams, body: MemberBody } },
    async (request, reply) => {
      const actor = await requireCapability(request, reply, 'users.manage');
      const projectId = await existingProject(request.params.projectId, app.deps.store);
      const result = await setProjectMember(
        projectId,
        request.params.userId.toLowerCase(),
        request.body,
        actor.userId,
        app.deps.store,
      );
      if (!result.ok) {
        throw new ProblemError(result.code, result.detail, result.field === undefined ? {} : { field: result.field });
      }
      return reply.code(result.created ? 201 : 200).send(result.member);
    },
  );

  app.delete<{ Params: Static<typeof MemberParams> }>(
    '/projects/:projectId/members/:userId',
    { schema: { params: MemberParams } },
    async (request, reply) => {
      const actor = await requireCapability(request, reply, 'users.manage');
      const projectId = await existingProject(request.params.projectId, app.deps.store);
      const removed = await removeProjectMember(
        projectId,
        request.params.userId.toLowerCase(),
        actor.userId,
        app.deps.store,
      );
      if (!removed) throw new ProblemError('request.not-found', 'This user is not in the project.');
      return reply.code(204).send();
    },
  );

  // The newest version of the project's area list, by depth then code: names are not
  // personal data, and every member needs them to read where a case is.
  app.get<{ Params: Static<typeof ProjectParams> }>(
    '/projects/:projectId/areas',
    { schema: { params: ProjectParams } },
    async (request, reply) => {
      const identity = await requireActor(request, reply);
      const { project } = await openProject(identity, request.params.projectId, app.deps.store);
      const areas = await listAreas(project.id, null, app.deps.store);
      const newest = areas.reduce((v, a) => (a.list_version > v ? a.list_version : v), '');
      const depth = (path: string) => path.split('/').length;
      // Shallower first, then by code: parents before children, and the same order every time.
      const current = areas
        .filter((a) => a.list_version === newest)
        .sort((a, b) => depth(a.path) - depth(b.path) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
      const codeOf = new Map(current.map((a) => [a.id, a.code]));
      return {
        items: current.map((a) => ({
          code: a.code,
          parentCode: a.parent_id === null ? null : (codeOf.get(a.parent_id) ?? null),
          level: a.level,
          names: a.names,
        })),
      };
    },
  );
}

async function existingProject(projectId: string, store: Store): Promise<string> {
  const project = await findProjectById(projectId.toLowerCase(), store);
  if (project === undefined) throw new ProblemError('project.not-found');
  return project.id;
}

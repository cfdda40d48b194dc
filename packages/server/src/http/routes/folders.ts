import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import {
  changeFolderCase,
  createFolder,
  defineCategory,
  listCategories,
  listFolders,
  removeCategory,
  removeFolder,
} from '../../folders/caseFolders.js';
import { openProject, requireProjectAction } from '../../policy/index.js';
import { requireActor } from '../authenticate.js';

const ProjectParams = Type.Object({ projectId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
const FolderParams = Type.Object(
  { projectId: Type.String({ format: 'uuid' }), folderId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
const FolderCaseParams = Type.Object(
  {
    projectId: Type.String({ format: 'uuid' }),
    folderId: Type.String({ format: 'uuid' }),
    caseId: Type.String({ format: 'uuid' }),
  },
  { additionalProperties: false },
);
const NewFolderBody = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String({ minLength: 1, maxLength: 80, pattern: '\\S' }),
    kind: Type.Union([Type.Literal('personal'), Type.Literal('team')]),
    query: Type.Optional(Type.Union([Type.Null(), Type.String({ minLength: 1, maxLength: 200 })])),
  },
  { additionalProperties: false },
);
const CategoryParams = Type.Object(
  { projectId: Type.String({ format: 'uuid' }), code: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }) },
  { additionalProperties: false },
);
const CategoryBody = Type.Object(
  {
    names: Type.Object(
      {
        mn: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
        en: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
        tpi: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
      },
      { additionalProperties: false, minProperties: 1 },
    ),
  },
  { additionalProperties: false },
);

/** Folders of cases (personal, team, smart) and the project's case categories. */
export async function folderRoutes(app: FastifyInstance): Promise<void> {
  const access = async (request: Parameters<typeof requireActor>[0], reply: Parameters<typeof requireActor>[1]) => {
    const identity = await requireActor(request, reply);
    return openProject(identity, (request.params as { projectId: string }).projectId, app.deps.store);
  };

  app.get<{ Params: Static<typeof ProjectParams> }>(
    '/projects/:projectId/folders',
    { schema: { params: ProjectParams } },
    async (request, reply) => {
      const project = await access(request, reply);
      requireProjectAction(project, 'cases.read', 'incidents.evidence.read');
      return {
        items: await listFolders(project, app.deps.store),
        categories: await listCategories(project, app.deps.store),
      };
    },
  );

  app.post<{ Params: Static<typeof ProjectParams>; Body: Static<typeof NewFolderBody> }>(
    '/projects/:projectId/folders',
    { schema: { params: ProjectParams, body: NewFolderBody } },
    async (request, reply) => {
      const project = await access(request, reply);
      requireProjectAction(project, 'cases.write');
      const { id, name, kind, query } = request.body;
      const result = await createFolder(
        project,
        { id: id.toLowerCase(), name: name.trim(), kind, query: query?.trim() || null },
        app.deps.clock.now(),
        app.deps.store,
      );
      return reply.code(result.created ? 201 : 200).send(result.folder);
    },
  );

  app.delete<{ Params: Static<typeof FolderParams> }>(
    '/projects/:projectId/folders/:folderId',
    { schema: { params: FolderParams } },
    async (request, reply) => {
      const project = await access(request, reply);
      requireProjectAction(project, 'cases.write');
      await removeFolder(project, request.params.folderId.toLowerCase(), app.deps.clock.now(), app.deps.store);
      return reply.code(204).send();
    },
  );

  for (const [method, change] of [
    ['PUT', 'add'],
    ['DELETE', 'remove'],
  ] as const) {
    app.route<{ Params: Static<typeof FolderCaseParams> }>({
      method,
      url: '/projects/:projectId/folders/:folderId/cases/:caseId',
      schema: { params: FolderCaseParams },
      handler: async (request, reply) => {
        const project = await access(request, reply);
        requireProjectAction(project, 'cases.write');
        await changeFolderCase(
          project,
          request.params.folderId.toLowerCase(),
          request.params.caseId.toLowerCase(),
          change,
          app.deps.clock.now(),
          app.deps.store,
        );
        return reply.code(204).send();
      },
    });
  }

  app.put<{ Params: Static<typeof CategoryParams>; Body: Static<typeof CategoryBody> }>(
    '/projects/:projectId/categories/:code',
    { schema: { params: CategoryParams, body: CategoryBody } },
    async (request, reply) => {
      const project = await access(request, reply);
      requireProjectAction(project, 'projects.manage');
      const names = Object.fromEntries(
        Object.entries(request.body.names).flatMap(([language, name]) =>
          name === undefined || name.trim() === '' ? [] : [[language, name.trim()]],
        ),
      );
      const created = await defineCategory(
        project,
        { code: request.params.code, names },
        app.deps.clock.now(),
        app.deps.store,
      );
      return reply.code(created ? 201 : 200).send({ code: request.params.code, names });
    },
  );

  app.delete<{ Params: Static<typeof CategoryParams> }>(
    '/projects/:projectId/categories/:code',
    { schema: { params: CategoryParams } },
    async (request, reply) => {
      const project = await access(request, reply);
      requireProjectAction(project, 'projects.manage');
      await removeCategory(project, request.params.code, app.deps.clock.now(), app.deps.store);
      return reply.code(204).send();
    },
  );
}

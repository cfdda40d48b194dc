import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { editCase, listCaseAssignees, setCaseDeleted } from '../../entities/index.js';
import type { CaseChange } from '../../entities/index.js';
import { openProject } from '../../policy/index.js';
import { requireActor } from '../authenticate.js';
import { caseDetail } from './cases.js';

const OneCaseParams = Type.Object(
  { projectId: Type.String({ format: 'uuid' }), caseId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
// As ODK Central's `PATCH …/entities/:uuid?baseVersion=N` (or `force=true`).
const EditQuery = Type.Object(
  {
    baseVersion: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
    force: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const Label = Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' });
const PropertyValues = Type.Record(
  Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$' }),
  Type.String({ maxLength: 10_000 }),
  { maxProperties: 200 },
);
const EditBody = Type.Object(
  { label: Type.Optional(Label), data: Type.Optional(PropertyValues) },
  { additionalProperties: false, minProperties: 1 },
);
const Version = {
  baseVersion: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
  force: Type.Optional(Type.Boolean()),
};
const ActionBody = Type.Union([
  Type.Object(
    {
      action: Type.Literal('assign'),
      assignee: Type.Union([Type.Null(), Type.String({ minLength: 1, maxLength: 100 })]),
      ...Version,
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      action: Type.Literal('transfer'),
      area: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
      team: Type.Optional(Type.Union([Type.Null(), Type.String({ minLength: 1, maxLength: 100 })])),
      ...Version,
    },
    { additionalProperties: false, minProperties: 2 },
  ),
  Type.Object({ action: Type.Literal('close'), ...Version }, { additionalProperties: false }),
  Type.Object({ action: Type.Literal('reopen'), ...Version }, { additionalProperties: false }),
  Type.Object(
    {
      action: Type.Literal('tag'),
      categories: Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }), { maxItems: 50 }),
      ...Version,
    },
    { additionalProperties: false },
  ),
]);
type ActionBodyType = Static<typeof ActionBody>;

function changeOf(body: ActionBodyType): CaseChange {
  switch (body.action) {
    case 'assign':
      return { kind: 'assign', username: body.assignee };
    case 'transfer':
      return {
        kind: 'transfer',
        ...(body.area === undefined ? {} : { areaCode: body.area }),
        ...(body.team === undefined ? {} : { team: body.team }),
      };
    case 'close':
      return { kind: 'close' };
    case 'reopen':
      return { kind: 'reopen' };
    case 'tag':
      return { kind: 'tag', categories: body.categories };
  }
}

/**
 * Entity edits and lifecycle as ODK Central has them (docs/entities.md, "Edits, deletes and case
 * actions"): edit a case's properties and label with a base version, soft delete and restore, and
 * the case page's actions (assign, transfer, close, reopen, tag), each an edit through `editCase`.
 */
export async function caseChangeRoutes(app: FastifyInstance): Promise<void> {
  const answer = async (
    request: Parameters<typeof requireActor>[0] & { params: Static<typeof OneCaseParams> },
    reply: Parameters<typeof requireActor>[1],
    run: (actor: Awaited<ReturnType<typeof openProject>>['actor'], at: string) => Promise<unknown>,
  ) => {
    const identity = await requireActor(request, reply);
    const { actor } = await openProject(identity, request.params.projectId, app.deps.store);
    await run(actor, app.deps.clock.now().toISOString());
    return caseDetail(identity, request.params, request.headers['accept-language'], app.deps.store, {
      audit: false,
    });
  };

  app.patch<{
    Params: Static<typeof OneCaseParams>;
    Querystring: Static<typeof EditQuery>;
    Body: Static<typeof EditBody>;
  }>(
    '/projects/:projectId/cases/:caseId',
    { schema: { params: OneCaseParams, querystring: EditQuery, body: EditBody } },
    async (request, reply) =>
      answer(request, reply, (actor, at) =>
        editCase(
          {
            projectId: request.params.projectId,
            caseId: request.params.caseId,
            baseVersion: request.query.baseVersion ?? null,
            force: request.query.force === true,
            change: {
              kind: 'edit',
              ...(request.body.label === undefined ? {} : { label: request.body.label }),
              properties: request.body.data ?? {},
            },
          },
          actor,
          at,
          app.deps.store,
        ),
      ),
  );

  app.post<{ Params: Static<typeof OneCaseParams>; Body: ActionBodyType }>(
    '/projects/:projectId/cases/:caseId/actions',
    { schema: { params: OneCaseParams, body: ActionBody } },
    async (request, reply) =>
      answer(request, reply, (actor, at) =>
        editCase(
          {
            projectId: request.params.projectId,
            caseId: request.params.caseId,
            baseVersion: request.body.baseVersion ?? null,
            force: request.body.force === true,
            change: changeOf(request.body),
          },
          actor,
          at,
          app.deps.store,
        ),
      ),
  );

  // Who the case may be assigned to: the picker of the assign action (ours; Central has no cases).
  app.get<{ Params: Static<typeof OneCaseParams> }>(
    '/projects/:projectId/cases/:caseId/assignees',
    { schema: { params: OneCaseParams } },
    async (request, reply) => {
      const identity = await requireActor(request, reply);
      const { actor } = await openProject(identity, request.params.projectId, app.deps.store);
      const items = await listCaseAssignees(request.params.projectId, request.params.caseId, actor, app.deps.store);
      return { items };
    },
  );

  // Soft delete, as Central's DELETE: the case leaves every list, pull and entity-list CSV.
  app.delete<{ Params: Static<typeof OneCaseParams> }>(
    '/projects/:projectId/cases/:caseId',
    { schema: { params: OneCaseParams } },
    async (request, reply) => {
      const identity = await requireActor(request, reply);
      const { actor } = await openProject(identity, request.params.projectId, app.deps.store);
      const at = app.deps.clock.now().toISOString();
      await setCaseDeleted({ ...request.params, deleted: true }, actor, at, app.deps.store);
      return { success: true };
    },
  );

  app.post<{ Params: Static<typeof OneCaseParams> }>(
    '/projects/:projectId/cases/:caseId/restore',
    { schema: { params: OneCaseParams } },
    async (request, reply) =>
      answer(request, reply, (actor, at) =>
        setCaseDeleted({ ...request.params, deleted: false }, actor, at, app.deps.store),
      ),
  );
}

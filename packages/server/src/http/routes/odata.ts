import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { ProblemError, formEntityLists } from '@outpost/core';
import { repeatPathsOf } from '../../forms/formEngine.js';
import { metadataXml, serviceDocument } from '../../odata/csdl.js';
import { entityModel, entityPage } from '../../odata/entityFeed.js';
import { feedPage } from '../../odata/feed.js';
import type { FeedPage } from '../../odata/feed.js';
import type { ODataModel } from '../../odata/model.js';
import { navigationPaths, odataModel } from '../../odata/model.js';
import { odataActor } from '../../odata/odataActor.js';
import { readQuery } from '../../odata/query.js';
import { catalogueFor, openProject, requireProjectAction } from '../../policy/index.js';
import type { ProjectAccess } from '../../policy/index.js';
import { findForm, listProjectFormVersions } from '../../storage/index.js';
import { findEntityListByName } from '../../storage/queries/forms.js';

const projectId = Type.String({ format: 'uuid' });
const xmlFormId = Type.String({ minLength: 1, maxLength: 200 });
const name = Type.String({ minLength: 1, maxLength: 200 });
const FormParams = Type.Object({ projectId, xmlFormId });
const FormTableParams = Type.Object({ projectId, xmlFormId, table: Type.String({ minLength: 1, maxLength: 500 }) });
const ListParams = Type.Object({ projectId, name });
const ListTableParams = Type.Object({ projectId, name, table: Type.String({ minLength: 1, maxLength: 500 }) });
const Query = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 4000 }), { maxProperties: 20 });

/** Rows per page unless the client asks for fewer or more (`Prefer: odata.maxpagesize`, up to MAX). */
const PAGE = 2_000;
const MAX_PAGE = 10_000;
const JSON_TYPE = 'application/json; odata.metadata=minimal; charset=utf-8';

function pageSizeOf(request: FastifyRequest): number {
  const prefer = /odata\.maxpagesize=(\d{1,6})/.exec(String(request.headers.prefer ?? ''))?.[1];
  return prefer === undefined ? PAGE : Math.max(1, Math.min(MAX_PAGE, Number(prefer)));
}

async function accessFor(request: FastifyRequest<{ Params: { projectId: string } }>): Promise<ProjectAccess> {
  const actor = await odataActor(request);
  const access = await openProject(actor, request.params.projectId, request.server.deps.store);
  requireProjectAction(access, 'exports.run');
  return access;
}

function serviceBase(request: FastifyRequest): string {
  const path = request.url.split('?')[0] ?? '';
  const svc = path.slice(0, path.indexOf('.svc') + 4);
  return `${request.protocol}://${request.headers.host ?? 'localhost'}${svc}`;
}

/** The next page's address: the same options, `$skip` and `$top` now inside the token. */
function nextLink(request: FastifyRequest, token: string): string {
  const url = new URL(request.url, `${request.protocol}://${request.headers.host ?? 'localhost'}`);
  for (const option of ['$skip', '$top', '$skiptoken', 'key']) url.searchParams.delete(option);
  url.searchParams.set('$skiptoken', token);
  return url.toString();
}

function sendPage(request: FastifyRequest, reply: FastifyReply, table: string, page: FeedPage): FastifyReply {
  const body: Record<string, unknown> = { '@odata.context': `${serviceBase(request)}/$metadata#${table}` };
  if (page.count !== null) body['@odata.count'] = page.count;
  body.value = page.rows;
  if (page.next !== null) body['@odata.nextLink'] = nextLink(request, page.next);
  return reply.type(JSON_TYPE).header('odata-version', '4.0').send(body);
}

async function formModel(access: ProjectAccess, xmlFormId: string, request: FastifyRequest) {
  const { store } = request.server.deps;
  const form = await findForm(access.project.id, xmlFormId, store);
  if (form === undefined) throw new ProblemError('form.not-found');
  const latest = (await listProjectFormVersions(access.project.id, store)).find((v) => v.formId === form.id);
  if (latest === undefined) throw new ProblemError('form.not-found');
  return { form, model: odataModel(latest.summary, repeatPathsOf(latest.xform)) };
}

async function listModel(access: ProjectAccess, listName: string, request: FastifyRequest): Promise<ODataModel> {
  const { store } = request.server.deps;
  const summaries = (await listProjectFormVersions(access.project.id, store)).map((v) => v.summary);
  const list = await findEntityListByName(access.project.id, listName, store);
  if (list === undefined && !summaries.some((s) => formEntityLists(s).some((l) => l.dataset === listName))) {
    throw new ProblemError('odata.table-not-found', `This project has no entity list "${listName}".`);
  }
  return entityModel(listName, summaries);
}

/**
 * The OData v4 feeds under ODK Central's URLs: `/v1/projects/:id/forms/:xmlFormId.svc` (service
 * document, `$metadata`, `Submissions` and one table per repeat) and
 * `/v1/projects/:id/datasets/:name.svc` (`Entities`). For members with `exports.run`, through the
 * same scope and redaction as exports; authenticated by a feed key or HTTP Basic. See
 * docs/analysis.md.
 */
export async function odataRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode === 401) reply.header('www-authenticate', 'Basic realm="Outpost", charset="UTF-8"');
    return payload;
  });

  app.get<{ Params: Static<typeof FormParams> }>(
    '/projects/:projectId/forms/:xmlFormId.svc',
    { schema: { params: FormParams } },
    async (request, reply) => {
      const access = await accessFor(request);
      const { model } = await formModel(access, request.params.xmlFormId, request);
      return reply
        .type(JSON_TYPE)
        .header('odata-version', '4.0')
        .send(serviceDocument(model, serviceBase(request)));
    },
  );

  app.get<{ Params: Static<typeof FormParams> }>(
    '/projects/:projectId/forms/:xmlFormId.svc/$metadata',
    { schema: { params: FormParams } },
    async (request, reply) => {
      const access = await accessFor(request);
      const { model } = await formModel(access, request.params.xmlFormId, request);
      return reply.type('application/xml; charset=utf-8').header('odata-version', '4.0').send(metadataXml(model));
    },
  );

  app.get<{ Params: Static<typeof FormTableParams>; Querystring: Static<typeof Query> }>(
    '/projects/:projectId/forms/:xmlFormId.svc/:table',
    { schema: { params: FormTableParams, querystring: Query } },
    async (request, reply) => {
      const access = await accessFor(request);
      const { form, model } = await formModel(access, request.params.xmlFormId, request);
      const table = model.tables.find((t) => t.name === request.params.table);
      const properties = model.properties.get(request.params.table);
      if (table === undefined || properties === undefined) throw new ProblemError('odata.table-not-found');
      const query = readQuery(request.query, properties, app.deps.clock.now(), navigationPaths(table));
      const catalogue = await catalogueFor(access.project.id, app.deps.store);
      const page = await feedPage(
        {
          formId: form.id,
          model,
          table,
          query,
          reader: { actor: access.actor, catalogue, projectId: access.project.id },
          pageSize: pageSizeOf(request),
        },
        app.deps.store,
      );
      return sendPage(request, reply, table.name, page);
    },
  );

  app.get<{ Params: Static<typeof ListParams> }>(
    '/projects/:projectId/datasets/:name.svc',
    { schema: { params: ListParams } },
    async (request, reply) => {
      const access = await accessFor(request);
      const model = await listModel(access, request.params.name, request);
      return reply
        .type(JSON_TYPE)
        .header('odata-version', '4.0')
        .send(serviceDocument(model, serviceBase(request)));
    },
  );

  app.get<{ Params: Static<typeof ListParams> }>(
    '/projects/:projectId/datasets/:name.svc/$metadata',
    { schema: { params: ListParams } },
    async (request, reply) => {
      const access = await accessFor(request);
      const model = await listModel(access, request.params.name, request);
      return reply.type('application/xml; charset=utf-8').header('odata-version', '4.0').send(metadataXml(model));
    },
  );

  app.get<{ Params: Static<typeof ListTableParams>; Querystring: Static<typeof Query> }>(
    '/projects/:projectId/datasets/:name.svc/:table',
    { schema: { params: ListTableParams, querystring: Query } },
    async (request, reply) => {
      const access = await accessFor(request);
      const model = await listModel(access, request.params.name, request);
      const properties = model.properties.get(request.params.table);
      if (properties === undefined) throw new ProblemError('odata.table-not-found');
      const query = readQuery(request.query, properties, app.deps.clock.now());
      const catalogue = await catalogueFor(access.project.id, app.deps.store);
      const page = await entityPage(
        {
          access,
          listName: request.params.name,
          model,
          catalogue,
          query,
          pageSize: pageSizeOf(request),
          now: app.deps.clock.now(),
        },
        app.deps.store,
      );
      return sendPage(request, reply, 'Entities', page);
    },
  );
}

import { publicOrigin } from '../publicOrigin.js';
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { ProblemError, canSubmitForm, scopeFilter, submittableForm } from '@outpost/core';
import type { Action } from '@outpost/core';
import type { Actor } from '../../auth/sessions.js';
import { mayAttach } from '../../attachments/mayAttach.js';
import { linkAttachment } from '../../attachments/linkAttachment.js';
import { entityListsOf, readEntityListCsv } from '../../forms/readEntityListCsv.js';
import { multipartBoundary, parseMultipart } from '../../openrosa/multipart.js';
import { openRosaActor } from '../../openrosa/openRosaActor.js';
import { formListXml, integrityXml, manifestXml, openRosaResponse } from '../../openrosa/openRosaXml.js';
import type { MediaFileEntry } from '../../openrosa/openRosaXml.js';
import { catalogueFor, openProject, requireProjectAction } from '../../policy/index.js';
import type { ProjectAccess } from '../../policy/index.js';
import { allEntities } from '../../storage/queries/entities.js';
import { findEntityListByName, listForms, listProjectFormVersions } from '../../storage/queries/forms.js';
import { findFormMedia, listFormMedia } from '../../storage/queries/formMedia.js';
import type { StoredFormVersion } from '../../storage/queries/forms.js';
import { receiveSubmission } from '../../submissions/receiveSubmission.js';
import { processEntityBacklog } from '../../entities/index.js';

const token = Type.Optional(Type.String({ maxLength: 200 }));
const projectId = Type.String({ format: 'uuid' });
const xmlFormId = Type.String({ minLength: 1, maxLength: 200 });
const ProjectParams = Type.Object({ token, projectId });
// The same parameter name as the routes below it (one router node): `<xmlFormId>.xml`.
const FormFileParams = Type.Object({ token, projectId, xmlFormId: Type.String({ minLength: 5, maxLength: 204 }) });
const FormParams = Type.Object({ token, projectId, xmlFormId });
const MediaParams = Type.Object({ token, projectId, xmlFormId, name: Type.String({ minLength: 1, maxLength: 200 }) });
const DatasetParams = Type.Object({ token, projectId, name: Type.String({ minLength: 1, maxLength: 200 }) });
const FormListQuery = Type.Object({
  formID: Type.Optional(Type.String({ maxLength: 200 })),
  verbose: Type.Optional(Type.String({ maxLength: 10 })),
  listAllVersions: Type.Optional(Type.String({ maxLength: 10 })),
});
const IntegrityQuery = Type.Object({ id: Type.Optional(Type.String({ maxLength: 100_000 })) });

/** Whoever may fill a form may download it and its media; readers may too, as in the app. */
const READ_FORMS: readonly Action[] = ['cases.write', 'cases.read', 'incidents.evidence.read'];
const MAX_PARTS = 100;

const md5 = (text: string | Buffer) => `md5:${createHash('md5').update(text).digest('hex')}`;

async function accessFor(
  request: FastifyRequest<{ Params: { projectId: string } }>,
  actions: readonly Action[],
): Promise<ProjectAccess> {
  const actor = await openRosaActor(request);
  const access = await openProject(actor, request.params.projectId, request.server.deps.store);
  requireProjectAction(access, ...actions);
  return access;
}

/** The absolute URL of this project's OpenRosa root, key included, as the request reached it. */
function projectBase(request: FastifyRequest<{ Params: { projectId: string; token?: string } }>): string {
  const key = request.params.token === undefined ? '' : `/key/${request.params.token}`;
  return `${publicOrigin(request)}/v1${key}/projects/${request.params.projectId}`;
}

/** The form's newest version, as the form list offers it. */
async function latestVersion(
  access: ProjectAccess,
  xmlFormId: string,
  request: FastifyRequest,
): Promise<StoredFormVersion> {
  const versions = await listProjectFormVersions(access.project.id, request.server.deps.store);
  const latest = versions.find((v) => v.xmlFormId === xmlFormId);
  if (latest === undefined) throw new ProblemError('form.not-found');
  return latest;
}

/** The download URL of a form's media file. */
const mediaUrl = (base: string, version: StoredFormVersion, name: string) =>
  `${base}/forms/${encodeURIComponent(version.xmlFormId)}/attachments/${encodeURIComponent(name)}`;

/**
 * A form's media: the files stored with its version (images, audio, static CSV…), then the entity
 * lists it reads that are this project's and that no stored file of the same name replaces.
 */
async function mediaOf(
  access: ProjectAccess,
  version: StoredFormVersion,
  request: FastifyRequest,
): Promise<MediaFileEntry[]> {
  const base = projectBase(request as FastifyRequest<{ Params: { projectId: string; token?: string } }>);
  const stored = await listFormMedia(version.id, request.server.deps.store);
  const files: MediaFileEntry[] = stored.map((m) => ({
    filename: m.name,
    hash: `md5:${m.md5}`,
    downloadUrl: mediaUrl(base, version, m.name),
    integrityUrl: null,
  }));
  const storedNames = new Set(stored.map((m) => m.name));
  for (const list of entityListsOf(version)) {
    if (storedNames.has(`${list}.csv`)) continue;
    const csv = await readEntityListCsv(access, version, `${list}.csv`, request.server.deps.store).catch(
      (err: unknown) => {
        if (err instanceof ProblemError && err.problem.code === 'form.not-found') return null;
        throw err;
      },
    );
    if (csv === null) continue;
    files.push({
      filename: `${list}.csv`,
      hash: md5(csv),
      downloadUrl: mediaUrl(base, version, `${list}.csv`),
      integrityUrl: `${base}/datasets/${encodeURIComponent(list)}/integrity`,
    });
  }
  return files;
}

/** `attachment` with an ASCII fallback and the UTF-8 name (RFC 6266), so Cyrillic names survive. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * The OpenRosa APIs under ODK Central's URL layout, registered at `/v1` (web users, HTTP Basic)
 * and at `/v1/key/:token` (app users). Forms, entity lists and submissions go through the same
 * code paths and policy as the app's own API and sync.
 */
export async function openRosaRoutes(app: FastifyInstance): Promise<void> {
  const acceptBytes = app.deps.settings.attachmentMaxBytes;
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: acceptBytes }, (_req, body, done) =>
    done(null, body),
  );
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-openrosa-version', '1.0');
    reply.header('x-openrosa-accept-content-length', String(acceptBytes));
    reply.header('date', new Date().toUTCString());
    if (reply.statusCode === 401) reply.header('www-authenticate', 'Basic realm="Outpost", charset="UTF-8"');
    return payload;
  });

  app.get<{ Params: Static<typeof ProjectParams>; Querystring: Static<typeof FormListQuery> }>(
    '/projects/:projectId/formList',
    { schema: { params: ProjectParams, querystring: FormListQuery } },
    async (request, reply) => {
      const { store } = app.deps;
      const access = await accessFor(request, READ_FORMS);
      const forms = await listForms(access.project.id, store);
      const versions = await listProjectFormVersions(access.project.id, store);
      const catalogue = await catalogueFor(access.project.id, store);
      const all = request.query.listAllVersions === 'true';
      const base = projectBase(request);
      const entries = [];
      for (const form of forms) {
        if (request.query.formID !== undefined && request.query.formID !== form.xml_form_id) continue;
        const mine = versions.filter((v) => v.formId === form.id);
        // Only the forms the caller may fill: the same rule as the app's form list.
        const latest = mine[0];
        if (latest === undefined) continue;
        if (!canSubmitForm(access.actor, access.project.id, submittableForm(latest.summary), catalogue).allowed)
          continue;
        for (const version of all ? mine : mine.slice(0, 1)) {
          const media = await mediaOf(access, version, request);
          entries.push({
            formId: form.xml_form_id,
            name: version.summary.title,
            version: version.version,
            hash: md5(version.xform),
            downloadUrl: `${base}/forms/${encodeURIComponent(form.xml_form_id)}.xml`,
            manifestUrl: media.length === 0 ? null : `${base}/forms/${encodeURIComponent(form.xml_form_id)}/manifest`,
          });
        }
      }
      return reply.type('text/xml; charset=utf-8').send(formListXml(entries, request.query.verbose === 'true'));
    },
  );

  app.get<{ Params: Static<typeof FormFileParams> }>(
    '/projects/:projectId/forms/:xmlFormId',
    { schema: { params: FormFileParams } },
    async (request, reply) => {
      const xmlFormId = /^(.+)\.xml$/.exec(request.params.xmlFormId)?.[1];
      if (xmlFormId === undefined) throw new ProblemError('form.not-found');
      const access = await accessFor(request, READ_FORMS);
      const version = await latestVersion(access, xmlFormId, request);
      return reply.type('text/xml; charset=utf-8').send(version.xform);
    },
  );

  app.get<{ Params: Static<typeof FormParams> }>(
    '/projects/:projectId/forms/:xmlFormId/manifest',
    { schema: { params: FormParams } },
    async (request, reply) => {
      const access = await accessFor(request, READ_FORMS);
      const version = await latestVersion(access, request.params.xmlFormId, request);
      const media = await mediaOf(access, version, request);
      return reply.type('text/xml; charset=utf-8').send(manifestXml(media));
    },
  );

  app.get<{ Params: Static<typeof MediaParams> }>(
    '/projects/:projectId/forms/:xmlFormId/attachments/:name',
    { schema: { params: MediaParams } },
    async (request, reply) => {
      const access = await accessFor(request, READ_FORMS);
      const version = await latestVersion(access, request.params.xmlFormId, request);
      const file = await findFormMedia(version.id, request.params.name.normalize('NFC'), app.deps.store);
      if (file !== undefined) {
        // A form's own media go only to whoever may fill it, as the form list offers it.
        const catalogue = await catalogueFor(access.project.id, app.deps.store);
        if (!canSubmitForm(access.actor, access.project.id, submittableForm(version.summary), catalogue).allowed) {
          throw new ProblemError('auth.forbidden');
        }
        const blob = await app.deps.blobs.get(file.sha256);
        if (blob === null)
          throw new ProblemError('form.not-found', `The bytes of "${file.name}" are not on this server.`);
        const etag = `"${file.md5}"`;
        reply.header('etag', etag);
        if (request.headers['if-none-match'] === etag) return reply.code(304).send();
        return reply
          .type(file.content_type)
          .header('content-length', String(file.bytes))
          .header('content-disposition', contentDisposition(file.name))
          .send(blob.stream);
      }
      const csv = await readEntityListCsv(access, version, request.params.name, app.deps.store);
      const etag = `"${createHash('md5').update(csv).digest('hex')}"`;
      reply.header('etag', etag);
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', contentDisposition(request.params.name))
        .send(csv);
    },
  );

  app.get<{ Params: Static<typeof DatasetParams>; Querystring: Static<typeof IntegrityQuery> }>(
    '/projects/:projectId/datasets/:name/integrity',
    { schema: { params: DatasetParams, querystring: IntegrityQuery } },
    async (request, reply) => {
      const { store } = app.deps;
      const access = await accessFor(request, READ_FORMS);
      const list = await findEntityListByName(access.project.id, request.params.name, store);
      if (list === undefined)
        throw new ProblemError('form.not-found', `"${request.params.name}" is not an entity list.`);
      const scope = scopeFilter(access.actor, access.project.id, { action: 'cases.read', recordKind: 'entity' });
      const visible = new Set(
        (await allEntities(access.project.id, { listName: request.params.name, scope }, store)).map((e) => e.id),
      );
      const asked = (request.query.id ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== '');
      // Deleted, or out of this caller's reach: either way the device must drop it.
      return reply
        .type('text/xml; charset=utf-8')
        .send(integrityXml(asked.slice(0, 10_000).map((id) => ({ id, deleted: !visible.has(id) }))));
    },
  );

  app.head<{ Params: Static<typeof ProjectParams> }>(
    '/projects/:projectId/submission',
    { schema: { params: ProjectParams } },
    async (request, reply) => {
      await accessFor(request, ['cases.write']);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: Static<typeof ProjectParams> }>(
    '/projects/:projectId/submission',
    {
      schema: { params: ProjectParams },
      bodyLimit: acceptBytes,
      // Who sends it is known before a byte of the body is read.
      onRequest: async (request) => {
        const req = request as FastifyRequest<{ Params: { projectId: string } }>;
        const actor = await openRosaActor(req);
        const access = await openProject(actor, req.params.projectId, req.server.deps.store);
        requireProjectAction(access, 'cases.write');
        submitters.set(request, { actor, access });
      },
    },
    async (request, reply) => {
      const { store, blobs, clock } = app.deps;
      const sender = submitters.get(request);
      if (sender === undefined) throw new ProblemError('auth.required');
      const { actor, access } = sender;
      const boundary = multipartBoundary(request.headers['content-type']);
      if (boundary === null || !Buffer.isBuffer(request.body)) {
        throw new ProblemError('request.unsupported-media-type', 'Send the submission as multipart/form-data.');
      }
      const parsed = parseMultipart(request.body, boundary, MAX_PARTS);
      if (!parsed.ok) throw new ProblemError('request.invalid', parsed.detail);
      const xmlPart = parsed.parts.find((p) => p.name === 'xml_submission_file');
      if (xmlPart === undefined) throw new ProblemError('request.invalid', 'The xml_submission_file part is missing.');
      const result = await receiveSubmission(
        {
          projectId: access.project.id,
          xml: xmlPart.content.toString('utf8'),
          userId: actor.userId,
          deviceId: actor.deviceId,
          policyActor: access.actor,
        },
        store,
      );
      if (!result.ok) {
        throw new ProblemError(result.code, result.detail, result.field === undefined ? {} : { field: result.field });
      }
      const { instanceId } = result.receipt;
      for (const part of parsed.parts) {
        if (part === xmlPart) continue;
        const name = part.fileName ?? part.name;
        if (!/^[^\0/\\]{1,200}$/.test(name)) throw new ProblemError('request.invalid', `"${name}" is not a file name.`);
        if (!(await mayAttach(access.actor, access.project.id, instanceId, store)))
          throw new ProblemError('auth.forbidden');
        const sha256 = createHash('sha256').update(part.content).digest('hex');
        const put = await blobs.put([part.content], { sha256, bytes: part.content.length });
        if (!put.ok) throw new ProblemError('request.invalid', put.detail);
        const link = await linkAttachment(
          {
            projectId: access.project.id,
            instanceId,
            name,
            sha256,
            bytes: part.content.length,
            contentType: part.contentType,
          },
          { userId: actor.userId, at: clock.now().toISOString() },
          store,
        );
        if (!link.ok) throw new ProblemError(link.code, link.detail);
      }
      const entityId = result.receipt.entity?.entityId;
      if (result.created && entityId !== undefined) {
        await processEntityBacklog(entityId, { now: clock.now().toISOString() }, store);
      }
      return reply
        .code(201)
        .type('text/xml; charset=utf-8')
        .send(openRosaResponse(result.created ? 'Form received.' : 'Submission already received; attachments added.'));
    },
  );
}

const submitters = new WeakMap<FastifyRequest, { actor: Actor; access: ProjectAccess }>();

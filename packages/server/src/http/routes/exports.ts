import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { ProblemError } from '@outpost/core';
import { ExportError, exportForm, exportFormats, exportLanguages } from '../../exports/exportForm.js';
import type { ExportFormat, ExportInput } from '../../exports/exportForm.js';
import {
  cancelExportJob,
  exportJob,
  exportJobFile,
  exportJobLimits,
  runningExports,
  startExportJob,
} from '../../exports/exportJobs.js';
import type { ProjectAccess } from '../../policy/index.js';
import type { Actor } from '../../auth/sessions.js';
import { catalogueFor, openProject, requireProjectAction } from '../../policy/index.js';
import { findForm } from '../../storage/index.js';
import { requireActor } from '../authenticate.js';

const Params = Type.Object({
  projectId: Type.String({ format: 'uuid' }),
  formId: Type.String({ minLength: 1, maxLength: 200 }),
});
const Query = Type.Object({
  format: Type.Union(exportFormats.map((f) => Type.Literal(f))),
  country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
  contactEmail: Type.Optional(Type.String({ maxLength: 200, pattern: '^[^@\\s]+@[^@\\s]+$' })),
  publisher: Type.Optional(Type.String({ maxLength: 200 })),
  licence: Type.Optional(Type.String({ maxLength: 300 })),
  lang: Type.Optional(Type.Union(exportLanguages.map((l) => Type.Literal(l)))),
});

const TYPES: Record<ExportFormat, { type: string; ext: string }> = {
  csv: { type: 'application/zip', ext: 'csv.zip' },
  xlsx: { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: 'xlsx' },
  geojson: { type: 'application/geo+json', ext: 'geojson' },
  dwca: { type: 'application/zip', ext: 'dwca.zip' },
};

const JobParams = Type.Object({ projectId: Type.String({ format: 'uuid' }), jobId: Type.String({ format: 'uuid' }) });

type ExportQuery = Static<typeof Query>;

/** A member who may still export in the project (their export jobs are theirs alone). */
async function requireExporter(
  request: FastifyRequest<{ Params: Static<typeof JobParams> }>,
  reply: FastifyReply,
): Promise<Actor> {
  const actor = await requireActor(request, reply);
  requireProjectAction(await openProject(actor, request.params.projectId, request.server.deps.store), 'exports.run');
  return actor;
}

/**
 * Who exports which form how: the member (with `exports.run`), the form, and the export's input
 * with the policy, the language and a Darwin Core Archive's metadata. Refuses a dwca without its
 * country and contact.
 */
async function exportRequest(
  request: FastifyRequest<{ Params: Static<typeof Params> }>,
  reply: FastifyReply,
  query: ExportQuery,
): Promise<{ actor: Actor; access: ProjectAccess; input: ExportInput; fileName: string }> {
  const actor = await requireActor(request, reply);
  const { store } = request.server.deps;
  const access = await openProject(actor, request.params.projectId, store);
  requireProjectAction(access, 'exports.run');
  const { project } = access;
  const form = await findForm(project.id, request.params.formId, store);
  if (form === undefined) throw new ProblemError('form.not-found');
  const { format, country, contactEmail } = query;
  if (format === 'dwca' && (country === undefined || contactEmail === undefined)) {
    throw new ProblemError('export.not-possible', 'A Darwin Core Archive needs `country` and `contactEmail`.');
  }
  const catalogue = await catalogueFor(project.id, store);
  const input: ExportInput = {
    formId: form.id,
    format,
    actorId: actor.userId,
    policy: { actor: access.actor, catalogue, projectId: project.id },
    ...(query.lang ? { lang: query.lang } : {}),
    ...(format === 'dwca'
      ? {
          dwc: {
            countryCode: country ?? '',
            contactEmail: contactEmail ?? '',
            kingdom: 'Animalia',
            publisher: query.publisher ?? project.name,
            licence: query.licence ?? 'CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)',
            title: `${project.name}: ${form.xml_form_id}`,
            description: `Occurrences recorded with the form ${form.xml_form_id} in ${project.name}.`,
            pubDate: new Date().toISOString().slice(0, 10),
          },
        }
      : {}),
  };
  const fileName = `${form.xml_form_id.replace(/[^A-Za-z0-9._-]/g, '_')}.${TYPES[format].ext}`;
  return { actor, access, input, fileName };
}

/**
 * GET /projects/:projectId/forms/:formId/export?format=csv|xlsx|geojson|dwca — the same export
 * as `outpost export`, streamed, for a member with `exports.run`: only the submissions their scope
 * reaches, each redacted (and its locations coarsened) as the app would show it; audited.
 */
export async function exportRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: Static<typeof Params>; Querystring: Static<typeof Query> }>(
    '/projects/:projectId/forms/:formId/export',
    { schema: { params: Params, querystring: Query } },
    async (request, reply) => {
      const { input, fileName } = await exportRequest(request, reply, request.query);
      const out = new PassThrough();
      const running = exportForm(input, app.deps.store, out).then(
        () => out.end(),
        (err: unknown) => {
          out.destroy(err instanceof Error ? err : new Error(String(err)));
          throw err;
        },
      );
      // A refusal found before the first byte (no Darwin Core fields) is a problem, not a broken file.
      const first = await Promise.race([once(out, 'readable').then(() => null), running.then(() => null)]).catch(
        (err: unknown) => err,
      );
      if (first instanceof ExportError) throw new ProblemError('export.not-possible', first.message);
      if (first instanceof Error) throw first;
      running.catch((err: unknown) => request.log.error({ err: String(err) }, 'export failed while streaming'));
      return reply
        .type(TYPES[request.query.format].type)
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .send(out);
    },
  );

  // The web app's exports: started, watched (rows written of the total), cancelled, then fetched.
  app.post<{ Params: Static<typeof Params>; Body: Static<typeof Query> }>(
    '/projects/:projectId/forms/:formId/exports',
    { schema: { params: Params, body: Query } },
    async (request, reply) => {
      const { actor, access, input, fileName } = await exportRequest(request, reply, request.body);
      if (runningExports(actor.userId) >= exportJobLimits.perUser) {
        void reply.header('retry-after', '10');
        throw new ProblemError(
          'request.rate-limited',
          `At most ${exportJobLimits.perUser} exports run at once for you.`,
        );
      }
      const job = await startExportJob(
        { ...input, userId: actor.userId, projectId: access.project.id },
        fileName,
        app.deps.store,
      );
      return reply.code(202).send(job);
    },
  );

  app.get<{ Params: Static<typeof JobParams> }>(
    '/projects/:projectId/exports/:jobId',
    { schema: { params: JobParams } },
    async (request, reply) => {
      const actor = await requireExporter(request, reply);
      const job = exportJob(request.params.jobId, actor.userId, request.params.projectId);
      if (job === undefined) throw new ProblemError('export.not-found');
      return reply.send(job);
    },
  );

  app.delete<{ Params: Static<typeof JobParams> }>(
    '/projects/:projectId/exports/:jobId',
    { schema: { params: JobParams } },
    async (request, reply) => {
      const actor = await requireExporter(request, reply);
      if (!(await cancelExportJob(request.params.jobId, actor.userId, request.params.projectId))) {
        throw new ProblemError('export.not-found');
      }
      return reply.code(204).send();
    },
  );

  app.get<{ Params: Static<typeof JobParams> }>(
    '/projects/:projectId/exports/:jobId/file',
    { schema: { params: JobParams } },
    async (request, reply) => {
      const actor = await requireExporter(request, reply);
      const file = exportJobFile(request.params.jobId, actor.userId, request.params.projectId);
      if (file === 'missing') throw new ProblemError('export.not-found');
      if (file === 'not-ready') throw new ProblemError('export.not-ready');
      const format = file.view.format as ExportFormat;
      return reply
        .type(TYPES[format].type)
        .header('content-disposition', `attachment; filename="${file.view.fileName}"`)
        .send(createReadStream(file.path));
    },
  );
}

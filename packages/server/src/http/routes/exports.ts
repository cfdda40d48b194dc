import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { ProblemError } from '@outpost/core';
import { ExportError, exportForm, exportFormats, exportLanguages } from '../../exports/exportForm.js';
import type { ExportFormat } from '../../exports/exportForm.js';
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
      const actor = await requireActor(request, reply);
      const { store } = app.deps;
      const access = await openProject(actor, request.params.projectId, store);
      requireProjectAction(access, 'exports.run');
      const { project } = access;
      const form = await findForm(project.id, request.params.formId, store);
      if (form === undefined) throw new ProblemError('form.not-found');
      const { format, country, contactEmail } = request.query;
      if (format === 'dwca' && (country === undefined || contactEmail === undefined)) {
        throw new ProblemError('export.not-possible', 'A Darwin Core Archive needs `country` and `contactEmail`.');
      }
      const catalogue = await catalogueFor(project.id, store);
      const out = new PassThrough();
      const running = exportForm(
        {
          formId: form.id,
          format,
          actorId: actor.userId,
          policy: { actor: access.actor, catalogue, projectId: project.id },
          ...(request.query.lang ? { lang: request.query.lang } : {}),
          ...(format === 'dwca'
            ? {
                dwc: {
                  countryCode: country ?? '',
                  contactEmail: contactEmail ?? '',
                  kingdom: 'Animalia',
                  publisher: request.query.publisher ?? project.name,
                  licence: request.query.licence ?? 'CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)',
                  title: `${project.name}: ${form.xml_form_id}`,
                  description: `Occurrences recorded with the form ${form.xml_form_id} in ${project.name}.`,
                  pubDate: new Date().toISOString().slice(0, 10),
                },
              }
            : {}),
        },
        store,
        out,
      ).then(
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
      const { type, ext } = TYPES[format];
      return reply
        .type(type)
        .header(
          'content-disposition',
          `attachment; filename="${form.xml_form_id.replace(/[^A-Za-z0-9._-]/g, '_')}.${ext}"`,
        )
        .send(out);
    },
  );
}

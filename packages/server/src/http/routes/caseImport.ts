import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { ProblemError, problem } from '@outpost/core';
import { importCases } from '../../cases/importCases.js';
import { openProject, requireProjectAction } from '../../policy/index.js';
import { requireActor } from '../authenticate.js';
import { XLSX_TYPE } from './formUpload.js';

/** A register of 100,000 rows as CSV fits; an .xlsx is bounded again before it is unpacked. */
const REGISTER_LIMIT_BYTES = 32 * 1024 * 1024;
const CSV_TYPES = ['text/csv', 'application/csv'] as const;

const ProjectParams = Type.Object({ projectId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
const ImportQuery = Type.Object(
  {
    list: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$' }),
    dryRun: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);

/** `register.csv` or `register.xlsx`, from the body's type (the file name is only shown back). */
function registerName(type: string): string {
  return type === XLSX_TYPE ? 'register.xlsx' : 'register.csv';
}

export async function caseImportRoutes(app: FastifyInstance): Promise<void> {
  // Only in this plugin: the rest of the API keeps refusing CSV and spreadsheets.
  app.addContentTypeParser(
    [...CSV_TYPES, XLSX_TYPE],
    { parseAs: 'buffer', bodyLimit: REGISTER_LIMIT_BYTES },
    (_req, body, done) => done(null, body),
  );

  // An office's existing register into a list, as `outpost cases import` does: with dryRun=true
  // every row is checked and what would change is counted; without, the same check runs again and
  // the file is imported whole or not at all. Administrators of the project only.
  app.post<{ Params: Static<typeof ProjectParams>; Querystring: Static<typeof ImportQuery> }>(
    '/projects/:projectId/cases/import',
    { schema: { params: ProjectParams, querystring: ImportQuery }, bodyLimit: REGISTER_LIMIT_BYTES },
    async (request, reply) => {
      const identity = await requireActor(request, reply);
      const { store, clock } = app.deps;
      const access = await openProject(identity, request.params.projectId, store);
      requireProjectAction(access, 'projects.manage');
      const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (!Buffer.isBuffer(request.body) || !([...CSV_TYPES, XLSX_TYPE] as string[]).includes(type)) {
        throw new ProblemError('request.unsupported-media-type', `Send the register as text/csv or ${XLSX_TYPE}.`);
      }
      const result = await importCases(
        {
          projectId: access.project.id,
          listName: request.query.list,
          fileName: registerName(type),
          bytes: new Uint8Array(request.body),
          actorId: access.actor.userId,
          at: clock.now().toISOString(),
          dryRun: request.query.dryRun === true,
        },
        store,
      );
      if (!result.ok) {
        return reply
          .code(422)
          .type('application/problem+json; charset=utf-8')
          .send({
            ...problem('import.invalid', `${result.problems.length} problem(s); nothing was imported.`),
            problems: result.problems,
          });
      }
      return { created: result.created, updated: result.updated, dryRun: result.dryRun };
    },
  );
}

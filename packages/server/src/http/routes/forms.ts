import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { validatorInfo } from '../../forms/validateSubmission.js';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { ProblemError, can, canSubmitForm, problem, submittableForm } from '@outpost/core';
import type { Action, CompileIssue } from '@outpost/core';
import { checkForm } from '../../forms/checkForm.js';
import { publishForm } from '../../forms/publishForm.js';
import { readEntityListCsv } from '../../forms/readEntityListCsv.js';
import { catalogueFor, openProject, requireProjectAction } from '../../policy/index.js';
import type { ProjectAccess } from '../../policy/index.js';
import { appendAuditEvent } from '../../storage/queries/audit.js';
import {
  findForm,
  findFormVersion,
  findFormXlsform,
  listFormVersions,
  listForms,
  listProjectFormVersions,
} from '../../storage/queries/forms.js';
import { requireActor } from '../authenticate.js';
import { FORM_LIMIT_BYTES, FORM_WITH_MEDIA_LIMIT_BYTES, XLSX_TYPE, formUploadOf } from './formUpload.js';

const projectId = Type.String({ format: 'uuid' });
const formId = Type.String({ minLength: 1, maxLength: 200 });
const versionName = Type.String({ maxLength: 200 });
const ProjectParams = Type.Object({ projectId });
const FormParams = Type.Object({ projectId, formId });
const VersionParams = Type.Object({ projectId, formId, version: versionName });
const AttachmentParams = Type.Object({
  projectId,
  formId,
  version: versionName,
  name: Type.String({ minLength: 1, maxLength: 200 }),
});

/** Reading a form is reading the project's records: whoever may read cases or evidence. */
const READ_FORMS: readonly Action[] = ['cases.read', 'incidents.evidence.read'];

/** Where an issue is, for the screen and for `outpost form`: sheet, row and column, and why. */
function issueView(issue: CompileIssue) {
  return { sheet: issue.sheet, row: issue.row, column: issue.column, message: issue.message, code: issue.code };
}

/** 422 `form.invalid` with every error, each with its sheet, row and column. */
function sendInvalid(reply: FastifyReply, detail: string, errors: readonly CompileIssue[]): FastifyReply {
  return reply
    .code(422)
    .type('application/problem+json; charset=utf-8')
    .send({ ...problem('form.invalid', detail), errors: errors.map(issueView) });
}

/** The project in the route, once the signed-in actor may do one of `actions` in it. */
async function projectFor(
  request: FastifyRequest<{ Params: { projectId: string } }>,
  reply: FastifyReply,
  actions: readonly Action[],
): Promise<ProjectAccess> {
  const actor = await requireActor(request, reply);
  const access = await openProject(actor, request.params.projectId, request.server.deps.store);
  requireProjectAction(access, ...actions);
  return access;
}

export async function formRoutes(app: FastifyInstance): Promise<void> {
  // Only in this plugin: the rest of the API keeps refusing spreadsheets.
  app.addContentTypeParser(XLSX_TYPE, { parseAs: 'buffer', bodyLimit: FORM_LIMIT_BYTES }, (_req, body, done) =>
    done(null, body),
  );
  // Publishing with media files: the workbook and the files as multipart/form-data (formUploadOf).
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: FORM_WITH_MEDIA_LIMIT_BYTES },
    (_req, body, done) => done(null, body),
  );

  app.post<{ Params: Static<typeof ProjectParams> }>(
    '/projects/:projectId/forms',
    { schema: { params: ProjectParams }, bodyLimit: FORM_WITH_MEDIA_LIMIT_BYTES },
    async (request, reply) => {
      const { store, blobs } = app.deps;
      const { project, actor } = await projectFor(request, reply, ['forms.publish']);
      const upload = formUploadOf(request, true);
      const result = await publishForm({ projectId: project.id, ...upload, blobs, actorId: actor.userId }, store);
      if (!result.ok) {
        if (result.code === 'form.invalid') return sendInvalid(reply, result.detail, result.errors);
        throw new ProblemError(result.code, result.detail);
      }
      const f = result.form;
      return reply.code(f.created ? 201 : 200).send({
        formId: f.formId,
        title: f.title,
        version: f.version,
        publishedAt: f.publishedAt,
        created: f.created,
        warnings: f.warnings.map(issueView),
        media: { stored: f.storedMedia, missing: f.missingMedia },
      });
    },
  );

  // The dry run: every error and warning, and what would change, before anything is stored.
  app.post<{ Params: Static<typeof ProjectParams> }>(
    '/projects/:projectId/forms/check',
    { schema: { params: ProjectParams }, bodyLimit: FORM_LIMIT_BYTES },
    async (request, reply) => {
      const { store } = app.deps;
      const { project, actor } = await projectFor(request, reply, ['forms.publish']);
      const { fileName, bytes } = formUploadOf(request, false);
      const result = await checkForm({ projectId: project.id, fileName, bytes }, store);
      await appendAuditEvent(
        {
          actorId: actor.userId,
          action: 'form.checked',
          subject: `project:${project.id}`,
          details: result.ok
            ? { projectId: project.id, formId: result.check.formId, version: result.check.version, errors: 0 }
            : { projectId: project.id, errors: result.code === 'form.invalid' ? result.errors.length : 1 },
        },
        store,
      );
      if (!result.ok && result.code !== 'form.invalid') throw new ProblemError(result.code, result.detail);
      if (!result.ok) return sendInvalid(reply, result.detail, result.errors);
      const c = result.check;
      return {
        formId: c.formId,
        title: c.title,
        version: c.version,
        outcome: c.outcome,
        warnings: c.warnings.map(issueView),
        diff: c.diff,
        media: c.media,
      };
    },
  );

  app.get<{ Params: Static<typeof ProjectParams> }>(
    '/projects/:projectId/forms',
    { schema: { params: ProjectParams } },
    async (request, reply) => {
      const { store } = app.deps;
      const { project, actor } = await projectFor(request, reply, READ_FORMS);
      const forms = await listForms(project.id, store);
      const versions = await listProjectFormVersions(project.id, store);
      const catalogue = await catalogueFor(project.id, store);
      // Forms are offered to whoever may send them; those who publish or review submissions see
      // every form, flagged.
      const publishes =
        can(actor, 'forms.publish', { kind: 'project', projectId: project.id }).allowed ||
        can(actor, 'submissions.review', { kind: 'project', projectId: project.id }).allowed;
      const listed = forms.map((f) => {
        const mine = versions.filter((v) => v.formId === f.id);
        const latest = mine[0];
        const submittable =
          latest !== undefined && canSubmitForm(actor, project.id, submittableForm(latest.summary), catalogue).allowed;
        return { f, mine, latest, submittable };
      });
      return {
        items: listed
          .filter(({ submittable }) => submittable || publishes)
          .map(({ f, mine, latest, submittable }) => {
            return {
              formId: f.xml_form_id,
              submittable,
              title: f.title,
              createdAt: f.created_at,
              versions: mine.length,
              latestVersion:
                latest === undefined
                  ? null
                  : {
                      version: latest.version,
                      publishedAt: latest.publishedAt,
                      entityList: latest.summary.entities?.dataset ?? null,
                    },
            };
          }),
      };
    },
  );

  app.get<{ Params: Static<typeof FormParams> }>(
    '/projects/:projectId/forms/:formId/versions',
    { schema: { params: FormParams } },
    async (request, reply) => {
      const { store } = app.deps;
      const { project } = await projectFor(request, reply, READ_FORMS);
      const form = await findForm(project.id, request.params.formId, store);
      if (!form) throw new ProblemError('form.not-found');
      const versions = await listFormVersions(form.id, store);
      return {
        items: versions.map((v) => ({
          version: v.version,
          title: v.summary.title,
          publishedAt: v.publishedAt,
          publishedBy: v.publishedBy,
          entityList: v.summary.entities?.dataset ?? null,
          validator: validatorInfo(v.xform),
        })),
      };
    },
  );

  app.get<{ Params: Static<typeof VersionParams> }>(
    '/projects/:projectId/forms/:formId/versions/:version/form.xml',
    { schema: { params: VersionParams } },
    async (request, reply) => {
      const { store } = app.deps;
      const { project } = await projectFor(request, reply, READ_FORMS);
      const version = await findFormVersion(project.id, request.params.formId, request.params.version, store);
      if (!version) throw new ProblemError('form.not-found');
      return reply.type('application/xml; charset=utf-8').send(version.xform);
    },
  );

  // The workbook a version was published from, byte for byte: the administrator edits and uploads it again.
  app.get<{ Params: Static<typeof VersionParams> }>(
    '/projects/:projectId/forms/:formId/versions/:version/form.xlsx',
    { schema: { params: VersionParams } },
    async (request, reply) => {
      const { store } = app.deps;
      const { project } = await projectFor(request, reply, ['forms.publish']);
      const { formId, version } = request.params;
      const bytes = await findFormXlsform(project.id, formId, version, store);
      if (bytes === undefined) throw new ProblemError('form.not-found');
      const name = `${formId}-${version}.xlsx`.replace(/[^A-Za-z0-9._-]/g, '_');
      return reply
        .type(XLSX_TYPE)
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(Buffer.from(bytes));
    },
  );

  app.get<{ Params: Static<typeof AttachmentParams> }>(
    '/projects/:projectId/forms/:formId/versions/:version/attachments/:name',
    { schema: { params: AttachmentParams } },
    async (request, reply) => {
      const { store } = app.deps;
      const access = await projectFor(request, reply, READ_FORMS);
      const { project } = access;
      const { name } = request.params;
      const version = await findFormVersion(project.id, request.params.formId, request.params.version, store);
      if (!version) throw new ProblemError('form.not-found', `This form version has no attachment "${name}".`);
      const csv = await readEntityListCsv(access, version, name, store);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(csv);
    },
  );
}

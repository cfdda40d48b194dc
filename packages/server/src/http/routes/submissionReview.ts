import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { ProblemError, projectGrants, readerView, scopeFilter } from '@outpost/core';
import type { PolicyActor } from '@outpost/core';
import type { ProjectAccess } from '../../policy/index.js';
import { catalogueFor, openProject, requireProjectAction } from '../../policy/index.js';
import { appendAuditEvent } from '../../storage/queries/audit.js';
import { findArea } from '../../storage/queries/areas.js';
import { findForm } from '../../storage/queries/forms.js';
import { findSubmission } from '../../storage/queries/submissions.js';
import { listAttachmentsOfInstance } from '../../storage/queries/attachments.js';
import {
  findReviewedSubmission,
  insertSubmissionComment,
  listReviewedSubmissions,
  reviewStates,
  reviewedSubmissionsIn,
  setReviewState,
  submissionComments,
  submissionVersions,
} from '../../storage/queries/submissionReview.js';
import type { ReviewState, ReviewedSubmission } from '../../storage/queries/submissionReview.js';
import type { Store } from '../../storage/store.js';
import {
  diffSubmissions,
  mayEdit,
  mayRead,
  mayReview,
  submissionRecord,
  viewComment,
  viewSubmission,
} from '../../submissions/review.js';
import { answerStrings } from '../../submissions/submissionEdit.js';
import { requireActor } from '../authenticate.js';

/**
 * The files of one version that its answers, as this reader sees them, name: a redacted photo
 * question leaves its file out. Each is fetched by hash from the attachment routes, which decide
 * again what this reader gets (metadata-free copies, thumbnails).
 */
async function filesOf(instanceId: string, data: Record<string, unknown>, store: Store) {
  const named = answerStrings(data);
  return (await listAttachmentsOfInstance(instanceId, store))
    .filter((file) => named.has(file.name))
    .map((file) => ({ name: file.name, sha256: file.sha256, contentType: file.content_type, bytes: file.bytes }));
}

// Review and cleaning (issue 12) under ODK Central's URL shapes: a form's submissions, one
// submission with its versions (edits) and comments, `PATCH` with `reviewState`, and a bulk
// review of a selection. Only what the reader may see, redacted as everywhere else.

const FormParams = Type.Object(
  {
    projectId: Type.String({ format: 'uuid' }),
    formId: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
const OneParams = Type.Object(
  {
    projectId: Type.String({ format: 'uuid' }),
    formId: Type.String({ minLength: 1, maxLength: 200 }),
    instanceId: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
const ListQuery = Type.Object(
  {
    /** Comma-separated review states; `received` is the state before any review. */
    reviewState: Type.Optional(Type.String({ maxLength: 200, pattern: '^[A-Za-z,]*$' })),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    area: Type.Optional(Type.String({ format: 'uuid' })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
  },
  { additionalProperties: false },
);
const settable = ['hasIssues', 'approved', 'rejected'] as const;
const ReviewBody = Type.Object(
  { reviewState: Type.Union(settable.map((s) => Type.Literal(s))) },
  { additionalProperties: false },
);
const BulkBody = Type.Object(
  {
    instanceIds: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 500 }),
    reviewState: Type.Union(settable.map((s) => Type.Literal(s))),
  },
  { additionalProperties: false },
);
const CommentBody = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: 10_000 }) },
  { additionalProperties: false },
);

type FormAccess = ProjectAccess & { projectId: string; formId: string; xmlFormId: string };

/** The signed-in actor and the form the request names, readable by the actor, or 401/403/404. */
async function openForm(
  request: FastifyRequest<{ Params: Static<typeof FormParams> }>,
  reply: FastifyReply,
  store: Store,
): Promise<FormAccess> {
  const identity = await requireActor(request, reply);
  const { projectId, formId: xmlFormId } = request.params;
  const access = await openProject(identity, projectId, store);
  requireProjectAction(access, 'cases.read');
  const form = await findForm(access.project.id, xmlFormId, store);
  if (form === undefined) throw new ProblemError('form.not-found');
  return { ...access, projectId: access.project.id, formId: form.id, xmlFormId };
}

function parseStates(text: string | undefined): Array<ReviewState | null> | undefined {
  if (text === undefined || text === '') return undefined;
  return text.split(',').map((s) => {
    if (s === 'received') return null;
    if ((reviewStates as readonly string[]).includes(s)) return s as ReviewState;
    throw new ProblemError('submission.review-state-invalid', `"${s}" is not a review state.`);
  });
}

/** The current version of the submission `instanceId` belongs to, readable by the actor, or 404. */
async function current(access: FormAccess, instanceId: string, store: Store) {
  const versions = await submissionVersions(access.formId, instanceId, store);
  const head = versions.at(-1);
  if (head === undefined || !mayRead(access.actor, head)) {
    throw new ProblemError('request.not-found', 'No such submission.');
  }
  return { head, versions };
}

/** The current version of a submission the actor may review, or 403 with `refusal` / 404. */
async function reviewableHead(access: FormAccess, instanceId: string, store: Store, refusal: string) {
  requireProjectAction(access, 'submissions.review');
  const { head } = await current(access, instanceId, store);
  if (!mayReview(access.actor, head)) throw new ProblemError('auth.forbidden', refusal);
  return head;
}

function identifying(actor: PolicyActor, s: ReviewedSubmission): boolean {
  return readerView(actor, submissionRecord(s))?.show.identifying === true;
}

export async function submissionReviewRoutes(app: FastifyInstance): Promise<void> {
  const base = '/projects/:projectId/forms/:formId/submissions';

  app.get<{ Params: Static<typeof FormParams>; Querystring: Static<typeof ListQuery> }>(
    base,
    { schema: { params: FormParams, querystring: ListQuery } },
    async (request, reply) => {
      const { store } = app.deps;
      const q = request.query;
      const access = await openForm(request, reply, store);
      let areaPath: string | undefined;
      if (q.area !== undefined) {
        // Filtering by area tells where a submission is: only for roles shown exact locations.
        const grants = projectGrants(access.actor, access.projectId);
        if (!grants.every((g) => g.view.location === 'exact')) {
          throw new ProblemError(
            'auth.forbidden',
            'Your role is not shown exact locations, so it cannot filter by area.',
          );
        }
        const area = await findArea(q.area, store);
        if (area === undefined || area.project_id !== access.projectId)
          throw new ProblemError('request.not-found', 'No such area.');
        areaPath = area.path;
      }
      const states = parseStates(q.reviewState);
      const scope = scopeFilter(access.actor, access.projectId, { action: 'cases.read', recordKind: 'submission' });
      const page = await listReviewedSubmissions(
        access.formId,
        {
          scope,
          ...(states === undefined ? {} : { states }),
          ...(q.from === undefined ? {} : { from: new Date(q.from).toISOString() }),
          ...(q.to === undefined ? {} : { to: new Date(q.to).toISOString() }),
          ...(areaPath === undefined ? {} : { areaPath }),
          limit: q.limit,
          offset: q.offset,
        },
        store,
      );
      const catalogue = await catalogueFor(access.projectId, store);
      // The SQL scope and the record check agree; a row they disagree on is left out, not shown.
      const items = page.items
        .filter((s) => mayRead(access.actor, s))
        .map((s) => viewSubmission(access.actor, s, catalogue));
      await appendAuditEvent(
        {
          actorId: access.actor.userId,
          action: 'submission.list',
          subject: access.formId,
          details: { projectId: access.projectId, count: items.length },
        },
        store,
      );
      return { items, total: page.total };
    },
  );

  app.get<{ Params: Static<typeof OneParams> }>(
    `${base}/:instanceId`,
    { schema: { params: OneParams } },
    async (request, reply) => {
      const { store } = app.deps;
      const p = request.params;
      const access = await openForm(request, reply, store);
      const { head, versions } = await current(access, p.instanceId, store);
      const catalogue = await catalogueFor(access.projectId, store);
      const views = versions
        .filter((v) => mayRead(access.actor, v))
        .map((v) => viewSubmission(access.actor, v, catalogue));
      const people = identifying(access.actor, head);
      const comments = await submissionComments(
        versions.map((v) => v.instanceId),
        store,
      );
      await appendAuditEvent(
        {
          actorId: access.actor.userId,
          action: 'submission.read',
          subject: head.instanceId,
          details: { projectId: access.projectId, formId: access.xmlFormId },
        },
        store,
      );
      const files = await Promise.all(views.map((v) => filesOf(v.instanceId, v.data, store)));
      const withFiles = views.map((v, i) => ({ ...v, attachments: files[i] ?? [] }));
      return {
        submission: withFiles.at(-1),
        // Oldest first; each edit with what it changed against the version it replaced.
        versions: withFiles.map((v, i) => {
          const older = withFiles[i - 1];
          return { ...v, changes: older === undefined ? [] : diffSubmissions(older.data, v.data) };
        }),
        comments: comments.map((c) => viewComment(c, people)),
        mayReview: mayReview(access.actor, head),
        mayEdit: mayEdit(access.actor, head, catalogue),
      };
    },
  );

  // The current version's instance XML, to open in the form for an edit (ours; Central serves
  // `…/submissions/:instanceId.xml`). Only to a reviewer shown every answer (mayEdit).
  app.get<{ Params: Static<typeof OneParams> }>(
    `${base}/:instanceId/edit`,
    { schema: { params: OneParams } },
    async (request, reply) => {
      const { store } = app.deps;
      const p = request.params;
      const access = await openForm(request, reply, store);
      const head = await reviewableHead(access, p.instanceId, store, 'You may not edit this submission.');
      const catalogue = await catalogueFor(access.projectId, store);
      if (!mayEdit(access.actor, head, catalogue)) {
        throw new ProblemError(
          'auth.forbidden',
          'Your role is not shown every answer of this submission, so it cannot edit it.',
        );
      }
      const row = await findSubmission(head.instanceId, store);
      if (row === undefined) throw new ProblemError('request.not-found', 'No such submission.');
      await appendAuditEvent(
        {
          actorId: access.actor.userId,
          action: 'submission.read',
          subject: head.instanceId,
          details: { projectId: access.projectId, formId: access.xmlFormId, forEdit: true },
        },
        store,
      );
      // Its files by name, so the form opens with its photos; the edit keeps those it still names.
      const attachments = (await listAttachmentsOfInstance(head.instanceId, store)).map((file) => ({
        name: file.name,
        sha256: file.sha256,
        contentType: file.content_type,
        bytes: file.bytes,
      }));
      return {
        instanceId: head.instanceId,
        formId: access.xmlFormId,
        version: head.version,
        xml: row.xml,
        attachments,
      };
    },
  );

  app.patch<{ Params: Static<typeof OneParams>; Body: Static<typeof ReviewBody> }>(
    `${base}/:instanceId`,
    { schema: { params: OneParams, body: ReviewBody } },
    async (request, reply) => {
      const { store } = app.deps;
      const p = request.params;
      const access = await openForm(request, reply, store);
      const head = await reviewableHead(access, p.instanceId, store, 'You may not review this submission.');
      const state = request.body.reviewState;
      await store.transaction(async (tx) => {
        await setReviewState([head.instanceId], state, tx);
        await appendAuditEvent(
          {
            actorId: access.actor.userId,
            action: 'submission.review',
            subject: head.instanceId,
            details: { projectId: access.projectId, formId: access.xmlFormId, from: head.reviewState, to: state },
          },
          tx,
        );
      });
      const updated = await findReviewedSubmission(access.formId, head.instanceId, store);
      const catalogue = await catalogueFor(access.projectId, store);
      return updated === undefined ? reply.code(404).send() : viewSubmission(access.actor, updated, catalogue);
    },
  );

  app.post<{ Params: Static<typeof FormParams>; Body: Static<typeof BulkBody> }>(
    `${base}/review`,
    { schema: { params: FormParams, body: BulkBody } },
    async (request, reply) => {
      const { store } = app.deps;
      const access = await openForm(request, reply, store);
      requireProjectAction(access, 'submissions.review');
      const wanted = [...new Set(request.body.instanceIds)];
      const scope = scopeFilter(access.actor, access.projectId, { action: 'cases.read', recordKind: 'submission' });
      const found = await reviewedSubmissionsIn(access.formId, wanted, scope, store);
      const reviewable = found.filter((s) => mayReview(access.actor, s));
      // All or nothing: a selection with a submission the reviewer cannot reach changes nothing.
      if (reviewable.length !== wanted.length) {
        throw new ProblemError(
          'request.not-found',
          `${wanted.length - reviewable.length} of the selected submissions are not current submissions you may review. Nothing was changed.`,
        );
      }
      const state = request.body.reviewState;
      await store.transaction(async (tx) => {
        await setReviewState(wanted, state, tx);
        for (const s of reviewable) {
          await appendAuditEvent(
            {
              actorId: access.actor.userId,
              action: 'submission.review',
              subject: s.instanceId,
              details: {
                projectId: access.projectId,
                formId: access.xmlFormId,
                from: s.reviewState,
                to: state,
                bulk: true,
              },
            },
            tx,
          );
        }
      });
      return reply.send({ updated: wanted.length, reviewState: state });
    },
  );

  app.get<{ Params: Static<typeof OneParams> }>(
    `${base}/:instanceId/comments`,
    { schema: { params: OneParams } },
    async (request, reply) => {
      const { store } = app.deps;
      const p = request.params;
      const access = await openForm(request, reply, store);
      const { head, versions } = await current(access, p.instanceId, store);
      const comments = await submissionComments(
        versions.map((v) => v.instanceId),
        store,
      );
      const people = identifying(access.actor, head);
      return comments.map((c) => viewComment(c, people));
    },
  );

  app.post<{ Params: Static<typeof OneParams>; Body: Static<typeof CommentBody> }>(
    `${base}/:instanceId/comments`,
    { schema: { params: OneParams, body: CommentBody } },
    async (request, reply) => {
      const { store } = app.deps;
      const p = request.params;
      const access = await openForm(request, reply, store);
      const head = await reviewableHead(access, p.instanceId, store, 'You may not comment on this submission.');
      const body = request.body.body.trim();
      if (body === '') throw new ProblemError('request.invalid', 'A comment needs some text.');
      const comment = {
        id: randomUUID(),
        instanceId: head.instanceId,
        authorId: access.actor.userId,
        body,
        at: new Date().toISOString(),
      };
      await store.transaction(async (tx) => {
        await insertSubmissionComment(comment, tx);
        // The comment's text is not in the audit trail: it may name people.
        await appendAuditEvent(
          {
            actorId: access.actor.userId,
            action: 'submission.comment',
            subject: head.instanceId,
            details: { projectId: access.projectId, formId: access.xmlFormId, commentId: comment.id },
          },
          tx,
        );
      });
      return reply.code(201).send(viewComment({ ...comment, authorName: null, createdAt: comment.at }, false));
    },
  );
}

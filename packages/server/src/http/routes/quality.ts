import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { ProblemError, type FieldInfo } from '@outpost/core';
import { catalogueFor, openProject, requireProjectAction } from '../../policy/index.js';
import { qualityReport } from '../../quality/qualityReport.js';
import { findForm, type Store } from '../../storage/index.js';
import { boundOf } from '../../quality/formRules.js';
import { appendAuditEvent } from '../../storage/queries/audit.js';
import { listFieldRanges, replaceFieldRanges } from '../../storage/queries/fieldRanges.js';
import { listFormVersions } from '../../storage/queries/forms.js';
import { requireActor } from '../authenticate.js';

const Params = Type.Object({
  projectId: Type.String({ format: 'uuid' }),
  formId: Type.String({ minLength: 1, maxLength: 200 }),
});

const Bound = Type.Union([Type.String({ maxLength: 40 }), Type.Null()]);
const RangesBody = Type.Object(
  {
    ranges: Type.Array(
      Type.Object(
        { path: Type.String({ minLength: 1, maxLength: 500 }), min: Bound, max: Bound },
        { additionalProperties: false },
      ),
      { maxItems: 500 },
    ),
  },
  { additionalProperties: false },
);

/** The member, their project and the form the URL names: 404 for a form the project lacks. */
async function openProjectForm(
  request: FastifyRequest<{ Params: Static<typeof Params> }>,
  reply: FastifyReply,
  action: 'exports.run' | 'projects.manage',
) {
  const { store } = request.server.deps;
  const actor = await requireActor(request, reply);
  const access = await openProject(actor, request.params.projectId, store);
  requireProjectAction(access, action);
  const form = await findForm(access.project.id, request.params.formId, store);
  if (form === undefined) throw new ProblemError('form.not-found');
  return { access, form };
}

/**
 * Each range checked against the form's newest version: a known question (else `request.invalid`:
 * a client's mistake), bounds that are numbers or dates, of one kind, min ≤ max (an administrator's:
 * their own codes, with the question as `field`).
 */
function checkedRanges(body: Static<typeof RangesBody>, fields: ReadonlySet<string>) {
  const seen = new Set<string>();
  return body.ranges.map((r, i) => {
    const at = `ranges[${i}]`;
    if (!fields.has(r.path)) throw new ProblemError('request.invalid', `${at}: the form has no question ${r.path}.`);
    if (seen.has(r.path)) throw new ProblemError('request.invalid', `${at}: ${r.path} is given twice.`);
    seen.add(r.path);
    const min = r.min === null || r.min.trim() === '' ? null : r.min.trim();
    const max = r.max === null || r.max.trim() === '' ? null : r.max.trim();
    const lo = min === null ? null : boundOf(min);
    const hi = max === null ? null : boundOf(max);
    const invalid = (detail: string) =>
      new ProblemError('form.field-range-invalid', `${at}: ${detail}`, { field: r.path });
    if ((min !== null && lo === null) || (max !== null && hi === null)) {
      throw invalid('a bound is a number or a date (YYYY-MM-DD).');
    }
    if (min === null && max === null) throw invalid('give a minimum or a maximum.');
    if (lo !== null && hi !== null && (typeof lo !== typeof hi || lo > hi)) {
      throw new ProblemError(
        'form.field-range-order',
        `${at}: the minimum must be of the maximum's kind and not above it.`,
        { field: r.path },
      );
    }
    return { path: r.path, min, max };
  });
}

/** The questions a min–max may be set on: numbers and dates answered once per submission. */
const RANGEABLE = new Set(['integer', 'int', 'decimal', 'range', 'date']);

function rangeableFields(fields: readonly FieldInfo[]) {
  const root = fields[0]?.path.split('/')[1] ?? 'data';
  return fields
    .filter((f) => RANGEABLE.has(f.type.split(/\s+/)[0] ?? '') && !f.repeat && !f.path.startsWith(`/${root}/meta/`))
    .map((f) => ({ path: f.path, name: f.name, type: f.type, labels: f.labels }));
}

/** What both field-ranges routes answer: the settings and the questions one may be set on. */
async function rangesView(formId: string, store: Store) {
  const latest = (await listFormVersions(formId, store))[0];
  return {
    ranges: await listFieldRanges(formId, store),
    fields: rangeableFields(latest?.summary.fields ?? []),
  };
}

/**
 * GET /projects/:projectId/forms/:formId/quality — the form's data-quality report (blank answers,
 * answers out of their range, older submissions the newest version would refuse) over the
 * submissions the member may export, with the fields they may not see left out.
 */
export async function qualityRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: Static<typeof Params> }>(
    '/projects/:projectId/forms/:formId/quality',
    { schema: { params: Params } },
    async (request, reply) => {
      const { store } = app.deps;
      const { access, form } = await openProjectForm(request, reply, 'exports.run');
      const catalogue = await catalogueFor(access.project.id, store);
      const report = await qualityReport(
        form.id,
        { actor: access.actor, catalogue, projectId: access.project.id },
        store,
      );
      return { form: form.xml_form_id, ...report };
    },
  );

  // Min–max per question as an administrator sets it (DHIS2's min–max per data element); the
  // out-of-range report uses it beside the form's own constraints. Reading: whoever reads the
  // report, with the questions (numbers and dates) a range may be set on; setting (the whole list
  // at once): who manages the project. Audited.
  app.get<{ Params: Static<typeof Params> }>(
    '/projects/:projectId/forms/:formId/field-ranges',
    { schema: { params: Params } },
    async (request, reply) => {
      const { store } = app.deps;
      const { form } = await openProjectForm(request, reply, 'exports.run');
      return rangesView(form.id, store);
    },
  );

  app.put<{ Params: Static<typeof Params>; Body: Static<typeof RangesBody> }>(
    '/projects/:projectId/forms/:formId/field-ranges',
    { schema: { params: Params, body: RangesBody } },
    async (request, reply) => {
      const { store } = app.deps;
      const { access, form } = await openProjectForm(request, reply, 'projects.manage');
      const latest = (await listFormVersions(form.id, store))[0];
      const fields = new Set((latest?.summary.fields ?? []).map((f) => f.path));
      const ranges = checkedRanges(request.body, fields);
      await store.transaction(async (tx) => {
        await replaceFieldRanges(form.id, ranges, { userId: access.actor.userId, at: new Date().toISOString() }, tx);
        await appendAuditEvent(
          {
            actorId: access.actor.userId,
            action: 'form.field-ranges',
            subject: form.id,
            details: { projectId: access.project.id, formId: form.xml_form_id, count: ranges.length },
          },
          tx,
        );
      });
      return rangesView(form.id, store);
    },
  );
}

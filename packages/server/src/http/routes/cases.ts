import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { ProblemError, scopeFilter } from '@outpost/core';
import type { PolicyActor, ScopeFilter } from '@outpost/core';
import {
  catalogueFor,
  openCase,
  openProject,
  readsLabels,
  redactEntity,
  requireProjectAction,
} from '../../policy/index.js';
import { areaNamesByIds } from '../../storage/queries/areas.js';
import { appendAuditEvent, latestRecentAuditEventOf } from '../../storage/queries/audit.js';
import { activeMergesInto } from '../../storage/queries/caseMerges.js';
import { findProjectEntityAnyState, listEntities } from '../../storage/queries/entities.js';
import { entityListNames } from '../../storage/queries/forms.js';
import { displayNamesOf } from '../../storage/queries/memberships.js';
import type { Store } from '../../storage/store.js';
import type { ActorIdentity } from '../../policy/index.js';
import { requireActor } from '../authenticate.js';

const CaseParams = Type.Object({ projectId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
const OneCaseParams = Type.Object(
  { projectId: Type.String({ format: 'uuid' }), caseId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
const CaseQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    list: Type.Optional(Type.String({ maxLength: 100, pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$' })),
    category: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' })),
    // The deleted cases instead, for roles that may restore them (`cases.assign`), as Central's
    // `GET …/entities?deleted=true`.
    deleted: Type.Optional(Type.Boolean()),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    offset: Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 }),
  },
  { additionalProperties: false },
);

export async function caseRoutes(app: FastifyInstance): Promise<void> {
  // What the actor may read of a project's cases, filtered in SQL (so `total` counts only those)
  // and each one redacted on the way out.
  app.get<{ Params: Static<typeof CaseParams>; Querystring: Static<typeof CaseQuery> }>(
    '/projects/:projectId/cases',
    { schema: { params: CaseParams, querystring: CaseQuery } },
    async (request, reply) => {
      const identity = await requireActor(request, reply);
      const { store } = app.deps;
      const access = await openProject(identity, request.params.projectId, store);
      const deleted = request.query.deleted === true;
      if (deleted) requireProjectAction(access, 'cases.assign');
      else requireProjectAction(access, 'cases.read', 'incidents.evidence.read');
      const { project, actor } = access;
      // Deleted cases: only those the actor could restore (read and assign them), as `setCaseDeleted` checks.
      const scope = deleted ? restoreScope(actor, project.id) : readScope(actor, project.id);
      const catalogue = await catalogueFor(project.id, store);
      const { q, list, category, limit, offset } = request.query;
      // Searching by name is reading names: a role that is not shown labels may not search them.
      const searched = list === undefined ? await entityListNames(project.id, store) : [list];
      if (q !== undefined && q.trim() !== '' && !readsLabels(actor, project.id, catalogue, searched)) {
        throw new ProblemError('auth.forbidden', 'Your role may not search cases by name.');
      }
      const page = await listEntities(
        project.id,
        { q: q ?? null, listName: list ?? null, category: category ?? null, scope, deleted, limit, offset },
        store,
      );
      const language = preferredLanguage(request.headers['accept-language']);
      const views = page.items.map((e) => ({
        entity: e,
        view: redactEntity(actor, e, e.area_path, catalogue, {
          status: e.status,
          categories: e.categories,
          updatedAt: e.updated_at,
        }),
      }));
      const areas = await areaLabels(
        views.map((v) => lastArea(v.view.areaPath)),
        language,
        store,
      );
      // Who works on each case, by name: shown with the case's name, so a role that sees no names sees neither.
      const assignees = await displayNamesOf(
        views.flatMap(({ entity, view }) =>
          entity.assignee_id === null || view.label === null ? [] : [entity.assignee_id],
        ),
        store,
      );
      await auditCaseList(
        actor.userId,
        { projectId: project.id, list: list ?? null, searched: q !== undefined && q.trim() !== '', offset },
        page.items.map((e) => e.id),
        app.deps.clock.now(),
        store,
      );
      return {
        items: views.map(({ entity, view }) => ({
          id: entity.id,
          list: entity.list_name,
          label: view.label,
          status: view.carried['status'] ?? null,
          area: areaOf(view.areaPath, areas),
          assignee:
            entity.assignee_id === null || view.label === null ? null : (assignees.get(entity.assignee_id) ?? null),
          categories: view.carried['categories'] ?? null,
          updatedAt: view.carried['updatedAt'] ?? null,
          ...(deleted ? { deletedAt: entity.deleted_at } : {}),
          hidden: view.marks.filter((m) => m.pointer === '/label').map((m) => m.pointer),
        })),
        total: page.total,
      };
    },
  );

  // One case in full, redacted. Out of reach and nonexistent answer alike, so ids cannot be probed.
  app.get<{ Params: Static<typeof OneCaseParams> }>(
    '/projects/:projectId/cases/:caseId',
    { schema: { params: OneCaseParams } },
    async (request, reply) => {
      const identity = await requireActor(request, reply);
      return caseDetail(identity, request.params, request.headers['accept-language'], app.deps.store, { audit: true });
    },
  );
}

/**
 * One case in full as the actor may read it, redacted, with its version (what an edit names as its
 * base) and categories; `audit` records the read (`case.read`).
 */
export async function caseDetail(
  identity: ActorIdentity,
  params: { projectId: string; caseId: string },
  acceptLanguage: string | undefined,
  store: Store,
  options: { audit: boolean },
) {
  const { project, actor, entity } = await openCase(identity, params.projectId, params.caseId, store);
  const catalogue = await catalogueFor(project.id, store);
  const carried = {
    status: entity.status,
    categories: entity.categories,
    version: Number(entity.version),
    conflict: entity.conflict,
    createdAt: entity.created_at,
    updatedAt: entity.updated_at,
  };
  const view = redactEntity(actor, entity, entity.area_path, catalogue, carried);
  const areas = await areaLabels([lastArea(view.areaPath)], preferredLanguage(acceptLanguage), store);
  // The duplicates merged into this case (kept, soft-deleted while merged), named as the case is.
  const merged = [];
  for (const merge of await activeMergesInto(entity.id, store)) {
    const duplicate = await findProjectEntityAnyState(project.id, merge.duplicate_id, store);
    if (duplicate === undefined) continue;
    merged.push({
      id: duplicate.id,
      label: redactEntity(actor, duplicate, duplicate.area_path, catalogue).label,
      mergedAt: merge.merged_at,
      taken: Object.keys(merge.taken).sort(),
    });
  }
  if (options.audit) {
    await appendAuditEvent(
      { actorId: actor.userId, action: 'case.read', subject: entity.id, details: { projectId: project.id } },
      store,
    );
  }
  return {
    id: entity.id,
    list: entity.list_name,
    label: view.label,
    ...view.carried,
    area: areaOf(view.areaPath, areas),
    assigneeId: entity.assignee_id,
    team: entity.team,
    properties: view.properties,
    hidden: view.marks.map((m) => ({ pointer: m.pointer, class: m.class, action: m.action })),
    merged,
  };
}

// A search typed letter by letter narrows what the last request showed: recorded once.
const searchCoalesceMs = 30_000;
const recentEvents = 200;

/**
 * Who saw which cases: one `case.list` event per list or search, with its filters (never the search
 * text: that may be a name) and the ids shown. A request that shows nothing the same user's previous
 * `case.list` of the same project and list did not already record, within half a minute, adds no
 * event: that is the same search being typed, or the same page shown again.
 */
async function auditCaseList(
  actorId: string,
  filters: { projectId: string; list: string | null; searched: boolean; offset: number },
  caseIds: readonly string[],
  now: Date,
  store: Store,
): Promise<void> {
  const last = await latestRecentAuditEventOf(actorId, recentEvents, store);
  if (last !== undefined && last.action === 'case.list' && now.getTime() - Date.parse(last.at) < searchCoalesceMs) {
    const details = last.details as { projectId?: unknown; list?: unknown; caseIds?: unknown };
    const seen = new Set(Array.isArray(details.caseIds) ? details.caseIds : []);
    const sameView = details.projectId === filters.projectId && (details.list ?? null) === filters.list;
    if (sameView && caseIds.every((id) => seen.has(id))) return;
  }
  await appendAuditEvent(
    {
      actorId,
      action: 'case.list',
      subject: `project:${filters.projectId}`,
      at: now.toISOString(),
      details: { ...filters, caseIds: [...caseIds] },
    },
    store,
  );
}

export function readScope(actor: PolicyActor, projectId: string): ScopeFilter {
  // `cases.read` includes evidence lists read with `incidents.evidence.read` alone (see core).
  return scopeFilter(actor, projectId, { action: 'cases.read', recordKind: 'entity' });
}

function restoreScope(actor: PolicyActor, projectId: string): ScopeFilter {
  const read = readScope(actor, projectId);
  const assign = scopeFilter(actor, projectId, { action: 'cases.assign', recordKind: 'entity' });
  return { kind: 'allOf', filters: [read, assign] };
}

/** The deepest area id of a (possibly truncated) path, or null when hidden. */
function lastArea(path: string | null): string | null {
  if (path === null) return null;
  const ids = path.split('/').filter((s) => s !== '');
  return ids[ids.length - 1] ?? null;
}

type AreaLabel = { id: string; code: string; name: string };

function areaOf(path: string | null, areas: ReadonlyMap<string, AreaLabel>): AreaLabel | null {
  const id = lastArea(path);
  return id === null ? null : (areas.get(id) ?? null);
}

async function areaLabels(
  ids: readonly (string | null)[],
  language: string,
  store: Store,
): Promise<Map<string, AreaLabel>> {
  const wanted = [...new Set(ids.flatMap((id) => (id === null ? [] : [id])))];
  if (wanted.length === 0) return new Map();
  const rows = await areaNamesByIds(wanted, store);
  return new Map(rows.map((a) => [a.id, { id: a.id, code: a.code, name: areaName(a.names, language) }]));
}

const languages = ['mn', 'en', 'tpi'] as const;

function preferredLanguage(header: string | undefined): string {
  for (const part of (header ?? '').split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase().split('-')[0];
    if (tag && (languages as readonly string[]).includes(tag)) return tag;
  }
  return 'en';
}

function areaName(names: Record<string, string>, language: string): string {
  return names[language] ?? names['en'] ?? names['mn'] ?? Object.values(names)[0] ?? '';
}

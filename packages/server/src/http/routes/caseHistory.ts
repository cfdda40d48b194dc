import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { catalogueFor, openCase, readsLabels, redactEntity } from '../../policy/index.js';
import { appendAuditEvent } from '../../storage/queries/audit.js';
import { caseHistory } from '../../storage/queries/caseHistory.js';
import { activeMergesInto } from '../../storage/queries/caseMerges.js';
import { requireActor } from '../authenticate.js';

const OneCaseParams = Type.Object(
  { projectId: Type.String({ format: 'uuid' }), caseId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);

export async function caseHistoryRoutes(app: FastifyInstance): Promise<void> {
  // The timeline of one case: every version, newest first, with the form that made it, who, when
  // and on which device. What each version set is redacted as the case itself is; a role that is
  // not shown names (analyst, partner) is not shown who made a change or on which device either.
  app.get<{ Params: Static<typeof OneCaseParams> }>(
    '/projects/:projectId/cases/:caseId/history',
    { schema: { params: OneCaseParams } },
    async (request, reply) => {
      const identity = await requireActor(request, reply);
      const { store } = app.deps;
      const { project, actor, entity } = await openCase(
        identity,
        request.params.projectId,
        request.params.caseId,
        store,
      );
      const catalogue = await catalogueFor(project.id, store);
      const people = readsLabels(actor, project.id, catalogue, [entity.list_name]);
      // The cases merged into this one keep their versions (and submissions): shown here, marked.
      const merged = (await activeMergesInto(entity.id, store)).map((m) => m.duplicate_id);
      const versions = await caseHistory(entity.id, merged, store);
      const items = versions.map((v, i) => {
        const older = versions.slice(i + 1).find((o) => o.entity_id === v.entity_id);
        const view = redactEntity(
          actor,
          { ...entity, label: v.label, properties: v.data_received },
          entity.area_path,
          catalogue,
        );
        const withheld = new Set(
          view.marks.flatMap((m) =>
            m.action === 'hidden' && m.pointer.startsWith('/properties/') ? [m.pointer.slice(12)] : [],
          ),
        );
        const changes = Object.fromEntries(
          Object.entries(view.properties).filter(([name]) => !withheld.has(name) && !name.startsWith('__')),
        );
        return {
          version: v.version,
          at: v.created_at,
          madeAt: v.made_at,
          form: v.form_id === null ? null : { id: v.form_id, title: v.form_title ?? v.form_id },
          by: people ? v.created_by_name : null,
          device: people ? v.device_name : null,
          // The label only when this version changed it and the role may see it.
          label: older === undefined || older.label !== v.label ? view.label : null,
          changes,
          withheld: [...withheld].filter((name) => Object.hasOwn(v.data_received, name)),
          conflict: v.conflict,
          source: v.source,
          action: v.action,
          baseVersion: v.base_version,
          trunkVersion: v.trunk_version,
          branchId: v.branch_id,
          // The merged case this version was made on; null for the case's own versions.
          mergedFrom: v.entity_id === entity.id ? null : v.entity_id,
        };
      });
      await appendAuditEvent(
        { actorId: actor.userId, action: 'case.history', subject: entity.id, details: { projectId: project.id } },
        store,
      );
      return { items };
    },
  );
}

import type { Action, PolicyActor, PolicyCatalogue, WriteCheck } from '@outpost/core';
import { ProblemError, can, labelClassOf, projectGrants } from '@outpost/core';
import type { ProblemCode } from '@outpost/core';
import type { ListedEntity } from '../storage/queries/entities.js';
import { activeMergeOf } from '../storage/queries/caseMerges.js';
import { findProjectEntity, findProjectEntityAnyState } from '../storage/queries/entities.js';
import { findProjectById } from '../storage/queries/projects.js';
import type { Project } from '../storage/schema.js';
import type { Store } from '../storage/store.js';
import type { ActorIdentity } from './loadPolicyActor.js';
import { catalogueFor } from './catalogueFor.js';
import { loadPolicyActor } from './loadPolicyActor.js';
import { recordOf } from './recordOf.js';
import { redactEntity } from './redactEntity.js';

export interface ProjectAccess {
  project: Project;
  actor: PolicyActor;
}

/**
 * The project as the actor may know it. A project that does not exist and one the actor holds no
 * membership in answer alike (404 `project.not-found`), so project ids cannot be probed.
 */
export async function openProject(identity: ActorIdentity, projectId: string, store: Store): Promise<ProjectAccess> {
  const project = await findProjectById(projectId, store);
  if (!project) throw new ProblemError('project.not-found');
  const actor = await loadPolicyActor(identity, store);
  if (projectGrants(actor, project.id).length === 0) throw new ProblemError('project.not-found');
  return { project, actor };
}

/**
 * One case as the actor may read it. A case that does not exist and one out of the actor's reach
 * answer alike (404 `request.not-found`), so case ids cannot be probed. A case merged into another
 * that the actor could read answers 409 `entity.merged` with `mergedInto`: the survivor's id and
 * label as the actor may see them, when she may read it (a link, a bookmark, a device that still
 * had it lead there).
 */
export async function openCase(
  identity: ActorIdentity,
  projectId: string,
  caseId: string,
  store: Store,
): Promise<ProjectAccess & { entity: ListedEntity }> {
  const { project, actor } = await openProject(identity, projectId, store);
  const id = caseId.toLowerCase();
  const entity = await findProjectEntity(project.id, id, store);
  if (entity === undefined) await refuseMerged(actor, project.id, id, store);
  if (entity === undefined || !can(actor, 'cases.read', recordOf(entity, entity.area_path)).allowed) {
    throw new ProblemError('request.not-found', 'No such case.');
  }
  return { project, actor, entity };
}

/** Throws `entity.merged` when `caseId` is a case the actor may read that is merged into another. */
async function refuseMerged(actor: PolicyActor, projectId: string, caseId: string, store: Store): Promise<void> {
  const merged = await findProjectEntityAnyState(projectId, caseId, store);
  if (merged === undefined || !can(actor, 'cases.read', recordOf(merged, merged.area_path)).allowed) return;
  const merge = await activeMergeOf(merged.id, store);
  if (merge === undefined) return;
  const survivor = await findProjectEntity(projectId, merge.survivor_id, store);
  const readable = survivor !== undefined && can(actor, 'cases.read', recordOf(survivor, survivor.area_path)).allowed;
  const mergedInto = readable
    ? {
        id: survivor.id,
        label: redactEntity(actor, survivor, survivor.area_path, await catalogueFor(projectId, store)).label,
      }
    : undefined;
  throw new ProblemError(
    'entity.merged',
    readable ? `The case was merged into ${survivor.id}.` : 'The case was merged into another case.',
    mergedInto === undefined ? {} : { mergedInto },
  );
}

/** Refuses with 403 unless the actor may do one of `actions` somewhere in the project. */
export function requireProjectAction(access: ProjectAccess, ...actions: readonly Action[]): void {
  const resource = { kind: 'project' as const, projectId: access.project.id };
  if (!actions.some((action) => can(access.actor, action, resource).allowed)) {
    throw new ProblemError('auth.forbidden');
  }
}

/**
 * Whether every membership that reads records in the project is shown the labels of these
 * entity lists (and so may search by them): a search by name is a way of reading names.
 */
export function readsLabels(
  actor: PolicyActor,
  projectId: string,
  catalogue: PolicyCatalogue,
  lists: readonly string[],
): boolean {
  const readers = projectGrants(actor, projectId).filter(
    (g) => g.capabilities.has('cases.read') || g.capabilities.has('incidents.evidence.read'),
  );
  return (
    readers.length > 0 &&
    lists.every((list) => {
      const cls = labelClassOf(catalogue, list);
      return readers.every((g) => g.view.show[cls] && (cls !== 'location' || g.view.location === 'exact'));
    })
  );
}

/** A refused write as the problem a client gets: scope → 403, a field off the allow-list → 422. */
export type WriteRefusalCode = Extract<ProblemCode, 'sync.out-of-scope' | 'sync.field-not-allowed' | 'auth.forbidden'>;

export function writeRefusal(check: WriteCheck & { ok: false }): {
  code: WriteRefusalCode;
  detail: string;
  field?: string;
} {
  if (check.reason === 'fields') {
    const field = check.fields[0];
    return {
      code: 'sync.field-not-allowed',
      detail: `Not on your allow-list: ${check.fields.join(', ')}.`,
      ...(field === undefined ? {} : { field }),
    };
  }
  if (check.reason === 'capability') return { code: 'auth.forbidden', detail: 'Your role may not write cases.' };
  return {
    code: 'sync.out-of-scope',
    detail:
      check.fields.length > 0
        ? `The change would move the case outside your reach: ${check.fields.join(', ')}.`
        : 'The case is outside your reach.',
  };
}

import { randomUUID } from 'node:crypto';
import type { PolicyActor } from '@outpost/core';
import { ProblemError, can } from '@outpost/core';
import { recordOf } from '../policy/index.js';
import { appendAuditEvent } from '../storage/queries/audit.js';
import type { TakenProperties } from '../storage/queries/caseMerges.js';
import { activeMergeOf, activeMergesInto, insertCaseMerge, markMergeUndone } from '../storage/queries/caseMerges.js';
import type { ListedEntity } from '../storage/queries/entities.js';
import { findEntity, updateEntity } from '../storage/queries/entities.js';
import { lockEntities } from '../storage/queries/locks.js';
import type { Store } from '../storage/store.js';
import { applyCaseChange, readableCase } from './editCase.js';

export interface CaseMergeRequest {
  projectId: string;
  /** The duplicate: merged into the survivor, kept with its history, soft-deleted while merged. */
  duplicateId: string;
  survivorId: string;
  /** The versions the two cases were compared at; a newer one refuses the merge (409). */
  duplicateVersion: number;
  survivorVersion: number;
}

const blank = (value: string | undefined): boolean => value === undefined || value.trim() === '';

/**
 * The properties a survivor takes from its duplicate: the survivor's values are kept, and only
 * its blanks are filled from the duplicate. Properties the server keeps for itself (`__…`) are not
 * taken.
 */
export function propertiesToTake(
  survivor: Readonly<Record<string, string>>,
  duplicate: Readonly<Record<string, string>>,
): TakenProperties {
  const taken: TakenProperties = {};
  for (const [name, value] of Object.entries(duplicate)) {
    if (name.startsWith('__') || blank(value) || !blank(survivor[name])) continue;
    taken[name] = { before: survivor[name] ?? null, value };
  }
  return taken;
}

function requireMerge(actor: PolicyActor, entity: ListedEntity): void {
  if (!can(actor, 'cases.merge', recordOf(entity, entity.area_path)).allowed) {
    throw new ProblemError('auth.forbidden', 'Your role may not merge cases.');
  }
}

/**
 * Merges a duplicate case into a survivor (docs/entities.md, "Merging duplicates"): the
 * survivor keeps its values and fills its blanks from the duplicate (a new version, action
 * `merge`, when anything is taken); the duplicate is soft-deleted, so it leaves lists, pulls and
 * devices, and keeps every version and submission, which the survivor's timeline shows. Needs
 * `cases.merge` on both. Audited as `case.merge`.
 */
export async function mergeCases(
  request: CaseMergeRequest,
  actor: PolicyActor,
  at: string,
  store: Store,
): Promise<{ survivorVersion: number; taken: string[] }> {
  return store.transaction(async (tx) => {
    // Both cases, in the one order every writer follows: a push cannot change either in between.
    await lockEntities([request.duplicateId, request.survivorId], tx);
    const duplicate = await readableCase(request.projectId, request.duplicateId, actor, tx);
    const survivor = await readableCase(request.projectId, request.survivorId, actor, tx);
    requireMerge(actor, duplicate);
    requireMerge(actor, survivor);
    const invalid = (detail: string) => new ProblemError('case.merge-invalid', detail);
    if (duplicate.id === survivor.id) throw invalid('A case cannot be merged into itself.');
    for (const entity of [duplicate, survivor]) {
      const merge = await activeMergeOf(entity.id, tx);
      if (merge !== undefined) {
        throw new ProblemError('entity.merged', `The case ${entity.id} was merged into ${merge.survivor_id}.`);
      }
      if (entity.deleted_at !== null) throw new ProblemError('entity.deleted', `The case ${entity.id} was deleted.`);
    }
    if (duplicate.list_id !== survivor.list_id) throw invalid('Only cases of the same list can be merged.');
    if ((await activeMergesInto(duplicate.id, tx)).length > 0) {
      throw invalid('Other cases were merged into this one: undo those merges first.');
    }
    for (const [entity, version] of [
      [duplicate, request.duplicateVersion],
      [survivor, request.survivorVersion],
    ] as const) {
      if (entity.version !== version) {
        throw new ProblemError(
          'entity.version-conflict',
          `You compared version ${version} of ${entity.id}; the case is at version ${entity.version}.`,
        );
      }
    }
    const taken = propertiesToTake(survivor.properties, duplicate.properties);
    const names = Object.keys(taken).sort();
    const survivorVersion =
      names.length === 0
        ? survivor.version
        : await applyCaseChange(
            survivor,
            {
              label: null,
              properties: Object.fromEntries(names.map((n) => [n, taken[n]?.value ?? ''])),
              envelope: {},
            },
            { projectId: request.projectId, action: 'merge', actor, at },
            tx,
          );
    const hidden = await updateEntity(duplicate.id, { deletedAt: at, keepVersion: true, at }, tx);
    if (hidden === undefined) throw new Error(`case ${duplicate.id} vanished while being merged`);
    await insertCaseMerge(
      {
        id: randomUUID(),
        project_id: request.projectId,
        duplicate_id: duplicate.id,
        survivor_id: survivor.id,
        duplicate_version: duplicate.version,
        survivor_version: survivor.version,
        taken,
        merged_by: actor.userId,
        merged_at: at,
      },
      tx,
    );
    await appendAuditEvent(
      {
        actorId: actor.userId,
        action: 'case.merge',
        subject: duplicate.id,
        at,
        // Names only: values may be personal data.
        details: { projectId: request.projectId, into: survivor.id, survivorVersion, taken: names },
      },
      tx,
    );
    return { survivorVersion, taken: names };
  });
}

/**
 * Undoes the merge of `duplicateId`: the duplicate comes back as it was (same version, back in
 * lists and on devices), and each property the survivor took is set back to what it was, unless
 * the survivor's value has changed since (then it is kept, and named in `kept`). Needs
 * `cases.merge` on both. Audited as `case.unmerge`.
 */
export async function unmergeCase(
  target: { projectId: string; duplicateId: string },
  actor: PolicyActor,
  at: string,
  store: Store,
): Promise<{ survivorId: string; restored: string[]; kept: string[] }> {
  return store.transaction(async (tx) => {
    const duplicate = await readableCase(target.projectId, target.duplicateId, actor, tx);
    const merge = await activeMergeOf(duplicate.id, tx);
    if (merge === undefined) throw new ProblemError('case.not-merged', 'The case is not merged into another.');
    await lockEntities([duplicate.id, merge.survivor_id], tx);
    const survivor = await readableCase(target.projectId, merge.survivor_id, actor, tx);
    requireMerge(actor, duplicate);
    requireMerge(actor, survivor);
    if (survivor.deleted_at !== null) {
      throw new ProblemError(
        'entity.deleted',
        `The case ${survivor.id} it was merged into was deleted: restore it first.`,
      );
    }
    const restored: string[] = [];
    const kept: string[] = [];
    for (const [name, { value }] of Object.entries(merge.taken).sort(([a], [b]) => (a < b ? -1 : 1))) {
      if ((survivor.properties[name] ?? '') === value) restored.push(name);
      else kept.push(name);
    }
    if (restored.length > 0) {
      await applyCaseChange(
        survivor,
        {
          label: null,
          properties: Object.fromEntries(restored.map((n) => [n, merge.taken[n]?.before ?? ''])),
          envelope: {},
        },
        { projectId: target.projectId, action: 'unmerge', actor, at },
        tx,
      );
      // What the survivor did not have at all it does not have again (the version says '').
      const absent = restored.filter((n) => merge.taken[n]?.before === null);
      const now = absent.length === 0 ? undefined : await findEntity(survivor.id, tx);
      if (now !== undefined) {
        const properties = Object.fromEntries(Object.entries(now.properties).filter(([n]) => !absent.includes(n)));
        await updateEntity(survivor.id, { properties, keepVersion: true, at }, tx);
      }
    }
    await updateEntity(duplicate.id, { deletedAt: null, keepVersion: true, at }, tx);
    await markMergeUndone(merge.id, actor.userId, at, tx);
    await appendAuditEvent(
      {
        actorId: actor.userId,
        action: 'case.unmerge',
        subject: duplicate.id,
        at,
        details: { projectId: target.projectId, from: survivor.id, restored, kept },
      },
      tx,
    );
    return { survivorId: survivor.id, restored, kept };
  });
}

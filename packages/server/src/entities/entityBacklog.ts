import type { EntityDeclaration, PolicyActor, PolicyRecord, WriteCheck } from '@outpost/core';
import { checkCreate, forcedDeclaration, formEntityLists, isRole, readEntityDeclarations } from '@outpost/core';
import { catalogueFor, loadPolicyActor } from '../policy/index.js';
import { readInstance } from '../submissions/readInstance.js';
import { appendAuditEvent } from '../storage/queries/audit.js';
import { findEntity } from '../storage/queries/entities.js';
import { findFormVersion } from '../storage/queries/forms.js';
import { userRole } from '../storage/queries/users.js';
import { findSubmission } from '../storage/queries/submissions.js';
import type { EntityBacklogRow } from '../storage/queries/submissions.js';
import {
  entitiesHeldSince,
  entityPlacement,
  flagForcedVersion,
  heldForEntity,
  releaseHeld,
  restoreHeldAt,
} from '../storage/queries/sync.js';
import type { Store } from '../storage/store.js';
import { applyEntity } from './applyEntity.js';
import { authorizeEntityChange } from './authorizeEntityChange.js';
import { locateEntity } from './locateEntity.js';

// Entity changes that arrived before what they build on wait in `entity_backlog` (applyEntity
// puts them there). This replays them as ODK Central does (lib/model/query/entities.js):
// after every commit that touched an entity its held changes are tried again, step by step, until
// none applies; a change held longer than the force delay is applied anyway (`force`): an update
// of an entity that never arrived creates it (named by its label, or `auto generated`), an update
// whose base never arrived applies on the latest version; branch, trunk and base version are kept
// as sent, and the version is marked forced. Departure from Central: a forced version is also
// flagged as a soft conflict, so a supervisor reviews it (docs/sync-protocol.md).

/** Central's default: five days. */
export const FORCE_AFTER_MS = 5 * 24 * 60 * 60 * 1000;

type Attempt = 'applied' | 'held' | 'refused' | 'gone';

/**
 * Tries the held changes of one entity until none applies; returns how many were applied. With
 * `forceHeldBefore`, a change held before that instant is applied by force once nothing else moves.
 * Each try is its own transaction: a fault leaves that change held and is thrown to nobody.
 */
export async function processEntityBacklog(
  entityId: string,
  options: { now: string; forceHeldBefore?: string },
  store: Store,
): Promise<number> {
  let applied = 0;
  for (;;) {
    const held = await heldForEntity(entityId, store);
    if (held.length === 0) return applied;
    let progress = false;
    for (const row of orderOfTries(held)) {
      if ((await attempt(row, { now: options.now, force: false }, store)) === 'applied') {
        applied += 1;
        progress = true;
        break;
      }
    }
    if (progress) continue;
    const cutoff = options.forceHeldBefore;
    const overdue = cutoff === undefined ? undefined : orderOfTries(held).find((row) => row.held_at < cutoff);
    if (overdue === undefined) return applied;
    const outcome = await attempt(overdue, { now: options.now, force: true }, store);
    if (outcome === 'applied') applied += 1;
    // A forced change that still cannot apply (e.g. a create without a label) must not loop forever.
    if (outcome === 'held') return applied;
  }
}

/**
 * Forces what has waited longer than `delayMs` (ODK Central's five days by default; 0 forces
 * everything held, as `outpost entities process-backlog --force` does), `limit` entities at a
 * time. The server runs it on a schedule (`startBacklogSchedule`). Returns how many changes were
 * applied.
 */
export async function forceProcessBacklog(
  options: { now: Date; delayMs?: number; limit?: number },
  store: Store,
): Promise<number> {
  const heldBefore = new Date(options.now.getTime() - (options.delayMs ?? FORCE_AFTER_MS)).toISOString();
  const entities = await entitiesHeldSince(heldBefore, options.limit ?? 20, store);
  let applied = 0;
  for (const entityId of entities) {
    applied += await processEntityBacklog(
      entityId,
      { now: options.now.toISOString(), forceHeldBefore: heldBefore },
      store,
    );
  }
  return applied;
}

// Creates first, then each offline branch in the order the device numbered its versions.
function orderOfTries(rows: readonly EntityBacklogRow[]): EntityBacklogRow[] {
  return [...rows].sort(
    (a, b) =>
      (a.base_version ?? 0) - (b.base_version ?? 0) ||
      (a.held_at < b.held_at ? -1 : a.held_at > b.held_at ? 1 : 0) ||
      (a.submission_id < b.submission_id ? -1 : 1),
  );
}

async function attempt(
  row: EntityBacklogRow,
  options: { now: string; force: boolean },
  store: Store,
): Promise<Attempt> {
  try {
    return await store.transaction(async (tx) => {
      if (!(await releaseHeld(row.submission_id, row.entity_id, tx))) return 'gone';
      const submission = await findSubmission(row.submission_id, tx);
      if (submission === undefined) return 'gone';
      const read = readInstance(submission.xml);
      if (!read.ok) return 'gone';
      const form = await findFormVersion(submission.project_id, read.instance.formId, read.instance.version, tx);
      const declared = readEntityDeclarations(
        read.instance.root,
        form === undefined ? [] : formEntityLists(form.summary),
      );
      // The held change is the submission's change of this entity (a submission may make several).
      const original = declared.ok ? declared.declarations.find((d) => d.entityId === row.entity_id) : undefined;
      if (original === undefined) return 'gone';
      let declaration = original;

      if (options.force) {
        const target = await entityPlacement(declaration.entityId, tx);
        const current =
          target === undefined || target.deleted_at !== null ? undefined : await findEntity(target.id, tx);
        declaration = forcedDeclaration(declaration, current !== undefined);
      }
      // Decided on the change as it will now be applied (a forced update may have become a
      // create), with the sender's grants of today: the case may have moved, or the sender lost
      // her area, while the change waited.
      const check = await senderMayApply(
        submission.user_id,
        submission.project_id,
        { declaration, createdByForce: declaration.create && !original.create },
        tx,
      );
      const refused = async (details: Record<string, string | string[]>): Promise<Attempt> => {
        // The submission stays stored; only its entity change is dropped (Central: `entity.error`).
        await appendAuditEvent(
          {
            actorId: submission.user_id,
            action: 'entity.change-refused',
            subject: submission.instance_id,
            details: { entityId: declaration.entityId, ...details },
            at: options.now,
          },
          tx,
        );
        return 'refused';
      };
      if (!check.ok) {
        return refused({
          reason: check.reason === 'scope' ? 'out-of-scope' : check.reason,
          ...(check.fields.length > 0 ? { fields: [...check.fields] } : {}),
        });
      }
      const outcome = await applyEntity(
        declaration,
        {
          projectId: submission.project_id,
          submissionId: submission.instance_id,
          userId: submission.user_id,
          at: options.now,
          force: options.force,
        },
        tx,
      );
      if (outcome.action === 'held') {
        await restoreHeldAt({ submissionId: row.submission_id, entityId: row.entity_id }, row.held_at, tx);
        return 'held';
      }
      if (outcome.action === 'refused') return refused({ reason: outcome.refusal.code });
      if (options.force) await flagForcedVersion(outcome.entityId, outcome.version, tx);
      await appendAuditEvent(
        {
          actorId: submission.user_id,
          action: 'entity.backlog-applied',
          subject: submission.instance_id,
          details: {
            projectId: submission.project_id,
            entityId: outcome.entityId,
            version: outcome.version,
            forced: options.force,
            heldBecause: row.reason,
          },
          at: options.now,
        },
        tx,
      );
      return 'applied';
    });
  } catch {
    // Left held (the transaction rolled back); the next commit or the force timer tries again.
    return 'held';
  }
}

/**
 * The policy's write check (allow-list, reach, address moves) for the sender of a held change.
 * Changes sent without a user (imports, the CLI) were authorised where they were made; a user
 * who no longer exists or holds no known role writes nothing.
 */
async function senderMayApply(
  userId: string | null,
  projectId: string,
  change: { declaration: EntityDeclaration; createdByForce: boolean },
  tx: Store,
): Promise<WriteCheck> {
  if (userId === null) return { ok: true };
  const { declaration } = change;
  const role = await userRole(userId, tx);
  const actor: PolicyActor =
    role === undefined || !isRole(role)
      ? { userId, role: 'fieldworker', memberships: [] }
      : await loadPolicyActor({ userId, role }, tx);
  const check = await authorizeEntityChange({ actor, projectId, declaration }, tx);
  if (check.ok || !change.createdByForce || check.reason !== 'scope') return check;
  // An update whose case never arrived is created from its own answers, which seldom hold the
  // address (a visit does not). A case that lands in an area is judged there, as above; one that
  // lands nowhere has no place to judge it by and is judged as the sender's own case (the reach
  // every writing membership has), so her capability and allow-list still decide. Supervisors
  // find it among the forced changes flagged for review.
  if ((await locateEntity(projectId, declaration.properties, tx)) !== null) return check;
  const placeless: PolicyRecord = {
    kind: 'entity',
    id: declaration.entityId,
    projectId,
    listName: declaration.dataset,
    areaPath: null,
    team: null,
    assigneeId: actor.userId,
    createdBy: actor.userId,
    label: declaration.label,
    properties: declaration.properties,
  };
  return checkCreate(actor, placeless, await catalogueFor(projectId, tx));
}

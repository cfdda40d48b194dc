import type { PolicyActor } from '@outpost/core';
import { can } from '@outpost/core';
import type { Store } from '../storage/store.js';
import { findSubmissionPlacement } from '../storage/queries/attachments.js';
import { submissionRecord } from './attachmentRecord.js';

/**
 * Whether `actor` may attach a file to submission `instanceId` of the project: once the
 * submission has arrived, `cases.write` on it (its case in the actor's reach, or sent by the
 * actor), so a field worker cannot attach to a registration of another khoroo; before it has
 * arrived (offline-first: photos may come first), `cases.write` somewhere in the project. A
 * submission of another project is never attachable from here.
 */
export async function mayAttach(
  actor: PolicyActor,
  projectId: string,
  instanceId: string,
  store: Store,
): Promise<boolean> {
  const placement = await findSubmissionPlacement(instanceId, store);
  if (placement === undefined) return can(actor, 'cases.write', { kind: 'project', projectId }).allowed;
  if (placement.project_id !== projectId) return false;
  return can(actor, 'cases.write', submissionRecord(placement)).allowed;
}

import type { PolicyActor } from '@outpost/core';
import { ProblemError, can, readerView } from '@outpost/core';
import { recordOf } from '../policy/index.js';
import { findMemberByUsername, listMemberships } from '../storage/queries/memberships.js';
import type { Store } from '../storage/store.js';
import { mayHoldCase, readableCase } from './editCase.js';

/** A project member the case may be assigned to; `displayName` only for readers shown names. */
export interface CaseAssignee {
  username: string;
  displayName: string | null;
  role: string;
}

/**
 * Who a case may be assigned to (the case page's picker): the project's active members whom the
 * assign action would accept for this case (`mayHoldCase`), by username. Asked only by a role
 * that may assign it (`cases.assign`); a case out of reach answers as none. Full names go only to
 * readers shown identifying fields of the case, as everywhere else.
 */
export async function listCaseAssignees(
  projectId: string,
  caseId: string,
  actor: PolicyActor,
  store: Store,
): Promise<CaseAssignee[]> {
  const current = await readableCase(projectId, caseId, actor, store);
  const record = recordOf(current, current.area_path);
  if (!can(actor, 'cases.assign', record).allowed) {
    throw new ProblemError('auth.forbidden', 'Your role may not assign this case.');
  }
  const names = readerView(actor, record)?.show.identifying === true;
  const out: CaseAssignee[] = [];
  for (const row of await listMemberships(projectId, store)) {
    const member = await findMemberByUsername(projectId, row.username, store);
    if (member === undefined || !(await mayHoldCase(member, current, store))) continue;
    out.push({ username: row.username, displayName: names ? row.display_name : null, role: row.role_name });
  }
  return out;
}

import { assigneeOf } from '@outpost/core';
import { findMemberIdByUsername } from '../storage/queries/memberships.js';
import type { Store } from '../storage/store.js';

/**
 * The case assignee a change of properties sets (docs/entities.md): the project member whose
 * username the `assignee` (or `*_assignee`) property names. Nothing when the change names none, a
 * blank one, or a username that is not a member of the project: the case keeps its assignee.
 */
export async function assigneeChange(
  projectId: string,
  properties: Readonly<Record<string, string>>,
  tx: Store,
): Promise<{ assigneeId?: string }> {
  const username = assigneeOf(properties);
  if (username === null) return {};
  const userId = await findMemberIdByUsername(projectId, username, tx);
  return userId === undefined ? {} : { assigneeId: userId };
}

import { can, redact } from '@outpost/core';
import type { Action, PolicyActor, PolicyCatalogue, PolicyRecord } from '@outpost/core';

/** A stored submission with what the policy decides on: its case's list, area, team and assignee. */
export interface StoredSubmissionFacts {
  readonly instanceId: string;
  /** The submission's data as stored (JSON text of the instance projection). */
  readonly data: string;
  readonly userId: string | null;
  readonly listName: string | null;
  readonly areaPath: string | null;
  readonly team: string | null;
  readonly assigneeId: string | null;
}

/** Whose reading it is: the actor, the project's field catalogue, and the action they perform. */
export interface SubmissionReader {
  readonly actor: PolicyActor;
  readonly catalogue: PolicyCatalogue;
  readonly projectId: string;
}

/**
 * A submission's data as this reader may see it (hidden fields removed, locations coarsened), or
 * null when the action is not allowed on it (outside their scope). The one path by which exports
 * and the OData feed read submissions for a user.
 */
export function submissionView(
  s: StoredSubmissionFacts,
  reader: SubmissionReader,
  action: Action,
): Record<string, unknown> | null {
  return readSubmission(s, reader, action)?.data ?? null;
}

/**
 * As `submissionView`, with the fields whose values were hidden, as paths below the instance root
 * (`head/head_given_name`, repeat positions left out).
 */
export function readSubmission(
  s: StoredSubmissionFacts,
  reader: SubmissionReader,
  action: Action,
): { data: Record<string, unknown>; hidden: string[] } | null {
  const record = submissionPolicyRecord(s, reader.projectId);
  if (!can(reader.actor, action, record).allowed) return null;
  const { record: seen, marks } = redact(reader.actor, record, reader.catalogue);
  return {
    data: seen.data ?? {},
    hidden: marks.flatMap((m) =>
      m.action === 'hidden'
        ? [
            m.pointer
              .split('/')
              .slice(2)
              .filter((step) => !/^\d+$/.test(step))
              .join('/'),
          ]
        : [],
    ),
  };
}

/** A stored submission as core's policy sees it: placed by its case, sent by its user. */
export function submissionPolicyRecord(s: StoredSubmissionFacts, projectId: string): PolicyRecord {
  return {
    kind: 'submission',
    id: s.instanceId,
    projectId,
    listName: s.listName,
    areaPath: s.areaPath,
    team: s.team,
    assigneeId: s.assigneeId,
    createdBy: s.userId,
    data: JSON.parse(s.data) as Record<string, unknown>,
  };
}

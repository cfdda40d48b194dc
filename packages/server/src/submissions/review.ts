import type { PolicyActor, PolicyCatalogue, PolicyRecord } from '@outpost/core';
import { can, readerView, redact } from '@outpost/core';
import { submissionPolicyRecord } from '../policy/submissionView.js';
import type { ReviewState, ReviewedSubmission, SubmissionComment } from '../storage/queries/submissionReview.js';

/** A submission as core/policy sees it: placed by the case it created or updated, sent by its user. */
export function submissionRecord(s: ReviewedSubmission): PolicyRecord {
  return submissionPolicyRecord(s, s.projectId);
}

export function mayRead(actor: PolicyActor, s: ReviewedSubmission): boolean {
  return can(actor, 'cases.read', submissionRecord(s)).allowed;
}

export function mayReview(actor: PolicyActor, s: ReviewedSubmission): boolean {
  const record = submissionRecord(s);
  return can(actor, 'cases.read', record).allowed && can(actor, 'submissions.review', record).allowed;
}

/**
 * Whether `actor` may edit `s` in the browser: a reviewer of it who is shown every answer. An
 * edit sends the whole instance again, so a reader shown it redacted would write the hidden
 * answers over with blanks.
 */
export function mayEdit(actor: PolicyActor, s: ReviewedSubmission, catalogue: PolicyCatalogue): boolean {
  if (!mayReview(actor, s)) return false;
  const record = submissionRecord(s);
  return redact(actor, record, catalogue).marks.length === 0;
}

/** One submission as the review screens show it, redacted for the reader. */
export interface SubmissionView {
  instanceId: string;
  formId: string;
  version: string;
  receivedAt: string;
  /** ODK Central's review state; null is "received". */
  reviewState: ReviewState | null;
  /** The instance this one replaced (its deprecatedID), when it is an edit. */
  deprecatedId: string | null;
  /** Who sent it and on which device: only for roles shown identifying fields. */
  submitter: string | null;
  device: string | null;
  entity: { id: string; version: number } | null;
  data: Record<string, unknown>;
}

/** The view of `s` for `actor`, who may read it (mayRead). */
export function viewSubmission(actor: PolicyActor, s: ReviewedSubmission, catalogue: PolicyCatalogue): SubmissionView {
  const record = submissionRecord(s);
  const people = readerView(actor, record)?.show.identifying === true;
  const redacted = redact(actor, record, catalogue).record;
  return {
    instanceId: s.instanceId,
    formId: s.xmlFormId,
    version: s.version,
    receivedAt: s.receivedAt,
    reviewState: s.reviewState,
    deprecatedId: s.replaces,
    submitter: people ? s.userName : null,
    device: people ? s.deviceName : null,
    entity: s.entityId === null || s.entityVersion === null ? null : { id: s.entityId, version: s.entityVersion },
    data: redacted.data ?? {},
  };
}

/** A comment as shown: its author named only to roles shown identifying fields. */
export function viewComment(c: SubmissionComment, people: boolean) {
  return {
    id: c.id,
    instanceId: c.instanceId,
    author: people ? c.authorName : null,
    body: c.body,
    createdAt: c.createdAt,
  };
}

export interface FieldChange {
  /** The question's path in the instance, e.g. `/household/size` or `/members[2]/name`. */
  path: string;
  before: string | null;
  after: string | null;
}

/** Leaves of an instance projection by path; repeats numbered from 1 as XPath does. */
function leaves(value: unknown, path: string, out: Map<string, string>): void {
  if (typeof value === 'string') {
    out.set(path, value);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => leaves(v, `${path}[${i + 1}]`, out));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) leaves(v, `${path}/${k}`, out);
  }
}

/**
 * What an edit changed, answer by answer, between two (redacted) views of a submission. `meta`
 * is left out: an edit always has a new instanceID and a deprecatedID.
 */
export function diffSubmissions(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  leaves(before, '', a);
  leaves(after, '', b);
  const paths = [...new Set([...a.keys(), ...b.keys()])].filter((p) => !p.startsWith('/meta/'));
  return paths
    .filter((p) => a.get(p) !== b.get(p))
    .map((p) => ({ path: p, before: a.get(p) ?? null, after: b.get(p) ?? null }));
}

import { sql } from 'kysely';
import type { ScopeFilter } from '@outpost/core';
import { applyScopeFilter } from './scopeFilter.js';
import type { ScopeColumns } from './scopeFilter.js';
import type { Store } from '../store.js';
import { clampPage } from './clampPage.js';

/** ODK Central's review states as stored; null is "received". */
export const reviewStates = ['hasIssues', 'edited', 'approved', 'rejected'] as const;
export type ReviewState = (typeof reviewStates)[number];

/** The columns a submission's scope is read from: the case it created or updated, and its sender. */
const submissionScopeColumns: ScopeColumns = {
  areaPath: 'areas.path',
  team: 'entities.team',
  assignee: 'entities.assignee_id',
  list: 'entity_lists.name',
  creator: 'submissions.user_id',
};

/** One submission as the review screens read it, with what the policy needs to place it. */
export interface ReviewedSubmission {
  instanceId: string;
  projectId: string;
  formId: string;
  xmlFormId: string;
  version: string;
  seq: number;
  data: string;
  receivedAt: string;
  reviewState: ReviewState | null;
  replaces: string | null;
  userId: string | null;
  userName: string | null;
  deviceName: string | null;
  entityId: string | null;
  entityVersion: number | null;
  listName: string | null;
  areaPath: string | null;
  team: string | null;
  assigneeId: string | null;
}

export interface ReviewFilter {
  /** The readers' scope (core `scopeFilter` for `cases.read` on submissions). */
  scope: ScopeFilter;
  /** Review states to keep; `null` in the list keeps "received". Absent: all. */
  states?: ReadonlyArray<ReviewState | null>;
  /** Received at or after / before (ISO timestamps). */
  from?: string;
  to?: string;
  /** Only submissions whose case lies in this area subtree (a materialised path). */
  areaPath?: string;
}

function reviewed(store: Store) {
  return store.db
    .selectFrom('submissions')
    .innerJoin('form_versions', 'form_versions.id', 'submissions.form_version_id')
    .innerJoin('forms', 'forms.id', 'form_versions.form_id')
    .leftJoin('users', 'users.id', 'submissions.user_id')
    .leftJoin('devices', 'devices.id', 'submissions.device_id')
    .leftJoin('entity_versions', 'entity_versions.submission_id', 'submissions.instance_id')
    .leftJoin('entities', 'entities.id', 'entity_versions.entity_id')
    .leftJoin('entity_lists', 'entity_lists.id', 'entities.list_id')
    .leftJoin('areas', 'areas.id', 'entities.area_id');
}

const COLUMNS = [
  'submissions.instance_id',
  'submissions.project_id',
  'forms.id as form_id',
  'forms.xml_form_id',
  'form_versions.version',
  'submissions.seq',
  'submissions.data',
  'submissions.received_at',
  'submissions.review_state',
  'submissions.replaces',
  'submissions.user_id',
  'users.display_name as user_name',
  'devices.name as device_name',
  'entity_versions.entity_id',
  'entity_versions.version as entity_version',
  'entity_lists.name as list_name',
  'areas.path as area_path',
  'entities.team',
  'entities.assignee_id',
] as const;

type Row = {
  instance_id: string;
  project_id: string;
  form_id: string;
  xml_form_id: string;
  version: string;
  seq: number | string;
  data: string;
  received_at: string;
  review_state: string | null;
  replaces: string | null;
  user_id: string | null;
  user_name: string | null;
  device_name: string | null;
  entity_id: string | null;
  entity_version: number | string | null;
  list_name: string | null;
  area_path: string | null;
  team: string | null;
  assignee_id: string | null;
};

function toReviewed(r: Row): ReviewedSubmission {
  return {
    instanceId: r.instance_id,
    projectId: r.project_id,
    formId: r.form_id,
    xmlFormId: r.xml_form_id,
    version: r.version,
    seq: Number(r.seq),
    data: r.data,
    receivedAt: r.received_at,
    reviewState: r.review_state as ReviewState | null,
    replaces: r.replaces,
    userId: r.user_id,
    userName: r.user_name,
    deviceName: r.device_name,
    entityId: r.entity_id,
    entityVersion: r.entity_version === null ? null : Number(r.entity_version),
    listName: r.list_name,
    areaPath: r.area_path,
    team: r.team,
    assigneeId: r.assignee_id,
  };
}

function filtered(formId: string, filter: ReviewFilter, store: Store) {
  let query = reviewed(store)
    .where('forms.id', '=', formId)
    // Only the current version of each submission: an edited one is listed as its edit.
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('submissions as later')
            .select('later.instance_id')
            .whereRef('later.replaces', '=', 'submissions.instance_id'),
        ),
      ),
    );
  query = applyScopeFilter(query, filter.scope, submissionScopeColumns);
  if (filter.states !== undefined) {
    const named = filter.states.filter((s): s is ReviewState => s !== null);
    const received = filter.states.includes(null);
    query = query.where((eb) =>
      eb.or([
        ...(named.length > 0 ? [eb('submissions.review_state', 'in', named)] : []),
        ...(received ? [eb('submissions.review_state', 'is', null)] : []),
        ...(named.length === 0 && !received ? [sql<boolean>`1 = 0`] : []),
      ]),
    );
  }
  if (filter.from !== undefined) query = query.where('submissions.received_at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('submissions.received_at', '<', filter.to);
  if (filter.areaPath !== undefined) {
    const prefix = filter.areaPath;
    query = query.where(
      sql<boolean>`coalesce(substr(${sql.ref('areas.path')}, 1, length(cast(${prefix} as text))) = cast(${prefix} as text), 1 = 0)`,
    );
  }
  return query;
}

/** A page of a form's current submissions the filter keeps, newest first, and how many in all. */
export async function listReviewedSubmissions(
  formId: string,
  filter: ReviewFilter & { limit: number; offset: number },
  store: Store,
): Promise<{ items: ReviewedSubmission[]; total: number }> {
  const { limit, offset } = clampPage(filter);
  const rows = await filtered(formId, filter, store)
    .select([...COLUMNS])
    .orderBy('submissions.seq', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  const count = await filtered(formId, filter, store)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return { items: rows.map(toReviewed), total: Number(count.n) };
}

/** The current versions among `instanceIds` that the scope keeps (a bulk action's selection). */
export async function reviewedSubmissionsIn(
  formId: string,
  instanceIds: readonly string[],
  scope: ScopeFilter,
  store: Store,
): Promise<ReviewedSubmission[]> {
  if (instanceIds.length === 0) return [];
  const rows = await filtered(formId, { scope }, store)
    .where('submissions.instance_id', 'in', [...instanceIds])
    .select([...COLUMNS])
    .execute();
  return rows.map(toReviewed);
}

/** One stored submission of a form, any version, with its place; undefined when there is none. */
export async function findReviewedSubmission(
  formId: string,
  instanceId: string,
  store: Store,
): Promise<ReviewedSubmission | undefined> {
  const row = await reviewed(store)
    .where('forms.id', '=', formId)
    .where('submissions.instance_id', '=', instanceId)
    .select([...COLUMNS])
    .executeTakeFirst();
  return row === undefined ? undefined : toReviewed(row);
}

/** At most this many versions of one submission are followed (edits of edits). */
export const maxSubmissionVersions = 100;

/**
 * Every version of the submission `instanceId` belongs to, oldest first: the rows it replaces,
 * back to the original, and the edits that replaced it, up to the current one.
 */
export async function submissionVersions(
  formId: string,
  instanceId: string,
  store: Store,
): Promise<ReviewedSubmission[]> {
  const start = await findReviewedSubmission(formId, instanceId, store);
  if (start === undefined) return [];
  const older: ReviewedSubmission[] = [];
  let cursor = start;
  while (cursor.replaces !== null && older.length < maxSubmissionVersions) {
    const previous = await findReviewedSubmission(formId, cursor.replaces, store);
    if (previous === undefined) break;
    older.unshift(previous);
    cursor = previous;
  }
  const newer: ReviewedSubmission[] = [];
  cursor = start;
  while (newer.length < maxSubmissionVersions) {
    const next = await reviewed(store)
      .where('forms.id', '=', formId)
      .where('submissions.replaces', '=', cursor.instanceId)
      .select([...COLUMNS])
      .executeTakeFirst();
    if (next === undefined) break;
    cursor = toReviewed(next);
    newer.push(cursor);
  }
  return [...older, start, ...newer];
}

/** The submission that replaced `instanceId`, if an edit did. */
export async function replacementOf(instanceId: string, store: Store): Promise<string | undefined> {
  const row = await store.db
    .selectFrom('submissions')
    .select('instance_id')
    .where('replaces', '=', instanceId)
    .executeTakeFirst();
  return row?.instance_id;
}

export async function setReviewState(
  instanceIds: readonly string[],
  state: ReviewState | null,
  store: Store,
): Promise<void> {
  if (instanceIds.length === 0) return;
  await store.db
    .updateTable('submissions')
    .set({ review_state: state })
    .where('instance_id', 'in', [...instanceIds])
    .execute();
}

export interface SubmissionComment {
  id: string;
  instanceId: string;
  authorId: string | null;
  authorName: string | null;
  body: string;
  createdAt: string;
}

export async function insertSubmissionComment(
  comment: { id: string; instanceId: string; authorId: string | null; body: string; at: string },
  store: Store,
): Promise<void> {
  await store.db
    .insertInto('submission_comments')
    .values({
      id: comment.id,
      instance_id: comment.instanceId,
      author_id: comment.authorId,
      body: comment.body,
      created_at: comment.at,
    })
    .execute();
}

/** Comments on any of `instanceIds` (the versions of one submission), oldest first. */
export async function submissionComments(instanceIds: readonly string[], store: Store): Promise<SubmissionComment[]> {
  if (instanceIds.length === 0) return [];
  const rows = await store.db
    .selectFrom('submission_comments')
    .leftJoin('users', 'users.id', 'submission_comments.author_id')
    .select([
      'submission_comments.id',
      'submission_comments.instance_id',
      'submission_comments.author_id',
      'users.display_name',
      'submission_comments.body',
      'submission_comments.created_at',
    ])
    .where('submission_comments.instance_id', 'in', [...instanceIds])
    .orderBy('submission_comments.created_at')
    .orderBy('submission_comments.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    instanceId: r.instance_id,
    authorId: r.author_id,
    authorName: r.display_name ?? null,
    body: r.body,
    createdAt: r.created_at,
  }));
}

/** A stored submission's project, form and the submission it replaced; undefined when none. */
export async function submissionOrigin(
  instanceId: string,
  store: Store,
): Promise<{ projectId: string; formId: string; replaces: string | null } | undefined> {
  const row = await store.db
    .selectFrom('submissions')
    .innerJoin('form_versions', 'form_versions.id', 'submissions.form_version_id')
    .select(['submissions.project_id', 'form_versions.form_id', 'submissions.replaces'])
    .where('submissions.instance_id', '=', instanceId)
    .executeTakeFirst();
  return row === undefined ? undefined : { projectId: row.project_id, formId: row.form_id, replaces: row.replaces };
}

/** Whether `instanceId` or a version it replaced created the entity `entityId`. */
export async function chainCreatedEntity(instanceId: string, entityId: string, store: Store): Promise<boolean> {
  let cursor: string | null = instanceId;
  for (let i = 0; cursor !== null && i < maxSubmissionVersions; i += 1) {
    const made = await store.db
      .selectFrom('entity_versions')
      .select('version')
      .where('submission_id', '=', cursor)
      .where('entity_id', '=', entityId)
      .where('version', '=', 1)
      .executeTakeFirst();
    if (made !== undefined) return true;
    cursor = (await submissionOrigin(cursor, store))?.replaces ?? null;
  }
  return false;
}

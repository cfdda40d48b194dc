import type { Store } from '../store.js';

/** One submission as an export reads it: the JSON projection and who sent it when. */
export interface ExportedSubmission {
  instanceId: string;
  seq: number;
  data: string;
  receivedAt: string;
  userId: string | null;
  username: string | null;
  deviceId: string | null;
  version: string;
  replaces: string | null;
  /** The case the submission created or updated, for the policy: its list, area path, team, assignee. */
  listName: string | null;
  areaPath: string | null;
  team: string | null;
  assigneeId: string | null;
  /** The id of that case, if the submission created or updated one. */
  caseId: string | null;
}

/**
 * The next page of a form's current submissions (edited ones are replaced by their edit), in
 * commit order after `afterSeq`. Exports walk these pages so memory stays flat at any size.
 * With `upToSeq`, the form as it stood at that commit: later submissions and later edits are
 * not seen (the OData feed's pages stay consistent while submissions arrive).
 *
 * Read one form version at a time and merged: each version's page comes off the
 * (form_version_id, seq) index in order and stops at `limit`, so a page costs the same at the
 * start and at the end of a million submissions (one query over all versions would sort every
 * submission after `afterSeq` for each page).
 */
export async function submissionsAfter(
  formId: string,
  afterSeq: number,
  limit: number,
  store: Store,
  upToSeq?: number,
): Promise<ExportedSubmission[]> {
  const versions = await store.db
    .selectFrom('form_versions')
    .select(['id', 'version'])
    .where('form_id', '=', formId)
    .execute();
  const pages: ExportedSubmission[][] = [];
  for (const version of versions) {
    pages.push(await versionPage(version, afterSeq, limit, store, upToSeq));
  }
  return pages
    .flat()
    .sort((a, b) => a.seq - b.seq)
    .slice(0, limit);
}

async function versionPage(
  version: { id: string; version: string },
  afterSeq: number,
  limit: number,
  store: Store,
  upToSeq: number | undefined,
): Promise<ExportedSubmission[]> {
  const rows = await store.db
    .selectFrom('submissions')
    .leftJoin('users', 'users.id', 'submissions.user_id')
    .leftJoin('entity_versions', 'entity_versions.submission_id', 'submissions.instance_id')
    .leftJoin('entities', 'entities.id', 'entity_versions.entity_id')
    .leftJoin('entity_lists', 'entity_lists.id', 'entities.list_id')
    .leftJoin('areas', 'areas.id', 'entities.area_id')
    .select([
      'submissions.instance_id',
      'submissions.seq',
      'submissions.data',
      'submissions.received_at',
      'submissions.user_id',
      'users.username',
      'submissions.device_id',
      'submissions.replaces',
      'entity_lists.name as list_name',
      'areas.path as area_path',
      'entities.team',
      'entities.assignee_id',
      'entities.id as entity_id',
    ])
    .where('submissions.form_version_id', '=', version.id)
    .where('submissions.seq', '>', afterSeq)
    .$if(upToSeq !== undefined, (q) => q.where('submissions.seq', '<=', upToSeq ?? 0))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('submissions as later')
            .select('later.instance_id')
            .whereRef('later.replaces', '=', 'submissions.instance_id')
            .$if(upToSeq !== undefined, (q) => q.where('later.seq', '<=', upToSeq ?? 0)),
        ),
      ),
    )
    .orderBy('submissions.seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    instanceId: r.instance_id,
    seq: Number(r.seq),
    data: r.data,
    receivedAt: r.received_at,
    userId: r.user_id,
    username: r.username,
    deviceId: r.device_id,
    version: version.version,
    replaces: r.replaces,
    listName: r.list_name,
    areaPath: r.area_path,
    team: r.team,
    assigneeId: r.assignee_id,
    caseId: r.entity_id,
  }));
}

/** The commit sequence of a form's newest submission (0 when it has none): a feed's snapshot. */
export async function latestSubmissionSeq(formId: string, store: Store): Promise<number> {
  const row = await store.db
    .selectFrom('submissions')
    .innerJoin('form_versions', 'form_versions.id', 'submissions.form_version_id')
    .select((eb) => eb.fn.max('submissions.seq').as('seq'))
    .where('form_versions.form_id', '=', formId)
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

/** How many current submissions a form has (edited ones counted once): an export's total. */
export async function countCurrentSubmissions(formId: string, store: Store): Promise<number> {
  const row = await store.db
    .selectFrom('submissions')
    .innerJoin('form_versions', 'form_versions.id', 'submissions.form_version_id')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('form_versions.form_id', '=', formId)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('submissions as later')
            .select('later.instance_id')
            .whereRef('later.replaces', '=', 'submissions.instance_id'),
        ),
      ),
    )
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

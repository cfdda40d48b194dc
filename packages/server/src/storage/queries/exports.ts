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
}

/**
 * The next page of a form's current submissions (edited ones are replaced by their edit), in
 * commit order after `afterSeq`. Exports walk these pages so memory stays flat at any size.
 */
export async function submissionsAfter(
  formId: string,
  afterSeq: number,
  limit: number,
  store: Store,
): Promise<ExportedSubmission[]> {
  const rows = await store.db
    .selectFrom('submissions')
    .innerJoin('form_versions', 'form_versions.id', 'submissions.form_version_id')
    .leftJoin('users', 'users.id', 'submissions.user_id')
    .select([
      'submissions.instance_id',
      'submissions.seq',
      'submissions.data',
      'submissions.received_at',
      'submissions.user_id',
      'users.username',
      'submissions.device_id',
      'form_versions.version',
      'submissions.replaces',
    ])
    .where('form_versions.form_id', '=', formId)
    .where('submissions.seq', '>', afterSeq)
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
    version: r.version,
    replaces: r.replaces,
  }));
}

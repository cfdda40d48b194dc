import type { Store } from '../store.js';
import { madeAt } from './conflicts.js';

/** One version of a case as its timeline shows it: what changed it, who, when, on which device. */
export interface CaseHistoryRow {
  /** The case the version belongs to: the case asked for, or one merged into it. */
  entity_id: string;
  version: number;
  label: string;
  /** The properties the version's submission carried (what it set), before redaction. */
  data_received: Record<string, string>;
  conflict: string | null;
  /** ODK's offline-entity bookkeeping of the version: the base it was made on, the last version
   *  the device had from the server, and the device's run of offline edits. */
  base_version: number | null;
  trunk_version: number | null;
  branch_id: string | null;
  /**
   * What made the version, as ODK Central's version source tells it: a submission, an edit of a
   * submission (`meta/deprecatedID`), a submission forced out of the backlog after the timeout,
   * an edit through the API or the case page (`action` says which), a resolved conflict, or an
   * import (a register, or the state a case had before its history was kept).
   */
  source: CaseVersionSource;
  /** The case action of an edit (`edit`, `assign`, `transfer`, `close`, `reopen`, `tag`); else null. */
  action: string | null;
  /** The submission that made it; null for a change made on the server (a resolved conflict). */
  submission_id: string | null;
  /** The XForm id and title of that submission's form. */
  form_id: string | null;
  form_title: string | null;
  created_by_name: string | null;
  device_name: string | null;
  /** When the server stored it. */
  created_at: string;
  /** When it was made on the device: the form's `end` (or `start`) answer, if it has one. */
  made_at: string | null;
}

export type CaseVersionSource = 'submission' | 'submission-edit' | 'forced' | 'edit' | 'resolved' | 'import';

/** At most this many versions of one case are answered, newest first. */
export const caseHistoryLimit = 500;

/**
 * The versions of a case, newest first, each with its form, author and device; with `mergedIds`,
 * the versions of the cases merged into it too, all newest first by when they were stored.
 */
export async function caseHistory(
  entityId: string,
  mergedIds: readonly string[],
  store: Store,
): Promise<CaseHistoryRow[]> {
  const rows = await store.db
    .selectFrom('entity_versions')
    .leftJoin('submissions', 'submissions.instance_id', 'entity_versions.submission_id')
    .leftJoin('form_versions', 'form_versions.id', 'submissions.form_version_id')
    .leftJoin('forms', 'forms.id', 'form_versions.form_id')
    .leftJoin('users', 'users.id', 'entity_versions.created_by')
    .leftJoin('devices', 'devices.id', 'submissions.device_id')
    .select([
      'entity_versions.entity_id',
      'entity_versions.version',
      'entity_versions.label',
      'entity_versions.data_received',
      'entity_versions.conflict',
      'entity_versions.base_version',
      'entity_versions.trunk_version',
      'entity_versions.branch_id',
      'entity_versions.submission_id',
      'entity_versions.forced',
      'entity_versions.source',
      'entity_versions.action',
      'submissions.replaces',
      'forms.xml_form_id as form_id',
      'forms.title as form_title',
      'users.display_name as created_by_name',
      'devices.name as device_name',
      'entity_versions.created_at',
      'submissions.data as submission_data',
    ])
    .where('entity_versions.entity_id', 'in', [entityId, ...mergedIds])
    .$if(mergedIds.length > 0, (q) => q.orderBy('entity_versions.created_at', 'desc'))
    .orderBy('entity_versions.version', 'desc')
    .orderBy('entity_versions.entity_id')
    .limit(caseHistoryLimit)
    .execute();
  return rows.map((r) => ({
    entity_id: r.entity_id,
    version: Number(r.version),
    label: r.label,
    data_received: JSON.parse(r.data_received) as Record<string, string>,
    conflict: r.conflict,
    base_version: r.base_version === null ? null : Number(r.base_version),
    trunk_version: r.trunk_version === null ? null : Number(r.trunk_version),
    branch_id: r.branch_id,
    source: sourceOf(r),
    action: r.action,
    submission_id: r.submission_id,
    form_id: r.form_id ?? null,
    form_title: r.form_title ?? null,
    created_by_name: r.created_by_name ?? null,
    device_name: r.device_name ?? null,
    created_at: r.created_at,
    made_at: madeAt(r.submission_data ?? null),
  }));
}

function sourceOf(row: {
  source: string | null;
  forced: number;
  submission_id: string | null;
  replaces?: string | null;
}): CaseVersionSource {
  if (row.source === 'edit' || row.source === 'resolved' || row.source === 'import') return row.source;
  if (Number(row.forced) === 1) return 'forced';
  // Before migration 0018 a version without a submission was a resolved conflict.
  if (row.submission_id === null) return 'resolved';
  return (row.replaces ?? null) === null ? 'submission' : 'submission-edit';
}

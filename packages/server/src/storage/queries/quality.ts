import type { Store } from '../store.js';

/** The submitted XML of these submissions, by instance ID (for re-checking against a newer version). */
export async function submissionXmls(instanceIds: readonly string[], store: Store): Promise<Map<string, string>> {
  if (instanceIds.length === 0) return new Map();
  const rows = await store.db
    .selectFrom('submissions')
    .select(['instance_id', 'xml'])
    .where('instance_id', 'in', [...instanceIds])
    .execute();
  return new Map(rows.map((r) => [r.instance_id, r.xml]));
}

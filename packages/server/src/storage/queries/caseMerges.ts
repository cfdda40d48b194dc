import type { Selectable } from 'kysely';
import type { CaseMergesTable } from '../schema.js';
import type { Store } from '../store.js';

/** What a survivor took from the duplicate: its value before (null when it had none) and the value taken. */
export type TakenProperties = Record<string, { before: string | null; value: string }>;

export interface CaseMerge extends Omit<Selectable<CaseMergesTable>, 'taken'> {
  taken: TakenProperties;
}

function parse(row: Selectable<CaseMergesTable>): CaseMerge {
  return {
    ...row,
    duplicate_version: Number(row.duplicate_version),
    survivor_version: Number(row.survivor_version),
    taken: JSON.parse(row.taken) as TakenProperties,
  };
}

export async function insertCaseMerge(merge: Omit<CaseMerge, 'undone_by' | 'undone_at'>, store: Store): Promise<void> {
  await store.db
    .insertInto('case_merges')
    .values({ ...merge, taken: JSON.stringify(merge.taken), undone_by: null, undone_at: null })
    .execute();
}

/** The merge that holds `duplicateId` now (not undone), if any. */
export async function activeMergeOf(duplicateId: string, store: Store): Promise<CaseMerge | undefined> {
  const row = await store.db
    .selectFrom('case_merges')
    .selectAll()
    .where('duplicate_id', '=', duplicateId)
    .where('undone_at', 'is', null)
    .executeTakeFirst();
  return row === undefined ? undefined : parse(row);
}

/** The merges into `survivorId` that hold now, oldest first. */
export async function activeMergesInto(survivorId: string, store: Store): Promise<CaseMerge[]> {
  const rows = await store.db
    .selectFrom('case_merges')
    .selectAll()
    .where('survivor_id', '=', survivorId)
    .where('undone_at', 'is', null)
    .orderBy('merged_at')
    .orderBy('id')
    .execute();
  return rows.map(parse);
}

export async function markMergeUndone(id: string, by: string, at: string, store: Store): Promise<void> {
  await store.db.updateTable('case_merges').set({ undone_by: by, undone_at: at }).where('id', '=', id).execute();
}

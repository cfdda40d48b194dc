import type { Store } from '../store.js';

/** An administrator's min–max of one question of a form (either bound may be open). */
export interface FieldRangeRow {
  readonly path: string;
  readonly min: string | null;
  readonly max: string | null;
  readonly updatedAt: string;
}

export async function listFieldRanges(formId: string, store: Store): Promise<FieldRangeRow[]> {
  const rows = await store.db
    .selectFrom('field_ranges')
    .select(['path', 'min', 'max', 'updated_at'])
    .where('form_id', '=', formId)
    .orderBy('path')
    .execute();
  return rows.map((r) => ({ path: r.path, min: r.min, max: r.max, updatedAt: r.updated_at }));
}

/** Replaces every range of the form with `ranges` (call inside a transaction). */
export async function replaceFieldRanges(
  formId: string,
  ranges: ReadonlyArray<{ path: string; min: string | null; max: string | null }>,
  by: { userId: string; at: string },
  store: Store,
): Promise<void> {
  await store.db.deleteFrom('field_ranges').where('form_id', '=', formId).execute();
  if (ranges.length === 0) return;
  await store.db
    .insertInto('field_ranges')
    .values(
      ranges.map((r) => ({
        form_id: formId,
        path: r.path,
        min: r.min,
        max: r.max,
        updated_by: by.userId,
        updated_at: by.at,
      })),
    )
    .execute();
}

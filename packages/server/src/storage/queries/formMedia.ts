import type { Selectable } from 'kysely';
import type { FormMediaTable } from '../schema.js';
import type { Store } from '../store.js';

export type FormMediaRow = Selectable<FormMediaTable>;

/** The media files stored with a form version, by name. */
export async function listFormMedia(formVersionId: string, store: Store): Promise<FormMediaRow[]> {
  return store.db
    .selectFrom('form_media')
    .selectAll()
    .where('form_version_id', '=', formVersionId)
    .orderBy('name')
    .execute();
}

export async function findFormMedia(
  formVersionId: string,
  name: string,
  store: Store,
): Promise<FormMediaRow | undefined> {
  return store.db
    .selectFrom('form_media')
    .selectAll()
    .where('form_version_id', '=', formVersionId)
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function insertFormMedia(row: FormMediaRow, store: Store): Promise<void> {
  await store.db.insertInto('form_media').values(row).execute();
}

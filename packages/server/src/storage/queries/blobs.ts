import type { Store } from '../store.js';

/**
 * Whether anything still names the blob under `sha256`: a submission's attachment, a finished
 * upload not yet linked, a thumbnail (either side), a form's media file or a project's basemap.
 * Blobs are content-addressed and shared: one is deleted only when this is false.
 */
export async function isBlobReferenced(sha256: string, store: Store): Promise<boolean> {
  const db = store.db;
  const found = await Promise.all([
    db.selectFrom('attachments').select('sha256').where('sha256', '=', sha256).limit(1).executeTakeFirst(),
    db.selectFrom('attachment_uploads').select('sha256').where('sha256', '=', sha256).limit(1).executeTakeFirst(),
    db
      .selectFrom('attachment_thumbnails')
      .select('sha256')
      .where((eb) => eb.or([eb('sha256', '=', sha256), eb('thumbnail_sha256', '=', sha256)]))
      .limit(1)
      .executeTakeFirst(),
    db.selectFrom('form_media').select('sha256').where('sha256', '=', sha256).limit(1).executeTakeFirst(),
    db.selectFrom('projects').select('id').where('basemap_sha256', '=', sha256).limit(1).executeTakeFirst(),
  ]);
  return found.some((row) => row !== undefined);
}

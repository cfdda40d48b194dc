import type { Store } from '../storage/store.js';
import type { BlobStore } from './BlobStore.js';
import { fileChunks } from './BlobStore.js';
import { insertFinishedUpload } from '../storage/queries/attachments.js';
import type { AttachmentRow } from '../storage/queries/attachments.js';
import { checkLink, linkAttachment } from './linkAttachment.js';
import type { UploadMetadata } from './uploadMetadata.js';

/** A complete tus upload as it sits in the upload folder. */
export interface CompleteUpload {
  readonly id: string;
  /** The file holding the uploaded bytes. */
  readonly path: string;
  readonly bytes: number;
  readonly metadata: UploadMetadata;
  readonly createdBy: string | null;
}

export type FinishResult =
  | { ok: true; attachment: AttachmentRow; storedNewBlob: boolean }
  | { ok: false; code: 'attachment.hash-mismatch' | 'attachment.conflict'; detail: string };

/**
 * Turns a complete upload into an attachment: checks the link can be made, copies the bytes into
 * the BlobStore (which verifies the SHA-256 and keeps one copy per hash), links the blob to its
 * submission and records the upload as finished. Safe to run twice for the same upload (a lost
 * response, a HEAD after a crash): every step is idempotent. The caller deletes the upload file.
 */
export async function finishUpload(
  upload: CompleteUpload,
  deps: { store: Store; blobs: BlobStore; now: () => Date },
): Promise<FinishResult> {
  const { metadata } = upload;
  const link = {
    projectId: metadata.projectId,
    instanceId: metadata.instanceId,
    name: metadata.name,
    sha256: metadata.sha256,
    bytes: upload.bytes,
    contentType: metadata.contentType,
  };
  // Before copying: a refused link must not leave a blob nobody refers to.
  const check = await checkLink(link, deps.store);
  if (!check.ok) return check;
  const put = await deps.blobs.put(fileChunks(upload.path), { sha256: metadata.sha256, bytes: upload.bytes });
  if (!put.ok) {
    return {
      ok: false,
      code: 'attachment.hash-mismatch',
      detail: `The uploaded bytes do not match the SHA-256 the upload announced (${put.detail}) Nothing was kept.`,
    };
  }
  const at = deps.now().toISOString();
  const linked = await deps.store.transaction(async (tx) => {
    const result = await linkAttachment(link, { userId: upload.createdBy, at }, tx);
    if (result.ok) {
      await insertFinishedUpload(
        {
          upload_id: upload.id,
          sha256: metadata.sha256,
          bytes: upload.bytes,
          created_by: upload.createdBy,
          finished_at: at,
        },
        tx,
      );
    }
    return result;
  });
  if (!linked.ok) return linked;
  return { ok: true, attachment: linked.attachment, storedNewBlob: put.created };
}

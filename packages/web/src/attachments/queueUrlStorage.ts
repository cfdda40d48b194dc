import type { PreviousUpload, UrlStorage } from 'tus-js-client';
import type { LocalStore } from '../store/LocalStore.js';
import type { QueuedAttachment } from './QueuedAttachment.js';
import { isQueuedAttachment } from './QueuedAttachment.js';

const prefix = 'outpost-attachment:';

/** The fingerprint tus-js-client files an upload under: the file's hash and where it goes. */
export function fingerprintOf(sha256: string, instanceId: string, name: string): string {
  return `${prefix}${sha256}:${encodeURIComponent(instanceId)}:${encodeURIComponent(name)}`;
}

function shaOf(fingerprint: string): string | null {
  if (!fingerprint.startsWith(prefix)) return null;
  return fingerprint.slice(prefix.length, prefix.length + 64);
}

async function update(
  store: LocalStore,
  sha256: string,
  change: (value: QueuedAttachment) => QueuedAttachment,
): Promise<void> {
  await store.transaction('readwrite', ['attachmentsQueue'], async (tx) => {
    const row = await tx.get('attachmentsQueue', sha256);
    if (row === undefined || !isQueuedAttachment(row.value)) return;
    const value = change(row.value);
    await tx.put('attachmentsQueue', [{ ...row, state: value.upload === null ? row.state : 'uploading', value }]);
  });
}

/**
 * tus-js-client's URL storage kept in the attachment queue rows themselves, so the upload URL
 * survives a reload, lives and dies with the queue entry and is wiped with the device store.
 */
export function queueUrlStorage(store: LocalStore): UrlStorage {
  return {
    async findAllUploads(): Promise<PreviousUpload[]> {
      const rows = await store.transaction('readonly', ['attachmentsQueue'], (tx) => tx.list('attachmentsQueue'));
      return rows.flatMap((row) =>
        isQueuedAttachment(row.value) && row.value.upload !== null ? [row.value.upload] : [],
      );
    },
    async findUploadsByFingerprint(fingerprint: string): Promise<PreviousUpload[]> {
      const sha256 = shaOf(fingerprint);
      if (sha256 === null) return [];
      const row = await store.transaction('readonly', ['attachmentsQueue'], (tx) => tx.get('attachmentsQueue', sha256));
      const upload = row !== undefined && isQueuedAttachment(row.value) ? row.value.upload : null;
      return upload !== null && upload.urlStorageKey === fingerprint ? [upload] : [];
    },
    async removeUpload(urlStorageKey: string): Promise<void> {
      const sha256 = shaOf(urlStorageKey);
      if (sha256 === null) return;
      await update(store, sha256, (value) =>
        value.upload?.urlStorageKey === urlStorageKey ? { ...value, upload: null } : value,
      );
    },
    async addUpload(fingerprint: string, upload: PreviousUpload): Promise<string> {
      const sha256 = shaOf(fingerprint);
      if (sha256 === null) throw new Error('not an attachment fingerprint');
      await update(store, sha256, (value) => ({ ...value, upload: { ...upload, urlStorageKey: fingerprint } }));
      return fingerprint;
    },
  };
}

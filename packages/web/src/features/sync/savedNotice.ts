import type { SyncStatus } from '../../sync/SyncStatus.js';

/**
 * What to tell a user who just finalized a form onto the device (`savedAt`), as sync goes on:
 * offline it waits for a connection; online it is being sent now; then it was sent, or sending
 * failed and is tried again. Without device sync (a browser that cannot store) it only waits.
 */
export type SavedNoticeKey = 'form.savedOnDevice' | 'form.savedSending' | 'form.savedAndSent' | 'form.savedRetrying';

export function savedNotice(status: SyncStatus | undefined, savedAt: string): SavedNoticeKey {
  if (status === undefined || status.phase === 'offline') return 'form.savedOnDevice';
  if (status.phase === 'syncing') return 'form.savedSending';
  const sentSince = status.lastSuccessAt !== null && status.lastSuccessAt >= savedAt;
  if (sentSince && status.pending === 0) return 'form.savedAndSent';
  if (status.error !== null || status.phase === 'waiting') return 'form.savedRetrying';
  return 'form.savedSending';
}

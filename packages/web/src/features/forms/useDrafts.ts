import { createDraftStore, type DraftStore } from '../../forms/drafts.js';
import { useSync } from '../../device/SyncContext.js';

let unsealed: DraftStore | undefined;

/**
 * The signed-in user's drafts, sealed by the device vault. Only where the app runs without an
 * unlocked device (screen tests) does it fall back to a draft store of its own.
 */
export function useDrafts(): DraftStore {
  const device = useSync();
  if (device !== undefined) return device.drafts;
  unsealed ??= createDraftStore();
  return unsealed;
}

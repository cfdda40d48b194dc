import type { Store } from '../store.js';

export interface StoredTotpSecrets {
  id: string;
  totp_secret: string | null;
  totp_pending_secret: string | null;
}

/** Users with an enrolled or pending TOTP secret. */
export async function usersWithTotpSecrets(store: Store): Promise<StoredTotpSecrets[]> {
  return store.db
    .selectFrom('users')
    .select(['id', 'totp_secret', 'totp_pending_secret'])
    .where((eb) => eb.or([eb('totp_secret', 'is not', null), eb('totp_pending_secret', 'is not', null)]))
    .execute();
}

/** Replaces a user's stored TOTP secrets (both columns). */
export async function setTotpSecrets(
  userId: string,
  secrets: { secret: string | null; pending: string | null },
  store: Store,
): Promise<void> {
  await store.db
    .updateTable('users')
    .set({ totp_secret: secrets.secret, totp_pending_secret: secrets.pending })
    .where('id', '=', userId)
    .execute();
}

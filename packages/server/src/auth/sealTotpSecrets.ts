import { setTotpSecrets, usersWithTotpSecrets } from '../storage/queries/totpSecrets.js';
import type { Store } from '../storage/store.js';
import type { SecretBox } from './secretBox.js';
import { isSealed, totpContext } from './secretBox.js';

/**
 * Seals TOTP secrets an older version stored in plain text; run at start, before the first
 * login. Returns how many users it changed. Idempotent: sealed values are left alone.
 */
export async function sealPlainTotpSecrets(box: SecretBox, store: Store): Promise<number> {
  let changed = 0;
  for (const user of await usersWithTotpSecrets(store)) {
    const seal = (value: string | null) =>
      value === null || isSealed(value) ? value : box.seal(value, totpContext(user.id));
    const secret = seal(user.totp_secret);
    const pending = seal(user.totp_pending_secret);
    if (secret === user.totp_secret && pending === user.totp_pending_secret) continue;
    await setTotpSecrets(user.id, { secret, pending }, store);
    changed++;
  }
  return changed;
}

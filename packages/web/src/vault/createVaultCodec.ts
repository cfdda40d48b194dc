import type { ValueCodec } from '../store/ValueCodec.js';
import { VaultError, type SealContext, type Sealed, type Vault } from './Vault.js';

/**
 * The context used when the store does not say where a value goes. It still encrypts, but a
 * ciphertext could then be copied from one row to another unnoticed: pass the context.
 */
export const unboundContext: SealContext = { store: '', key: '' };

/**
 * The store's ValueCodec over the vault. `context` is optional so the codec fits the store's
 * current one-argument seam; once the store passes `{ store, key, field }`, each value is bound
 * to its row and column.
 */
export interface VaultCodec extends ValueCodec {
  seal(value: unknown, context?: SealContext): Promise<Sealed | null>;
  open(stored: unknown, context?: SealContext): Promise<unknown>;
}

/**
 * Seals JSON values with encrypt() and bytes (photos as Blob, ArrayBuffer or typed array) with
 * encryptBytes(); opening gives back a Blob with its MIME type, a Uint8Array, or the JSON value.
 * null stays null, so "nothing here yet" needs no key. Anything else that is not sealed is refused
 * when opened: plaintext in a sealed column is a bug, not data to show.
 */
export function createVaultCodec(vault: Vault): VaultCodec {
  return {
    async seal(value, context = unboundContext) {
      if (value === null) return null;
      return isBytes(value) ? vault.encryptBytes(value, context) : vault.encrypt(value, context);
    },

    async open(stored, context = unboundContext) {
      if (stored === null) return null;
      if (!isSealed(stored)) throw new VaultError('unreadable', 'A value that should be sealed is not');
      if (stored.kind === 'json') return vault.decrypt(stored, context);
      const bytes = await vault.decryptBytes(stored, context);
      return stored.kind === 'blob' ? new Blob([bytes], { type: stored.type ?? '' }) : bytes;
    },
  };
}

function isBytes(value: unknown): value is Blob | ArrayBuffer | ArrayBufferView {
  return (
    value instanceof ArrayBuffer || ArrayBuffer.isView(value) || (typeof Blob !== 'undefined' && value instanceof Blob)
  );
}

/** True for what encrypt() and encryptBytes() return, also after a round trip through IndexedDB. */
export function isSealed(value: unknown): value is Sealed {
  if (typeof value !== 'object' || value === null) return false;
  const { v, kind, iv, ct } = value as Partial<Record<keyof Sealed, unknown>>;
  return (
    v === 1 &&
    (kind === 'json' || kind === 'bytes' || kind === 'blob') &&
    iv instanceof Uint8Array &&
    ct instanceof Uint8Array
  );
}

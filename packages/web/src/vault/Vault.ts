// The contract of the device vault: what the rest of the PWA may ask of it. createVault.ts
// implements it; README.md says how the local store uses it.

/** Bytes as WebCrypto accepts them (TypeScript's BufferSource wants an ArrayBuffer, not a SharedArrayBuffer). */
export type Bytes = Uint8Array<ArrayBuffer>;

/**
 * Where a sealed value lives. It is bound into the ciphertext as additional authenticated data,
 * so a ciphertext copied into another record, store or field no longer opens.
 */
export interface SealContext {
  readonly store: string;
  readonly key: string | number;
  /** The column inside the row (`data`, `pending` …), when a row holds more than one sealed value. */
  readonly field?: string;
}

/**
 * A value encrypted with AES-GCM under the data key, as it is put into IndexedDB. Only `kind` and,
 * for blobs, the MIME type are readable without the key.
 */
export interface Sealed {
  /** The format: bump it, and keep reading the old one, if the layout ever changes. */
  readonly v: 1;
  /** `json`: a value given to encrypt(); `bytes`/`blob`: given to encryptBytes(). */
  readonly kind: 'json' | 'bytes' | 'blob';
  /** Fresh for every value: AES-GCM must never see one IV twice under a key. */
  readonly iv: Bytes;
  /** Ciphertext followed by the 16-byte tag. */
  readonly ct: Bytes;
  /** The Blob's MIME type, for `blob`. */
  readonly type?: string;
}

/**
 * - `none`: never set up on this device, or erased by destroy();
 * - `locked`: set up, the key is not in memory; unlock() with the secret;
 * - `unlocked`: the key is in memory;
 * - `destroyed`: too many wrong secrets; the key is gone and the local data with it.
 */
export type VaultStatus = 'none' | 'locked' | 'unlocked' | 'destroyed';

export type UnlockResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'wrong-secret'; readonly triesLeft: number }
  /** The last allowed try was wrong (or an earlier one was): the key is gone for good. */
  | { readonly ok: false; readonly reason: 'destroyed'; readonly destroyed: true }
  | { readonly ok: false; readonly reason: 'not-set-up' };

export type VaultErrorCode =
  /** encrypt/decrypt while the key is not in memory: ask for the secret again. */
  | 'locked'
  /** setup() on a device that already has a key: destroy() first. */
  | 'already-set-up'
  /** The secret is shorter than minimumSecretLength. */
  | 'weak-secret'
  /** The ciphertext was changed, moved to another record, or sealed under another key. */
  | 'unreadable';

/** A fault the caller did not expect to happen; wrong secrets are results, not errors. */
export class VaultError extends Error {
  readonly code: VaultErrorCode;

  constructor(code: VaultErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'VaultError';
    this.code = code;
  }
}

export interface Vault {
  status(): Promise<VaultStatus>;
  /** Synchronous, for guards in the UI: true while the key is in memory. */
  isUnlocked(): boolean;
  /** Creates the keys and wraps them under the secret; the vault is unlocked afterwards. */
  setup(secret: string): Promise<void>;
  /** Works offline. Every try counts until one is right; the maxFailures-th wrong one destroys the key. */
  unlock(secret: string): Promise<UnlockResult>;
  /** Forgets the keys held in memory. */
  lock(): void;
  /** Seals a JSON value (what JSON.stringify keeps: dates become strings, undefined is refused). */
  encrypt(value: unknown, context: SealContext): Promise<Sealed>;
  decrypt(sealed: Sealed, context: SealContext): Promise<unknown>;
  /** Seals raw bytes (photos, audio): a Blob keeps its MIME type in `type`. */
  encryptBytes(bytes: Blob | ArrayBuffer | ArrayBufferView, context: SealContext): Promise<Sealed>;
  decryptBytes(sealed: Sealed, context: SealContext): Promise<Bytes>;
  /**
   * A keyed token of a normalised value for an equality index (register number, phone): the same
   * field and text give the same token, and the token reveals neither without the key.
   */
  blindIndexToken(field: string, normalizedText: string): Promise<string>;
  /** Re-wraps the same keys under a new secret: sealed data stays readable. A wrong `oldSecret` counts as a wrong try. */
  changeSecret(oldSecret: string, newSecret: string): Promise<UnlockResult>;
  /** Locks and erases the wrapped keys: everything sealed with them becomes unreadable. */
  destroy(): Promise<void>;
  /** Called on every change of status (lock, unlock, destruction); returns the unsubscribe function. */
  subscribe(listener: (status: VaultStatus) => void): () => void;
}

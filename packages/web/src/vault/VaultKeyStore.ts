import type { Bytes } from './Vault.js';

/**
 * What the vault keeps on the device: the data and index keys wrapped (AES-KW) under a key
 * derived from the user's secret, the derivation's salt and cost, and the count of wrong tries in
 * a row. Nothing in it opens without the secret.
 */
export interface SealedKeys {
  readonly state: 'sealed';
  readonly kdf: {
    readonly name: 'PBKDF2';
    readonly hash: 'SHA-256';
    readonly iterations: number;
    readonly salt: Bytes;
  };
  readonly wrappedDataKey: Bytes;
  readonly wrappedIndexKey: Bytes;
  /** Wrong tries since the last right one; counted before each try is checked. */
  readonly failures: number;
}

/** What is left after too many wrong tries: the app can tell the user why the data is gone. */
export interface DestroyedKeys {
  readonly state: 'destroyed';
}

export type VaultKeyRecord = SealedKeys | DestroyedKeys;

/** The vault's own persistence: one record, written durably before a try is checked. */
export interface VaultKeyStore {
  load(): Promise<VaultKeyRecord | undefined>;
  save(record: VaultKeyRecord): Promise<void>;
  clear(): Promise<void>;
  close(): Promise<void>;
}

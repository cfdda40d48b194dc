import { blindIndexToken } from './blindIndexToken.js';
import { createIndexedDbVaultKeyStore } from './indexedDbVaultKeyStore.js';
import {
  VaultError,
  type Bytes,
  type SealContext,
  type Sealed,
  type UnlockResult,
  type Vault,
  type VaultStatus,
} from './Vault.js';
import type { SealedKeys, VaultKeyStore } from './VaultKeyStore.js';

/** OWASP's 2023 figure for PBKDF2-HMAC-SHA-256 (S7). Vaults keep the count they were sealed with. */
export const pbkdf2Iterations = 600_000;
export const saltBytes = 16;
/** 96 bits, the IV length AES-GCM is specified for. */
export const ivBytes = 12;
export const defaultMaxFailures = 10;
/** A six-digit PIN at least; the UI should check before calling setup(). */
export const minimumSecretLength = 6;

export interface VaultOptions {
  /** Where the wrapped keys live; the `outpost-vault` IndexedDB database by default. */
  readonly keyStore?: VaultKeyStore;
  /** Wrong tries in a row that destroy the key (S9); 10 by default. */
  readonly maxFailures?: number;
}

interface Keys {
  readonly data: CryptoKey;
  readonly index: CryptoKey;
}

type Refusal = Exclude<UnlockResult, { ok: true }>;

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const destroyed: Refusal = { ok: false, reason: 'destroyed', destroyed: true };

/**
 * The device vault (S7, S9): a random AES-GCM data key and an HMAC index key, wrapped with AES-KW
 * under a key derived from the user's password or PIN (PBKDF2-SHA-256). Unwrapped keys are
 * non-extractable and live only in this closure; lock() drops them. WebCrypto only.
 */
export function createVault(options: VaultOptions = {}): Vault {
  const keyStore = options.keyStore ?? createIndexedDbVaultKeyStore();
  const maxFailures = options.maxFailures ?? defaultMaxFailures;
  if (!Number.isInteger(maxFailures) || maxFailures < 1) {
    throw new RangeError(`maxFailures must be a positive integer, not ${maxFailures}`);
  }

  let keys: Keys | null = null;
  const listeners = new Set<(status: VaultStatus) => void>();
  // Tries run one after another, so two taps on "unlock" cannot both read the same count.
  let queue: Promise<unknown> = Promise.resolve();

  function serial<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  }

  function notify(status: VaultStatus): void {
    for (const listener of [...listeners]) listener(status);
  }

  function requireKeys(): Keys {
    if (keys === null) throw new VaultError('locked', 'The vault is locked: unlock it with the secret first');
    return keys;
  }

  /**
   * Checks `secret` against the stored keys. The try is counted on disk before it is checked, so
   * closing the tab while PBKDF2 runs does not undo it; a right secret resets the count.
   */
  async function tryKeys(secret: string, extractable: boolean): Promise<{ record: SealedKeys; keys: Keys } | Refusal> {
    const record = await keyStore.load();
    if (record === undefined) return { ok: false, reason: 'not-set-up' };
    if (record.state === 'destroyed') return destroyed;

    const failures = record.failures + 1;
    await keyStore.save({ ...record, failures });
    let opened: Keys;
    try {
      const kek = await deriveKeyEncryptionKey(secret, record.kdf.salt, record.kdf.iterations);
      opened = await unwrapKeys(record, kek, extractable);
    } catch (error) {
      if (!isWrongKey(error)) {
        // Not the user's mistake: the try should not count against them.
        await keyStore.save(record);
        throw error;
      }
      if (failures >= maxFailures) {
        await keyStore.save({ state: 'destroyed' });
        keys = null;
        notify('destroyed');
        return destroyed;
      }
      return { ok: false, reason: 'wrong-secret', triesLeft: maxFailures - failures };
    }
    const reset: SealedKeys = { ...record, failures: 0 };
    await keyStore.save(reset);
    return { record: reset, keys: opened };
  }

  async function seal(kind: Sealed['kind'], plain: Bytes, context: SealContext, type?: string): Promise<Sealed> {
    const { data } = requireKeys();
    const iv = randomBytes(ivBytes);
    const additionalData = associatedData(context, kind, type);
    const ct = new Uint8Array(await subtle().encrypt({ name: 'AES-GCM', iv, additionalData }, data, plain));
    return type === undefined ? { v: 1, kind, iv, ct } : { v: 1, kind, iv, ct, type };
  }

  async function open(sealed: Sealed, context: SealContext, kinds: readonly Sealed['kind'][]): Promise<Bytes> {
    const { data } = requireKeys();
    if (sealed.v !== 1 || !kinds.includes(sealed.kind)) {
      throw new VaultError('unreadable', `Expected a sealed ${kinds.join(' or ')} value of format 1`);
    }
    const additionalData = associatedData(context, sealed.kind, sealed.type);
    try {
      return new Uint8Array(
        await subtle().decrypt({ name: 'AES-GCM', iv: sealed.iv, additionalData }, data, sealed.ct),
      );
    } catch (error) {
      throw new VaultError('unreadable', `The value sealed for ${describe(context)} does not open here`, {
        cause: error,
      });
    }
  }

  return {
    async status() {
      if (keys !== null) return 'unlocked';
      const record = await keyStore.load();
      if (record === undefined) return 'none';
      return record.state === 'destroyed' ? 'destroyed' : 'locked';
    },

    isUnlocked: () => keys !== null,

    setup(secret) {
      return serial(async () => {
        checkStrength(secret);
        if ((await keyStore.load())?.state === 'sealed') {
          throw new VaultError('already-set-up', 'This device already has a vault: destroy() it first');
        }
        const fresh: Keys = {
          data: await subtle().generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']),
          index: await subtle().generateKey({ name: 'HMAC', hash: 'SHA-256', length: 256 }, true, ['sign']),
        };
        const { record, kek } = await wrapKeys(fresh, secret);
        await keyStore.save(record);
        // The generated keys had to be extractable to be wrapped; memory keeps non-extractable copies.
        keys = await unwrapKeys(record, kek, false);
        notify('unlocked');
      });
    },

    unlock(secret) {
      return serial(async () => {
        const outcome = await tryKeys(secret, false);
        if ('ok' in outcome) return outcome;
        keys = outcome.keys;
        notify('unlocked');
        return { ok: true } as const;
      });
    },

    lock() {
      if (keys === null) return;
      keys = null;
      notify('locked');
    },

    async encrypt(value, context) {
      const json = JSON.stringify(value);
      // JSON.stringify returns undefined for undefined, functions and symbols: nothing to seal.
      if (typeof json !== 'string') throw new TypeError(`Only JSON values can be sealed (${describe(context)})`);
      return seal('json', encoder.encode(json), context);
    },

    async decrypt(sealed, context) {
      return JSON.parse(decoder.decode(await open(sealed, context, ['json']))) as unknown;
    },

    async encryptBytes(bytes, context) {
      requireKeys();
      if (typeof Blob !== 'undefined' && bytes instanceof Blob) {
        return seal('blob', new Uint8Array(await bytes.arrayBuffer()), context, bytes.type);
      }
      return seal('bytes', copyBytes(bytes as ArrayBuffer | ArrayBufferView), context);
    },

    async decryptBytes(sealed, context) {
      return open(sealed, context, ['bytes', 'blob']);
    },

    async blindIndexToken(field, normalizedText) {
      // The field name is part of the message, so one phone number gives different tokens in two fields.
      return blindIndexToken(requireKeys().index, JSON.stringify([field, normalizedText]));
    },

    changeSecret(oldSecret, newSecret) {
      return serial(async () => {
        checkStrength(newSecret);
        const outcome = await tryKeys(oldSecret, true);
        if ('ok' in outcome) return outcome;
        const { record } = await wrapKeys(outcome.keys, newSecret);
        await keyStore.save(record);
        return { ok: true } as const;
      });
    },

    destroy() {
      return serial(async () => {
        keys = null;
        await keyStore.clear();
        notify('none');
      });
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

function checkStrength(secret: string): void {
  if ([...secret.normalize('NFC')].length < minimumSecretLength) {
    throw new VaultError('weak-secret', `The secret must have at least ${minimumSecretLength} characters`);
  }
}

/** Random bytes from the platform's CSPRNG. */
function randomBytes(length: number): Bytes {
  return crypto.getRandomValues(new Uint8Array(length));
}

function copyBytes(bytes: ArrayBuffer | ArrayBufferView): Bytes {
  const view =
    bytes instanceof ArrayBuffer
      ? new Uint8Array(bytes)
      : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const copy = new Uint8Array(view.byteLength);
  copy.set(view);
  return copy;
}

/**
 * The additional authenticated data: where the value lives and how it decodes. JSON keeps the
 * parts apart without a separator that a key could contain, and tells 1 from "1".
 */
function associatedData(context: SealContext, kind: Sealed['kind'], type: string | undefined): Bytes {
  return encoder.encode(
    JSON.stringify(['outpost-seal/1', context.store, context.key, context.field ?? null, kind, type ?? null]),
  );
}

function describe(context: SealContext): string {
  return `${context.store}/${String(context.key)}${context.field === undefined ? '' : `.${context.field}`}`;
}

/**
 * The secret is NFC-normalised first: the same PIN or password typed on two keyboards may arrive
 * as different code points (composed or decomposed Cyrillic letters).
 */
export async function deriveKeyEncryptionKey(secret: string, salt: Bytes, iterations: number): Promise<CryptoKey> {
  const base = await subtle().importKey('raw', encoder.encode(secret.normalize('NFC')), 'PBKDF2', false, ['deriveKey']);
  return subtle().deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    base,
    { name: 'AES-KW', length: 256 },
    false,
    ['wrapKey', 'unwrapKey'],
  );
}

async function wrapKeys(keys: Keys, secret: string): Promise<{ record: SealedKeys; kek: CryptoKey }> {
  const salt = randomBytes(saltBytes);
  const kek = await deriveKeyEncryptionKey(secret, salt, pbkdf2Iterations);
  const record: SealedKeys = {
    state: 'sealed',
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: pbkdf2Iterations, salt },
    wrappedDataKey: new Uint8Array(await subtle().wrapKey('raw', keys.data, kek, 'AES-KW')),
    wrappedIndexKey: new Uint8Array(await subtle().wrapKey('raw', keys.index, kek, 'AES-KW')),
    failures: 0,
  };
  return { record, kek };
}

async function unwrapKeys(record: SealedKeys, kek: CryptoKey, extractable: boolean): Promise<Keys> {
  const data = await subtle().unwrapKey(
    'raw',
    record.wrappedDataKey,
    kek,
    'AES-KW',
    { name: 'AES-GCM', length: 256 },
    extractable,
    ['encrypt', 'decrypt'],
  );
  const index = await subtle().unwrapKey(
    'raw',
    record.wrappedIndexKey,
    kek,
    'AES-KW',
    { name: 'HMAC', hash: 'SHA-256', length: 256 },
    extractable,
    ['sign'],
  );
  return { data, index };
}

/** AES-KW's integrity check fails with OperationError when the key-encryption key is wrong. */
function isWrongKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'OperationError';
}

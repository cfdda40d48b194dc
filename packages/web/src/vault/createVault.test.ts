import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createIndexedDbVaultKeyStore } from './indexedDbVaultKeyStore.js';
import {
  createVault,
  defaultMaxFailures,
  deriveKeyEncryptionKey,
  minimumSecretLength,
  pbkdf2Iterations,
  type VaultOptions,
} from './createVault.js';
import { VaultError, type Sealed, type VaultStatus } from './Vault.js';

const password = 'Нууц үг 2026!';
const record = { store: 'records', key: 'case-1', field: 'data' };
const canary = { name: 'CANARY-ЦЭЦЭГ-7f3a', register: 'УБ12345678', phone: '+976 9911 2233' };

let databases = 0;
/** A vault over its own fake IndexedDB database; `reopen` makes a second vault over the same one, as a reload does. */
function freshVault(options: Omit<VaultOptions, 'keyStore'> = {}) {
  const name = `vault-test-${++databases}`;
  const keyStore = createIndexedDbVaultKeyStore(name);
  return {
    vault: createVault({ ...options, keyStore }),
    keyStore,
    reopen: () => createVault({ ...options, keyStore: createIndexedDbVaultKeyStore(name) }),
  };
}

async function rejection(promise: Promise<unknown>): Promise<VaultError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  throw new Error('expected the promise to reject');
}

describe('createVault', () => {
  it('uses PBKDF2-SHA-256 with 600,000 iterations and a 16-byte random salt, and stores no key in the clear', async () => {
    expect(pbkdf2Iterations).toBe(600_000);
    const { vault, keyStore } = freshVault();
    await vault.setup(password);

    const stored = await keyStore.load();
    if (stored?.state !== 'sealed') throw new Error('expected sealed keys');
    expect(stored.kdf).toMatchObject({ name: 'PBKDF2', hash: 'SHA-256', iterations: 600_000 });
    expect(stored.kdf.salt).toHaveLength(16);
    // AES-KW output: the 32-byte keys plus the 8-byte integrity block.
    expect(stored.wrappedDataKey).toHaveLength(40);
    expect(stored.failures).toBe(0);

    // The wrapped key opens with a key derived at exactly that cost, and not at one iteration less.
    const unwrap = async (iterations: number) =>
      crypto.subtle.unwrapKey(
        'raw',
        stored.wrappedDataKey,
        await deriveKeyEncryptionKey(password, stored.kdf.salt, iterations),
        'AES-KW',
        { name: 'AES-GCM', length: 256 },
        false,
        ['decrypt'],
      );
    await expect(unwrap(600_000)).resolves.toBeDefined();
    await expect(unwrap(599_999)).rejects.toMatchObject({ name: 'OperationError' });

    const other = freshVault();
    await other.vault.setup(password);
    const otherStored = await other.keyStore.load();
    if (otherStored?.state !== 'sealed') throw new Error('expected sealed keys');
    expect(otherStored.kdf.salt).not.toEqual(stored.kdf.salt);
  });

  it('seals JSON values with a fresh IV each time and opens them again', async () => {
    const { vault } = freshVault();
    expect(await vault.status()).toBe('none');
    await vault.setup(password);
    expect(vault.isUnlocked()).toBe(true);
    expect(await vault.status()).toBe('unlocked');

    const first = await vault.encrypt(canary, record);
    const second = await vault.encrypt(canary, record);
    expect(first.iv).toHaveLength(12);
    expect(first.iv).not.toEqual(second.iv);
    expect(first.ct).not.toEqual(second.ct);
    expect(new TextDecoder().decode(first.ct)).not.toContain('CANARY');
    expect(await vault.decrypt(first, record)).toEqual(canary);
    expect(await vault.decrypt(second, record)).toEqual(canary);
  });

  it('refuses a ciphertext moved to another record, store or field, or changed by one bit', async () => {
    const { vault } = freshVault();
    await vault.setup(password);
    const sealed = await vault.encrypt(canary, record);

    for (const elsewhere of [
      { ...record, key: 'case-2' },
      { ...record, store: 'outbox' },
      { ...record, field: 'pending' },
      { store: 'records', key: 'case-1' },
    ]) {
      expect((await rejection(vault.decrypt(sealed, elsewhere))).code).toBe('unreadable');
    }
    const tampered: Sealed = { ...sealed, ct: sealed.ct.slice() };
    tampered.ct[0] = (tampered.ct[0] ?? 0) ^ 1;
    expect((await rejection(vault.decrypt(tampered, record))).code).toBe('unreadable');
    // A number key is not the same record as its string.
    const numbered = await vault.encrypt(canary, { store: 'outbox', key: 1 });
    expect((await rejection(vault.decrypt(numbered, { store: 'outbox', key: '1' }))).code).toBe('unreadable');
  });

  it('seals photo bytes and keeps the MIME type of a Blob', async () => {
    const { vault } = freshVault();
    await vault.setup(password);
    const photo = new Blob([new TextEncoder().encode('JPEG CANARY-photo-7f3a')], { type: 'image/jpeg' });
    const sealed = await vault.encryptBytes(photo, { store: 'attachments', key: 'sha-1' });
    expect(sealed).toMatchObject({ kind: 'blob', type: 'image/jpeg' });
    const opened = await vault.decryptBytes(sealed, { store: 'attachments', key: 'sha-1' });
    expect(new TextDecoder().decode(opened)).toBe('JPEG CANARY-photo-7f3a');

    const view = new Uint8Array([0, 1, 2, 3, 4, 5]).subarray(2, 5);
    const raw = await vault.encryptBytes(view, { store: 'attachments', key: 'sha-2' });
    expect([...(await vault.decryptBytes(raw, { store: 'attachments', key: 'sha-2' }))]).toEqual([2, 3, 4]);
    // A JSON value is not bytes, and the other way round.
    expect((await rejection(vault.decrypt(raw, { store: 'attachments', key: 'sha-2' }))).code).toBe('unreadable');
  });

  it('keeps the key only in memory: a reload finds the vault locked, and the right secret opens old data', async () => {
    const { vault, reopen } = freshVault();
    await vault.setup(password);
    const sealed = await vault.encrypt(canary, record);

    const reloaded = reopen();
    expect(reloaded.isUnlocked()).toBe(false);
    expect(await reloaded.status()).toBe('locked');
    expect((await rejection(reloaded.decrypt(sealed, record))).code).toBe('locked');
    expect(await reloaded.unlock(password)).toEqual({ ok: true });
    expect(await reloaded.decrypt(sealed, record)).toEqual(canary);
  });

  it('locks on request: nothing opens until the secret is given again', async () => {
    const { vault } = freshVault();
    const seen: VaultStatus[] = [];
    vault.subscribe((status) => seen.push(status));
    await vault.setup(password);
    const sealed = await vault.encrypt(canary, record);

    vault.lock();
    expect(vault.isUnlocked()).toBe(false);
    expect(await vault.status()).toBe('locked');
    expect((await rejection(vault.decrypt(sealed, record))).code).toBe('locked');
    expect((await rejection(vault.encrypt(canary, record))).code).toBe('locked');
    await expect(vault.blindIndexToken('phone', '97699112233')).rejects.toThrow(VaultError);

    expect(await vault.unlock(password)).toEqual({ ok: true });
    expect(await vault.decrypt(sealed, record)).toEqual(canary);
    expect(seen).toEqual(['unlocked', 'locked', 'unlocked']);
  });

  it('answers a wrong secret with the tries left, and a right one resets the count', async () => {
    const { vault } = freshVault({ maxFailures: 3 });
    await vault.setup(password);
    vault.lock();

    expect(await vault.unlock('wrong secret')).toEqual({ ok: false, reason: 'wrong-secret', triesLeft: 2 });
    expect(await vault.unlock('wrong again')).toEqual({ ok: false, reason: 'wrong-secret', triesLeft: 1 });
    expect(vault.isUnlocked()).toBe(false);
    expect(await vault.unlock(password)).toEqual({ ok: true });
    vault.lock();
    expect(await vault.unlock('wrong secret')).toEqual({ ok: false, reason: 'wrong-secret', triesLeft: 2 });
  });

  it('destroys the key at the last wrong try in a row and says so from then on', async () => {
    const { vault, keyStore } = freshVault({ maxFailures: 3 });
    const seen: VaultStatus[] = [];
    vault.subscribe((status) => seen.push(status));
    await vault.setup(password);
    const sealed = await vault.encrypt(canary, record);
    vault.lock();

    await vault.unlock('wrong 1');
    await vault.unlock('wrong 2');
    expect(await vault.unlock('wrong 3')).toEqual({ ok: false, reason: 'destroyed', destroyed: true });
    expect(await vault.unlock(password)).toEqual({ ok: false, reason: 'destroyed', destroyed: true });
    expect(await vault.status()).toBe('destroyed');
    expect(seen).toEqual(['unlocked', 'locked', 'destroyed']);
    // The wrapped key is gone from the device, so the sealed data can never be opened again.
    expect(await keyStore.load()).toEqual({ state: 'destroyed' });
    expect((await rejection(vault.decrypt(sealed, record))).code).toBe('locked');

    // The app may start over (after wiping the unreadable data).
    await vault.setup('a new secret');
    expect((await rejection(vault.decrypt(sealed, record))).code).toBe('unreadable');
  });

  it('counts wrong tries across reloads', async () => {
    const { vault, reopen } = freshVault({ maxFailures: 3 });
    await vault.setup(password);
    vault.lock();
    await vault.unlock('wrong 1');
    await vault.unlock('wrong 2');

    const reloaded = reopen();
    expect(await reloaded.unlock('wrong 3')).toEqual({ ok: false, reason: 'destroyed', destroyed: true });
    expect(await reopen().status()).toBe('destroyed');
  });

  it(`allows ${defaultMaxFailures} wrong tries by default`, async () => {
    const { vault } = freshVault();
    await vault.setup(password);
    vault.lock();
    const results = [];
    for (let i = 0; i < defaultMaxFailures; i += 1) results.push(await vault.unlock(`wrong ${i}`));
    expect(results.slice(0, -1).map((result) => ('triesLeft' in result ? result.triesLeft : null))).toEqual([
      9, 8, 7, 6, 5, 4, 3, 2, 1,
    ]);
    expect(results.at(-1)).toEqual({ ok: false, reason: 'destroyed', destroyed: true });
  });

  it('counts tries that run at the same moment one after the other', async () => {
    const { vault } = freshVault({ maxFailures: 3 });
    await vault.setup(password);
    vault.lock();
    const results = await Promise.all([vault.unlock('wrong 1'), vault.unlock('wrong 2'), vault.unlock('wrong 3')]);
    expect(results.at(-1)).toEqual({ ok: false, reason: 'destroyed', destroyed: true });
  });

  it('changes the secret without re-encrypting: old data opens with the new secret only', async () => {
    const { vault, keyStore } = freshVault({ maxFailures: 3 });
    await vault.setup(password);
    const sealed = await vault.encrypt(canary, record);
    const token = await vault.blindIndexToken('phone', '97699112233');
    const before = await keyStore.load();

    expect(await vault.changeSecret('not the secret', 'Шинэ нууц үг')).toEqual({
      ok: false,
      reason: 'wrong-secret',
      triesLeft: 2,
    });
    expect(await vault.changeSecret(password, 'Шинэ нууц үг')).toEqual({ ok: true });
    const after = await keyStore.load();
    if (before?.state !== 'sealed' || after?.state !== 'sealed') throw new Error('expected sealed keys');
    expect(after.kdf.salt).not.toEqual(before.kdf.salt);
    expect(after.failures).toBe(0);
    // Still usable without a new unlock.
    expect(await vault.decrypt(sealed, record)).toEqual(canary);

    vault.lock();
    expect(await vault.unlock(password)).toMatchObject({ ok: false, reason: 'wrong-secret' });
    expect(await vault.unlock('Шинэ нууц үг')).toEqual({ ok: true });
    expect(await vault.decrypt(sealed, record)).toEqual(canary);
    expect(await vault.blindIndexToken('phone', '97699112233')).toBe(token);
  });

  it('refuses a secret shorter than the minimum and a second setup', async () => {
    const { vault } = freshVault();
    expect((await rejection(vault.setup('1'.repeat(minimumSecretLength - 1)))).code).toBe('weak-secret');
    expect(await vault.status()).toBe('none');
    expect(await vault.unlock(password)).toEqual({ ok: false, reason: 'not-set-up' });
    await vault.setup('1'.repeat(minimumSecretLength));
    expect((await rejection(vault.setup(password))).code).toBe('already-set-up');
    expect((await rejection(vault.changeSecret('1'.repeat(minimumSecretLength), '12345'))).code).toBe('weak-secret');
  });

  it('accepts the same secret typed as composed or decomposed letters', async () => {
    const { vault } = freshVault();
    const composed = 'Сайн уу, Өлзий';
    await vault.setup(composed.normalize('NFD'));
    vault.lock();
    expect(await vault.unlock(composed.normalize('NFC'))).toEqual({ ok: true });
  });

  it('destroy() erases the keys: sealed data stays unreadable even after a new setup with the same secret', async () => {
    const { vault, keyStore } = freshVault();
    await vault.setup(password);
    const sealed = await vault.encrypt(canary, record);
    await vault.destroy();
    expect(vault.isUnlocked()).toBe(false);
    expect(await vault.status()).toBe('none');
    expect(await keyStore.load()).toBeUndefined();

    await vault.setup(password);
    expect((await rejection(vault.decrypt(sealed, record))).code).toBe('unreadable');
  });

  it('refuses values JSON cannot carry', async () => {
    const { vault } = freshVault();
    await vault.setup(password);
    await expect(vault.encrypt(undefined, record)).rejects.toThrow(TypeError);
  });
});

describe('blind index tokens', () => {
  it('match for equal normalised values, differ per field and per device, and hide the value', async () => {
    const { vault } = freshVault();
    await vault.setup(password);
    const token = await vault.blindIndexToken('register', 'УБ12345678');

    expect(await vault.blindIndexToken('register', 'УБ12345678')).toBe(token);
    expect(await vault.blindIndexToken('register', 'УБ12345679')).not.toBe(token);
    expect(await vault.blindIndexToken('phone', 'УБ12345678')).not.toBe(token);
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(token).not.toContain('12345678');

    const other = freshVault();
    await other.vault.setup(password);
    expect(await other.vault.blindIndexToken('register', 'УБ12345678')).not.toBe(token);
  });
});

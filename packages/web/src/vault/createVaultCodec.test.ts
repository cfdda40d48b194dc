import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createIndexedDbVaultKeyStore } from './indexedDbVaultKeyStore.js';
import { createVault } from './createVault.js';
import { createVaultCodec, isSealed } from './createVaultCodec.js';

async function codec() {
  const vault = createVault({ keyStore: createIndexedDbVaultKeyStore('codec-test') });
  if ((await vault.status()) === 'none') await vault.setup('Нууц үг 2026!');
  else await vault.unlock('Нууц үг 2026!');
  return createVaultCodec(vault);
}

describe('createVaultCodec', () => {
  it('seals what the store keeps and opens it back: JSON, photos and nothing', async () => {
    const values = await codec();
    const properties = { name: 'CANARY-ЦЭЦЭГ-7f3a', age: 42, needs: ['food', 'heating'] };
    const sealed = await values.seal(properties);
    expect(isSealed(sealed)).toBe(true);
    expect(JSON.stringify(sealed)).not.toContain('CANARY');
    // The store keeps values through structured clone, as IndexedDB does.
    expect(await values.open(structuredClone(sealed))).toEqual(properties);

    const photo = new Blob(['CANARY-photo'], { type: 'image/jpeg' });
    const opened = await values.open(structuredClone(await values.seal(photo)));
    expect(opened).toBeInstanceOf(Blob);
    expect((opened as Blob).type).toBe('image/jpeg');
    expect(await (opened as Blob).text()).toBe('CANARY-photo');

    expect(await values.open(await values.seal(new Uint8Array([7, 8, 9])))).toEqual(new Uint8Array([7, 8, 9]));
    expect(await values.seal(null)).toBeNull();
    expect(await values.open(null)).toBeNull();
  });

  it('binds a value to the row it was sealed for when the store says which', async () => {
    const values = await codec();
    const sealed = await values.seal({ name: 'Цэцэг' }, { store: 'records', key: 'case-1', field: 'data' });
    expect(await values.open(sealed, { store: 'records', key: 'case-1', field: 'data' })).toEqual({ name: 'Цэцэг' });
    await expect(values.open(sealed, { store: 'records', key: 'case-2', field: 'data' })).rejects.toMatchObject({
      code: 'unreadable',
    });
  });

  it('refuses plaintext where a sealed value belongs', async () => {
    const values = await codec();
    await expect(values.open({ name: 'Цэцэг' })).rejects.toMatchObject({ code: 'unreadable' });
  });
});

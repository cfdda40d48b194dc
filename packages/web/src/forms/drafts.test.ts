import 'fake-indexeddb/auto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { createVault, createVaultCodec, type VaultKeyRecord } from '../vault/index.js';
import { createDraftStore, type Draft } from './drafts.js';

const photo = new TextEncoder().encode('CANARY-PHOTO-bytes').buffer;
const draft: Draft = {
  id: 'uuid:7',
  projectId: 'p1',
  formId: 'household_registration',
  version: '3',
  formTitle: 'Household registration',
  label: 'CANARY Ганзориг',
  savedAt: '2026-11-27T09:00:00.000Z',
  xml: '<data><name>CANARY Ганзориг</name></data>',
  attachments: [{ name: 'dwelling.jpg', type: 'image/jpeg', bytes: photo }],
};

async function rawRows(indexedDB: IDBFactory, name: string): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onerror = () => reject(request.error ?? new Error('open failed'));
    request.onsuccess = () => {
      const db = request.result;
      const all = db.transaction('drafts').objectStore('drafts').getAll();
      all.onsuccess = () => {
        db.close();
        resolve(all.result);
      };
    };
  });
}

describe('drafts sealed by the vault', () => {
  it('keeps no answer or photo byte in clear, and reopens the draft whole', async () => {
    let record: VaultKeyRecord | undefined;
    const vault = createVault({
      keyStore: {
        load: async () => record,
        save: async (next) => void (record = next),
        clear: async () => void (record = undefined),
        close: async () => undefined,
      },
    });
    await vault.setup('Хавар-2026-нууц');
    const indexedDB = new IDBFactory();
    const drafts = createDraftStore({ name: 'drafts', indexedDB, IDBKeyRange, codec: createVaultCodec(vault) });
    await drafts.save(draft);
    drafts.close();

    const rows = await rawRows(indexedDB, 'drafts');
    const text = JSON.stringify(rows, (_key, value: unknown) =>
      value instanceof Uint8Array ? new TextDecoder().decode(value) : value,
    );
    expect(text).not.toContain('CANARY');
    expect(rows).toMatchObject([{ id: 'uuid:7', projectId: 'p1' }]);

    const reopened = createDraftStore({ name: 'drafts', indexedDB, IDBKeyRange, codec: createVaultCodec(vault) });
    const [back] = await reopened.list('p1');
    expect(back).toMatchObject({ ...draft, attachments: [{ name: 'dwelling.jpg', type: 'image/jpeg' }] });
    expect(new TextDecoder().decode(back?.attachments[0]?.bytes)).toBe('CANARY-PHOTO-bytes');
    await expect(reopened.count()).resolves.toBe(1);

    vault.lock();
    await expect(reopened.get('uuid:7')).rejects.toThrow(/locked/);
  });
});

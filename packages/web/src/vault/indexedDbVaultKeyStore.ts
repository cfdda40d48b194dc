import { Dexie, type Table } from 'dexie';
import type { VaultKeyRecord, VaultKeyStore } from './VaultKeyStore.js';

/** The vault's database: separate from the local store so erasing one never touches the other. */
export const vaultDatabaseName = 'outpost-vault';

const recordId = 'keys';

interface Row {
  readonly id: string;
  readonly record: VaultKeyRecord;
}

/**
 * The VaultKeyStore of the PWA: a one-row Dexie database. Strict durability, because the count of
 * wrong tries must be on disk before the try is checked, or killing the tab would reset it.
 */
export function createIndexedDbVaultKeyStore(name: string = vaultDatabaseName): VaultKeyStore {
  const db = new Dexie(name, { chromeTransactionDurability: 'strict' });
  db.version(1).stores({ keys: 'id' });
  const table: Table<Row, string> = db.table<Row, string>('keys');

  return {
    async load() {
      return (await table.get(recordId))?.record;
    },
    async save(record) {
      await table.put({ id: recordId, record });
    },
    async clear() {
      await table.clear();
    },
    async close() {
      db.close();
    },
  };
}

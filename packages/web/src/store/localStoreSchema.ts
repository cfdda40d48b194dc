// The device database: its stores, their primary keys and the indexes the sync code queries.
// Both adapters build themselves from this one description. Changing it means a new `version`
// (IndexedDB upgrades only on a higher number), the previous stores kept in `previous` for the
// upgrade, and an upgrade test (indexedDbUpgrade.test.ts).
//
// Version 2 adds `rev` to records: a device change stamp the store itself writes on every put (see
// changeStamp.ts), so a screen that has opened the records reads back only those changed since.

export const localStoreSchema = {
  version: 2,
  stores: {
    records: { key: 'id', indexes: ['list', 'scope', 'rev'] },
    outbox: { key: 'seq', indexes: ['state'] },
    cursors: { key: 'scope', indexes: [] },
    meta: { key: 'key', indexes: [] },
    attachmentsQueue: { key: 'sha256', indexes: ['state'] },
  },
} as const;

/** The stores of earlier versions, which an adapter that persists declares before the current one. */
export const previousLocalStoreSchemas = [
  {
    version: 1,
    stores: {
      records: { key: 'id', indexes: ['list', 'scope'] },
      outbox: { key: 'seq', indexes: ['state'] },
      cursors: { key: 'scope', indexes: [] },
      meta: { key: 'key', indexes: [] },
      attachmentsQueue: { key: 'sha256', indexes: ['state'] },
    },
  },
] as const;

export type StoreName = keyof typeof localStoreSchema.stores;
export const storeNames = Object.keys(localStoreSchema.stores) as StoreName[];

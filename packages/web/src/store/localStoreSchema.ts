// The device database: its stores, their primary keys and the indexes the sync code queries.
// Both adapters build themselves from this one description. Changing it means a new `version`
// (IndexedDB upgrades only on a higher number) and an upgrade test.

export const localStoreSchema = {
  version: 1,
  stores: {
    records: { key: 'id', indexes: ['list', 'scope'] },
    outbox: { key: 'seq', indexes: ['state'] },
    cursors: { key: 'scope', indexes: [] },
    meta: { key: 'key', indexes: [] },
    attachmentsQueue: { key: 'sha256', indexes: ['state'] },
  },
} as const;

export type StoreName = keyof typeof localStoreSchema.stores;
export const storeNames = Object.keys(localStoreSchema.stores) as StoreName[];

import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { createIndexedDbVaultKeyStore, vaultDatabaseName } from './indexedDbVaultKeyStore.js';
import { createVault } from './createVault.js';
import { wipeDevice, type FileSystemRoot } from './wipeDevice.js';

class MemoryStorage implements Pick<Storage, 'length' | 'clear' | 'setItem'> {
  readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

class MemoryCaches implements Pick<CacheStorage, 'keys' | 'delete'> {
  readonly names = new Set<string>();
  async keys() {
    return [...this.names];
  }
  async delete(name: string) {
    return this.names.delete(name);
  }
}

class MemoryFileSystem implements FileSystemRoot {
  readonly entries = new Set<string>();
  async *keys() {
    yield* [...this.entries];
  }
  async removeEntry(name: string) {
    this.entries.delete(name);
  }
}

async function databaseNames(): Promise<string[]> {
  return (await indexedDB.databases()).flatMap((info) => (info.name === undefined ? [] : [info.name])).sort();
}

async function fillDevice() {
  // The vault stays open, as it is in the running app.
  const vault = createVault({ keyStore: createIndexedDbVaultKeyStore() });
  await vault.setup('Нууц үг 2026!');
  const store = new Dexie('outpost-store-test');
  store.version(1).stores({ records: 'id' });
  await store
    .table('records')
    .put({ id: 'case-1', data: await vault.encrypt({ name: 'Цэцэг' }, { store: 'records', key: 'case-1' }) });
  const leftover = new Dexie('some-older-database');
  leftover.version(1).stores({ rows: 'id' });
  await leftover.table('rows').put({ id: 1 });
  leftover.close();

  const localStorage = new MemoryStorage();
  localStorage.setItem('outpost.language', 'mn');
  localStorage.setItem('outpost.lastUser', 'fieldworker');
  const sessionStorage = new MemoryStorage();
  sessionStorage.setItem('draft', '{}');
  const caches = new MemoryCaches();
  caches.names.add('outpost-shell-1234');
  caches.names.add('photos');
  const fileSystem = new MemoryFileSystem();
  fileSystem.entries.add('photo-1.jpg');
  return { vault, store, localStorage, sessionStorage, caches, fileSystem };
}

describe('wipeDevice', () => {
  it('clears every database, cache, storage and file of the origin, open connections included', async () => {
    const device = await fillDevice();
    expect(await databaseNames()).toEqual(
      expect.arrayContaining([vaultDatabaseName, 'outpost-store-test', 'some-older-database']),
    );

    const report = await wipeDevice({
      localStorage: device.localStorage,
      sessionStorage: device.sessionStorage,
      caches: device.caches,
      fileSystem: async () => device.fileSystem,
    });

    expect(report.failures).toEqual([]);
    expect(report.databases).toEqual(
      expect.arrayContaining([vaultDatabaseName, 'outpost-store-test', 'some-older-database']),
    );
    expect(report.caches.toSorted()).toEqual(['outpost-shell-1234', 'photos']);
    expect(report.localStorageItems).toBe(2);
    expect(report.sessionStorageItems).toBe(1);
    expect(report.files).toEqual(['photo-1.jpg']);

    expect(await databaseNames()).toEqual([]);
    expect(device.localStorage.length).toBe(0);
    expect(device.sessionStorage.length).toBe(0);
    expect(await device.caches.keys()).toEqual([]);
    expect(device.fileSystem.entries.size).toBe(0);
    // The app that reopens finds no vault and must set one up after signing in again.
    expect(await createVault({ keyStore: createIndexedDbVaultKeyStore() }).status()).toBe('none');
  });

  it('deletes the known databases where the browser cannot list them', async () => {
    const device = await fillDevice();
    device.vault.lock();
    const report = await wipeDevice({
      indexedDB: { deleteDatabase: (name) => indexedDB.deleteDatabase(name) },
      knownDatabases: [vaultDatabaseName, 'outpost-store-test'],
      localStorage: device.localStorage,
      sessionStorage: device.sessionStorage,
      caches: device.caches,
      fileSystem: async () => device.fileSystem,
    });
    expect(report.databases).toEqual(['outpost-store-test', vaultDatabaseName]);
    expect(await databaseNames()).toEqual(['some-older-database']);
    await wipeDevice({
      localStorage: device.localStorage,
      sessionStorage: device.sessionStorage,
      caches: device.caches,
    });
  });

  it('keeps the caches it is told to keep, such as the app shell, and clears the rest', async () => {
    const device = await fillDevice();
    device.vault.lock();
    device.store.close();
    const report = await wipeDevice({
      localStorage: device.localStorage,
      sessionStorage: device.sessionStorage,
      caches: device.caches,
      fileSystem: async () => device.fileSystem,
      keepCache: (name) => name.startsWith('outpost-shell-'),
    });
    expect(report.caches).toEqual(['photos']);
    expect(await device.caches.keys()).toEqual(['outpost-shell-1234']);
  });

  it('reports a database another tab keeps open instead of waiting forever', async () => {
    const stubborn = indexedDB.open('held-open');
    await new Promise((resolve) => (stubborn.onsuccess = resolve));
    // This connection ignores "versionchange", as a tab running old code might.
    const report = await wipeDevice({
      knownDatabases: [],
      blockedTimeoutMs: 50,
      localStorage: new MemoryStorage(),
      sessionStorage: new MemoryStorage(),
      caches: new MemoryCaches(),
    });
    expect(report.failures).toEqual([
      expect.objectContaining({ area: 'indexedDB', name: 'held-open', error: expect.stringContaining('still open') }),
    ]);
    stubborn.result.close();
  });

  it('carries on past an area that fails and reports it', async () => {
    const report = await wipeDevice({
      knownDatabases: [],
      localStorage: {
        get length(): number {
          throw new DOMException('The operation is insecure.', 'SecurityError');
        },
        clear() {},
      },
      sessionStorage: new MemoryStorage(),
      caches: { keys: () => Promise.reject(new Error('caches are off')), delete: async () => false },
    });
    expect(report.failures.map((failure) => failure.area).sort()).toEqual(['caches', 'localStorage']);
  });
});
